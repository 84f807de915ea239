import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { argusFaults } from '../../src/emulators/argus/index.js';
import { actionError, envelope } from '../../src/emulators/argus/envelope.js';
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

describe('pushed-down aggregates with maxStaleMs', () => {
  let stale: ArgusSetup;
  const packages = (fn: string) =>
    `{ aggregate(source: "argus", metric: "netstats.packages", function: ${fn}, groupBy: ["customer"], from: "${range.from}", to: "${range.to}") { labels { key value } value pushedDown } }`;

  beforeAll(async () => {
    stale = await startArgusGateway({
      source: { cacheTtl: { open: '50ms', closed: '50ms' }, retries: 0, circuitBreaker: false, maxStaleMs: 60_000 },
      config: { cache: { responses: false } },
    });
  });

  afterAll(async () => {
    await stale.close();
  });

  beforeEach(() => {
    stale.argus.server.clearFaults();
  });

  it('serve the last good answer with a STALE_DATA warning while Argus fails, and fresh ones once it is back', async () => {
    const fresh = await gql(stale.gateway, packages('SUM'));
    expect(fresh.errors).toBeUndefined();
    expect((fresh as { extensions?: { warnings?: unknown } }).extensions?.warnings).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 80)); // past the TTL
    stale.argus.server.inject(argusFaults.unavailable({ times: 10, match: (request) => request.url.pathname === AGGREGATE }));
    const served = (await gql(stale.gateway, packages('SUM'))) as unknown as { data: unknown; errors?: unknown; extensions: { warnings: Array<{ source: string; code: string; message: string }> } };
    expect(served.errors).toBeUndefined();
    expect(served.data).toEqual(fresh.data);
    expect(served.extensions.warnings).toEqual([expect.objectContaining({ source: 'argus', code: 'STALE_DATA' })]);
    expect(served.extensions.warnings[0]!.message).toContain('UPSTREAM_UNAVAILABLE');
    expect(await stale.gateway.metrics.count(stale.gateway.metrics.cacheLookups, { source: 'argus', result: 'stale' })).toBe(1);
    // Nothing kept for another aggregate: the failure stands.
    expect((await gql(stale.gateway, packages('MAX'))).errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'argus' });

    stale.argus.server.clearFaults();
    const back = await gql(stale.gateway, packages('SUM'));
    expect(back.errors).toBeUndefined();
    expect((back as { extensions?: { warnings?: unknown } }).extensions?.warnings).toBeUndefined();
  });

  it('do not cover up a refused query with an old answer', async () => {
    expect((await gql(stale.gateway, packages('SUM'))).errors).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 80)); // past the TTL; a stale copy is kept
    // 412 is how Argus refuses a request it finds invalid: the query's fault, not the source's.
    stale.argus.server.inject({ status: 412, body: envelope(412, null, { messages: [actionError('Invalid aggregation')] }), times: 10, match: (request) => request.url.pathname === AGGREGATE });
    const refused = await gql(stale.gateway, packages('SUM'));
    expect(refused.errors?.[0]?.extensions?.code).toBe('UPSTREAM_BAD_REQUEST');
    expect((refused as { extensions?: { warnings?: unknown } }).extensions?.warnings).toBeUndefined();
  });
});
