import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { argusFaults } from '../../src/emulators/argus/index.js';
import { gql } from '../helpers/gateway.js';
import { startArgusGateway, window, type ArgusSetup } from '../helpers/argus.js';

/**
 * Aggregations pushed down to Argus go through the query cache: the same store and TTLs as
 * metricData, one upstream call per key at a time, errors never kept. The whole-response cache is
 * off here, so every request reaches the query cache.
 */
const AGGREGATE = '/metrics/v1/metric/netstats/aggregate';
let setup: ArgusSetup;
const range = window(6);
const sum = (groupBy: string) =>
  `{ aggregate(source: "argus", metric: "netstats.packages", function: SUM, groupBy: ["${groupBy}"], from: "${range.from}", to: "${range.to}") { labels { key value } value pushedDown } }`;
const aggregateCalls = () => setup.argus.server.count(AGGREGATE);
const lookups = (result: string) => setup.gateway.metrics.count(setup.gateway.metrics.cacheLookups, { source: 'argus', result });

beforeAll(async () => {
  setup = await startArgusGateway({ source: { cacheTtl: { open: '1m', closed: '1h' }, retries: 0 }, config: { cache: { responses: false } } });
});

afterAll(async () => {
  await setup.close();
});

beforeEach(() => {
  setup.argus.server.clearFaults();
});

describe('pushed-down aggregates through the query cache', () => {
  it('asks Argus once for an aggregate asked twice', async () => {
    const before = aggregateCalls();
    const first = await gql(setup.gateway, sum('customer'));
    expect(first.data!.aggregate.length).toBeGreaterThan(0);
    expect(first.data!.aggregate.every((group: { pushedDown: boolean }) => group.pushedDown)).toBe(true);
    const calls = aggregateCalls() - before;
    expect(calls).toBeGreaterThan(0);
    expect(await gql(setup.gateway, sum('customer'))).toEqual(first);
    expect(aggregateCalls() - before).toBe(calls);
    expect(await lookups('hit')).toBeGreaterThanOrEqual(1);
  });

  it('sends one call for many requests asking the same at once', async () => {
    const before = aggregateCalls();
    const [missesBefore, sharedBefore] = [await lookups('miss'), (await lookups('hit')) + (await lookups('coalesced'))];
    const answers = await Promise.all(Array.from({ length: 12 }, () => gql(setup.gateway, sum('vlan'))));
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(answers[0]!.errors).toBeUndefined();
    // One aggregate request for the groups (the emulator's own count; the adapter may need more per aggregate).
    const perAggregate = aggregateCalls() - before;
    await gql(setup.gateway, sum('ipAddress'));
    expect(aggregateCalls() - before - perAggregate).toBe(perAggregate);
    // Two misses (vlan, ipAddress); the other eleven vlan requests joined the call or found its answer.
    expect((await lookups('miss')) - missesBefore).toBe(2);
    expect((await lookups('hit')) + (await lookups('coalesced')) - sharedBefore).toBe(11);
  });

  it('keeps no failure: the next request asks again and gets the answer', async () => {
    setup.argus.server.inject(argusFaults.unavailable({ times: 2, match: (request) => request.url.pathname === AGGREGATE }));
    const range2 = window(5);
    const query = `{ aggregate(source: "argus", metric: "netstats.packages", function: MAX, from: "${range2.from}", to: "${range2.to}") { value } }`;
    const failed = await gql(setup.gateway, query);
    expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'argus' });
    const before = aggregateCalls();
    const answered = await gql(setup.gateway, query);
    expect(answered.errors).toBeUndefined();
    expect(typeof answered.data!.aggregate[0].value).toBe('number');
    expect(aggregateCalls()).toBeGreaterThan(before);
  });
});
