import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { gql, startGateway } from '../helpers/gateway.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/redis.js';

/**
 * Redis dies (or hangs) under a running gateway. Every answer must still come, uncached, well
 * short of ioredis's default ten-second retry loop, and /health must say the cache is degraded.
 * The 2 s bound below only separates "fails fast" from "hangs"; speed is measured in bench/.
 */
describe('cache when Redis fails', () => {
  let redis: PrivateRedis;
  let gateway: Gateway;
  const query = (n: number) => `{ metricData(source: "native", metric: "outage_probe", from: "now-${n}h") { values } }`;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    gateway = await startGateway({ redis: { url: redis.url }, sources: [{ id: 'native', kind: 'native', cacheTtl: { open: '1m' } }] });
    await gql(gateway, 'mutation { trackMetric(input: { name: "outage_probe", value: 42 }) { success } }');
    for (let i = 0; i < 50 && !gateway.cache.store.health().healthy; i++) await sleep(50);
  });
  afterAll(async () => {
    await gateway.close();
    await redis.stop();
  });

  it('keeps answering when Redis is killed mid-test, and reports it in /health', async () => {
    expect((await gql(gateway, query(1))).data!.metricData[0].values).toEqual([42]);
    await redis.stop();

    for (let n = 1; n <= 5; n++) {
      const started = performance.now();
      const answer = await gql(gateway, query(n));
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.metricData[0].values).toEqual([42]);
      expect(performance.now() - started).toBeLessThan(2000);
    }
    const health = await (await fetch(`${gateway.url}/health`)).json();
    expect(health.status).toBe('degraded');
    expect(health.cache).toMatchObject({ kind: 'redis', healthy: false });
  });

  it('goes back to caching when Redis returns', async () => {
    await redis.start();
    for (let i = 0; i < 100 && !gateway.cache.store.health().healthy; i++) await sleep(50);
    expect(gateway.cache.store.health().healthy).toBe(true);
    await sleep(1100); // the store's back-off after the last failure
    const calls = () => gateway.metrics.count(gateway.metrics.upstreamCalls, { source: 'native' });
    const before = await calls();
    await gql(gateway, query(7));
    await sleep(50); // cache writes are not awaited by the response
    await gql(gateway, query(7));
    expect(await calls()).toBe(before + 1);
    const health = await (await fetch(`${gateway.url}/health`)).json();
    expect(health.cache.healthy).toBe(true);
  });

  it('answers within the command timeout when Redis hangs instead of dying', async () => {
    const pid = await redisPid(redis.port);
    process.kill(pid, 'SIGSTOP');
    try {
      for (let n = 10; n < 13; n++) {
        const started = performance.now();
        const answer = await gql(gateway, query(n));
        expect(answer.data!.metricData[0].values).toEqual([42]);
        expect(performance.now() - started).toBeLessThan(2000);
      }
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  });
});

async function redisPid(port: number): Promise<number> {
  const { Redis } = await import('ioredis');
  const client = new Redis(`redis://127.0.0.1:${port}`);
  try {
    const info = await client.info('server');
    return Number(/process_id:(\d+)/.exec(info)![1]);
  } finally {
    client.disconnect();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
