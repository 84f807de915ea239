import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { gql, startGateway } from '../helpers/gateway.js';

const QUERY = `{ metricData(source: "native", metric: "jobs_done", from: "now-1h", interval: "5m") { values } }`;

describe.each([
  ['redis', () => ({ redis: { url: inject('redisUrl'), keyPrefix: `test:${randomUUID()}:` } })],
  ['in-memory', () => ({})],
])('cache (%s)', (_, extra) => {
  let gateway: Gateway;
  const calls = () => gateway.metrics.count(gateway.metrics.upstreamCalls, { source: 'native' });

  beforeAll(async () => {
    gateway = await startGateway({ ...extra(), sources: [{ id: 'native', kind: 'native', cacheTtl: { open: '1m' } }] });
    await gql(gateway, 'mutation { trackMetric(input: { name: "jobs_done", type: COUNTER, value: 3 }) { success } }');
    await waitForCacheReady(gateway);
  });
  afterAll(() => gateway.close());

  it('answers a repeated query from the cache without calling the source', async () => {
    const before = await calls();
    const first = await gql(gateway, QUERY);
    // Another document over the same data: past the whole-response cache, to the query cache.
    const second = await gql(gateway, QUERY.replace('{ values }', '{ values metric }'));
    expect(first.errors).toBeUndefined();
    expect(second.data!.metricData[0].values).toEqual(first.data!.metricData[0].values);
    expect(await calls()).toBe(before + 1);
    expect(await gateway.metrics.count(gateway.metrics.cacheLookups, { result: 'hit' })).toBeGreaterThanOrEqual(1);
  });

  it('makes one upstream call for concurrent identical misses from different requests', async () => {
    const query = `{ metricData(source: "native", metric: "jobs_done", from: "now-3h", interval: "10m") { values } }`;
    const before = await calls();
    const answers = await Promise.all(Array.from({ length: 8 }, () => gql(gateway, query)));
    for (const answer of answers) expect(answer.data).toEqual(answers[0]!.data);
    expect(await calls()).toBe(before + 1);
  });
});

async function waitForCacheReady(gateway: Gateway): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if (gateway.cache.store.health().healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('cache never became ready');
}
