import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { deleteKeys, read, samples, track, uniquePrefix } from '../helpers/collector.js';
import { gql, startGateway } from '../helpers/gateway.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/redis.js';

/**
 * `store: redis`: two real gateways behind one real Redis share one view of the native
 * collector, as instances behind a load balancer would. And when that Redis goes away the
 * failure is reported (503, UPSTREAM_UNAVAILABLE, /health), never swallowed.
 */

describe('two gateways sharing one Redis store', () => {
  const prefix = uniquePrefix('shared');
  let a: Gateway;
  let b: Gateway;
  beforeAll(async () => {
    const config = { redis: { url: inject('redisUrl'), keyPrefix: prefix }, sources: [{ id: 'native', kind: 'native' as const, store: 'redis' as const, maxPointsPerSeries: 3 }] };
    [a, b] = await Promise.all([startGateway(config), startGateway(config)]);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await deleteKeys(inject('redisUrl'), prefix);
  });

  it('reads on B what was tracked on A, through REST and GraphQL', async () => {
    expect((await track(a, '/metrics/track', { name: 'orders', type: 'counter', value: 2, service: 'shop', tenant_id: 'acme', timestamp: 'now-2m' })).status).toBe(200);
    const mutation = await gql(a, 'mutation { trackMetric(input: { name: "orders", type: COUNTER, value: 3, service: "shop", tenantId: "acme" }) { success } }');
    expect(mutation.data!.trackMetric.success).toBe(true);

    const series = await read(b, '/metrics/series?name=orders&tenant_id=acme');
    expect(series.body.series).toEqual([
      expect.objectContaining({ name: 'orders', type: 'counter', service: 'shop', tenant_id: 'acme', point_count: 2, latest_value: 5 }),
    ]);
    const data = await gql(b, '{ metricData(source: "native", metric: "orders", from: "now-10m") { values label(key: "tenant_id") } metrics(source: "native") { name type } }');
    expect(data.data).toEqual({ metricData: [{ values: [2, 5], label: 'acme' }], metrics: [{ name: 'orders', type: 'counter' }] });
    expect(samples((await read(b, '/metrics')).body).get('orders_total{service="shop",tenant_id="acme"}')).toBe(5);
  });

  it('shares the bounds and the counts: both instances write, both see the same stats', async () => {
    await Promise.all([
      track(a, '/metrics/track/batch', [1, 2, 3].map((value) => ({ name: 'depth', value }))),
      track(b, '/metrics/track/batch', [4, 5].map((value) => ({ name: 'depth', value }))),
    ]);
    const [fromA, fromB] = await Promise.all([read(a, '/metrics/stats'), read(b, '/metrics/stats')]);
    expect(fromA.body.collector).toMatchObject({ store: 'redis', total_series: 2, total_points: 5, collected_points: 7, dropped_points: 2, max_points_per_series: 3 });
    expect(fromB.body.collector).toMatchObject({ total_series: 2, total_points: 5, collected_points: 7, dropped_points: 2 });
    expect((await read(b, '/metrics/series?name=depth')).body.series[0].point_count).toBe(3);
  });

  it('keeps one type per name across instances', async () => {
    await track(a, '/metrics/track', { name: 'kind_probe', value: 1, type: 'counter' });
    const other = await track(b, '/metrics/track', { name: 'kind_probe', value: 1, type: 'gauge' });
    expect(other.status).toBe(400);
    expect(other.body.detail).toBe("metric 'kind_probe' is already a counter; got type gauge (one name, one type)");
  });

  it('gives trends on B from points tracked on A', async () => {
    await track(a, '/metrics/track/batch', [
      { name: 'temperature', value: 10, timestamp: 'now-20m' },
      { name: 'temperature', value: 20, timestamp: 'now' },
    ]);
    expect((await read(b, '/metrics/trends/temperature?hours=1')).body).toMatchObject({ trend: 'increasing', change_percent: 100, first_value: 10, last_value: 20 });
  });
});

describe('a Redis store whose Redis goes away', () => {
  let redis: PrivateRedis;
  let gateway: Gateway;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    gateway = await startGateway({ redis: { url: redis.url }, sources: [{ id: 'native', kind: 'native', store: 'redis' }] });
    expect((await track(gateway, '/metrics/track', { name: 'before_outage', value: 1 })).status).toBe(200);
    await redis.stop();
  });
  afterAll(async () => {
    await gateway.close();
    await redis.stop();
  });

  it('answers tracks and reads with 503 naming the store', async () => {
    const tracked = await track(gateway, '/metrics/track', { name: 'during_outage', value: 1 });
    expect(tracked.status).toBe(503);
    expect(tracked.body.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(tracked.body.detail).toMatch(/^the native store in Redis failed \(record\): /);
    const series = await read(gateway, '/metrics/series');
    expect(series.status).toBe(503);
    expect(series.body.detail).toMatch(/^the native store in Redis failed \(series\): /);
  });

  it('fails GraphQL with UPSTREAM_UNAVAILABLE and /health says the source is down', async () => {
    const mutation = await gql(gateway, 'mutation { trackMetric(input: { name: "x", value: 1 }) { success } }');
    expect(mutation.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'native' });
    const query = await gql(gateway, '{ metricData(source: "native", metric: "before_outage") { values } }');
    expect(query.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'native' });
    const health = await read(gateway, '/health');
    expect(health.body.status).toBe('degraded');
    expect(health.body.sources[0]).toMatchObject({ id: 'native', healthy: false, message: expect.stringMatching(/^the native store in Redis failed \(stats\): /) });
  });

  it('works again once Redis is back', async () => {
    await redis.start();
    let status = 0;
    for (let i = 0; i < 60 && status !== 200; i++) {
      status = (await track(gateway, '/metrics/track', { name: 'after_outage', value: 1 })).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
    expect((await read(gateway, '/metrics/series?name=after_outage')).body.total).toBe(1);
  });
});
