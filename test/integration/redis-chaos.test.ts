import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { gql, startGateway } from '../helpers/gateway.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/redis.js';

/**
 * Redis is killed and started again while clients keep querying: cache, shared rate limits and
 * everything else keep answering (uncached, per instance), and no client request fails.
 */
describe('Redis killed and restarted under load', () => {
  let redis: PrivateRedis;
  let gateway: Gateway;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    gateway = await startGateway({
      redis: { url: redis.url },
      // A limit no client here reaches, so the Redis-backed limiter is on the path without refusing.
      limits: { rateLimit: { requests: 10_000_000, windowMs: 60_000 } },
      sources: [{ id: 'native', kind: 'native', cacheTtl: { open: '500ms' } }],
    });
    await gql(gateway, 'mutation { trackMetric(input: { name: "chaos_probe", value: 7 }) { success } }');
  });
  afterAll(async () => {
    await gateway?.close();
    await redis?.stop();
  });

  it('answers every request while Redis dies and comes back', async () => {
    const body = JSON.stringify({ query: '{ metricData(source: "native", metric: "chaos_probe", from: "now-1h") { values } }' });
    const bad: string[] = [];
    const run = autocannon({
      url: `${gateway.url}/graphql`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      connections: 4,
      duration: 5,
      verifyBody: (text) => {
        const ok = typeof text === 'string' && text.includes('"values":[7]') && !text.includes('"errors"');
        if (!ok && bad.length < 5) bad.push(String(text).slice(0, 300));
        return ok;
      },
    });
    const chaos = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await redis.stop();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await redis.start();
    })();
    const [result] = await Promise.all([run, chaos]);
    expect(bad).toEqual([]);
    expect({ errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, mismatches: result.mismatches }).toEqual({ errors: 0, timeouts: 0, non2xx: 0, mismatches: 0 });
    expect(result.requests.total).toBeGreaterThan(100);
    console.log(`redis chaos: ${result.requests.total} requests, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);
    // ...and the cache recovers by itself.
    for (let i = 0; i < 100 && !gateway.cache.store.health().healthy; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gateway.cache.store.health().healthy).toBe(true);
  }, 30_000);
});
