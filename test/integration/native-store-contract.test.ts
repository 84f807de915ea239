import { pino } from 'pino';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { BadUserInputError } from '../../src/core/errors.js';
import { MemoryNativeStore } from '../../src/sources/native/memory-store.js';
import type { TrackedPoint } from '../../src/sources/native/point.js';
import { RedisNativeStore } from '../../src/sources/native/redis-store.js';
import type { NativeLimits, NativeStore } from '../../src/sources/native/store.js';
import { deleteKeys, uniquePrefix } from '../helpers/collector.js';

/**
 * One behaviour, two stores: the memory store and the Redis store (on the real Redis the tests
 * share, under a prefix of their own) must keep the same bounds, count the same drops, add up
 * counters the same way and keep tenants apart the same way.
 */

const NOW = Date.now();
const S = 1000;
const prefixes: string[] = [];
const opened: NativeStore[] = [];

type Make = (limits?: Partial<NativeLimits>, reserved?: string[]) => NativeStore;

const STORES: Array<[string, Make]> = [
  ['memory', (limits = {}, reserved = []) => new MemoryNativeStore({ limits, reservedNames: new Set(reserved), sweepEveryMs: 0 })],
  [
    'redis',
    (limits = {}, reserved = []) => {
      const keyPrefix = uniquePrefix('contract');
      prefixes.push(keyPrefix);
      return new RedisNativeStore({ url: inject('redisUrl'), sourceId: 'contract', keyPrefix, limits, reservedNames: new Set(reserved), sweepEveryMs: 0, log: pino({ level: 'silent' }) });
    },
  ],
];

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  for (const prefix of prefixes) await deleteKeys(inject('redisUrl'), prefix);
});

function point(overrides: Partial<TrackedPoint> = {}): TrackedPoint {
  return { name: 'queue_depth', type: 'gauge', value: 1, timestamp: NOW - 60 * S, labels: {}, ...overrides };
}

describe.each(STORES)('%s store', (_, makeStore) => {
  const make: Make = (...args) => {
    const store = makeStore(...args);
    opened.push(store);
    return store;
  };

  async function record(store: NativeStore, points: TrackedPoint[], now = NOW): Promise<Array<Error | undefined>> {
    return store.record(points, now);
  }

  async function columns(store: NativeStore, name: string, from?: number) {
    const states = await store.series({ name });
    const points = await store.points(states.map((state) => state.id), from);
    return states.map((state) => ({ labels: state.labels, ...points.get(state.id)! }));
  }

  it('adds counter increments up to running totals, late ones included', async () => {
    const store = make();
    const jobs = (value: number, ago: number) => point({ name: 'jobs', type: 'counter', value, timestamp: NOW - ago * S });
    await record(store, [jobs(1, 40), jobs(2, 20), jobs(10, 10)]);
    await record(store, [jobs(5, 30)]);
    const [series] = await columns(store, 'jobs');
    expect(series!.timestamps).toEqual([NOW - 40 * S, NOW - 30 * S, NOW - 20 * S, NOW - 10 * S]);
    expect(series!.values).toEqual([1, 6, 8, 18]);
    const [later] = await columns(store, 'jobs', NOW - 25 * S);
    expect(later).toMatchObject({ values: [8, 18], before: 6 });
    expect((await store.series({ name: 'jobs' }))[0]).toMatchObject({ latestValue: 18, pointCount: 4, latestTimestamp: NOW - 10 * S });
  });

  it('keeps gauges in timestamp order and one series per label set, in any key order', async () => {
    const store = make();
    await record(store, [point({ value: 7, timestamp: NOW - 10 * S, labels: { a: '1', b: '2' } }), point({ value: 3, timestamp: NOW - 30 * S, labels: { b: '2', a: '1' } })]);
    const [series] = await columns(store, 'queue_depth');
    expect(series).toMatchObject({ labels: { a: '1', b: '2' }, values: [3, 7] });
    expect((await store.stats(0)).series).toBe(1);
  });

  it('drops the oldest points past maxPointsPerSeries, counts them, and keeps counting them in totals', async () => {
    const store = make({ maxPointsPerSeries: 3 });
    await record(store, [1, 2, 3, 4, 5].map((value, i) => point({ name: 'jobs', type: 'counter', value, timestamp: NOW - (10 - i) * S })));
    const [series] = await columns(store, 'jobs');
    expect(series).toMatchObject({ values: [6, 10, 15], before: 3 });
    expect(await store.stats(0)).toMatchObject({ series: 1, points: 3, collected: 5, dropped: 2, droppedBy: { point_limit: 2, series_limit: 0, retention: 0 } });
  });

  it('keeps the newest points and the running totals through many trims, late points included', async () => {
    const store = make({ maxPointsPerSeries: 50 });
    const jobs = (ago: number) => point({ name: 'jobs', type: 'counter', value: 1, timestamp: NOW - ago * S });
    for (let batch = 0; batch < 5; batch++) {
      await record(store, Array.from({ length: 100 }, (_, i) => jobs(1000 - batch * 100 - i)));
    }
    let [series] = await columns(store, 'jobs');
    expect(series!.values).toEqual(Array.from({ length: 50 }, (_, i) => 451 + i));
    expect(series!.before).toBe(450);
    // Older than every kept point: it is the oldest, so it is trimmed at once, yet it still counts.
    await record(store, [jobs(2000)]);
    [series] = await columns(store, 'jobs');
    expect(series!.values).toEqual(Array.from({ length: 50 }, (_, i) => 452 + i));
    expect(series!.timestamps[0]).toBe(NOW - 550 * S);
    expect(await store.stats(0)).toMatchObject({ points: 50, collected: 501, droppedBy: { point_limit: 451 } });
  });

  it('evicts the series whose newest point is oldest at maxSeries, and forgets a metric left without series', async () => {
    const store = make({ maxSeries: 2 });
    await record(store, [
      point({ name: 'old_metric', timestamp: NOW - 50 * S, labels: { host: 'a' } }),
      point({ name: 'new_metric', timestamp: NOW - 40 * S, labels: { host: 'b' } }),
      point({ name: 'old_metric', timestamp: NOW - 30 * S, labels: { host: 'a' } }),
      point({ name: 'new_metric', timestamp: NOW - 20 * S, labels: { host: 'c' } }),
    ]);
    expect((await store.series({})).map((s) => s.labels.host)).toEqual(['c', 'a']);
    await record(store, [point({ name: 'third', timestamp: NOW - 10 * S })]);
    expect((await store.metrics()).map((m) => m.name).sort()).toEqual(['new_metric', 'third']);
    expect(await store.stats(0)).toMatchObject({ series: 2, points: 2, collected: 5, droppedBy: { series_limit: 3 } });
    // old_metric is forgotten entirely, so it may come back as another type.
    expect(await record(store, [point({ name: 'old_metric', type: 'counter', timestamp: NOW })])).toEqual([undefined]);
  });

  it('refuses points older than the retention, and sweeps out points that grew old', async () => {
    const store = make({ retentionMs: 60 * S });
    const [tooOld] = await record(store, [point({ timestamp: NOW - 61 * S })]);
    expect(tooOld).toBeInstanceOf(BadUserInputError);
    expect(tooOld!.message).toMatch(/^timestamp .* is older than the retention of 1m/);
    await record(store, [
      point({ name: 'jobs', type: 'counter', value: 2, timestamp: NOW - 50 * S }),
      point({ name: 'jobs', type: 'counter', value: 3, timestamp: NOW - 10 * S }),
      point({ name: 'gone', timestamp: NOW - 40 * S }),
    ]);
    await store.sweep(NOW + 25 * S);
    expect((await store.metrics()).map((m) => m.name)).toEqual(['jobs']);
    expect((await columns(store, 'jobs'))[0]).toMatchObject({ values: [5], before: 2 });
    expect(await store.stats(0)).toMatchObject({ series: 1, points: 1, dropped: 2, droppedBy: { retention: 2 } });
  });

  it('keeps one type per name and refuses names that would clash in the scrape', async () => {
    const store = make({}, ['gateway_http_requests_total']);
    const results = await record(store, [
      point({ name: 'jobs', type: 'counter' }),
      point({ name: 'jobs', type: 'gauge', labels: { other: 'series' } }),
      point({ name: 'jobs_total', type: 'gauge' }),
      point({ name: 'latency', type: 'histogram' }),
      point({ name: 'latency_bucket', type: 'gauge' }),
      point({ name: 'gateway_http_requests', type: 'counter' }),
    ]);
    expect(results.map((result) => result?.message)).toEqual([
      undefined,
      "metric 'jobs' is already a counter; got type gauge (one name, one type)",
      "metric 'jobs_total' would appear in the Prometheus scrape as 'jobs_total', which metric 'jobs' already uses; pick another name",
      undefined,
      "metric 'latency_bucket' would appear in the Prometheus scrape as 'latency_bucket', which metric 'latency' already uses; pick another name",
      "metric 'gateway_http_requests' would appear in the Prometheus scrape as 'gateway_http_requests_total', which the gateway's own metrics already uses; pick another name",
    ]);
    expect(results.every((result) => result === undefined || result instanceof BadUserInputError)).toBe(true);
    expect((await store.stats(0)).collected).toBe(2);
  });

  it('keeps tenants apart: a scoped read sees one tenant only', async () => {
    const store = make();
    await record(store, [
      point({ name: 'orders', value: 1, tenantId: 'acme', labels: { tenant_id: 'acme' } }),
      point({ name: 'orders', value: 2, tenantId: 'globex', labels: { tenant_id: 'globex' } }),
      point({ name: 'orders', value: 3 }),
      point({ name: 'acme_only', value: 4, tenantId: 'acme', labels: { tenant_id: 'acme' } }),
    ]);
    expect((await store.series({ tenantId: 'acme' })).map((s) => [s.name, s.latestValue])).toEqual([['acme_only', 4], ['orders', 1]]);
    expect((await store.series({ name: 'orders', tenantId: 'globex' })).map((s) => s.latestValue)).toEqual([2]);
    expect((await store.series({ name: 'orders' })).map((s) => s.latestValue).sort()).toEqual([1, 2, 3]);
    expect((await store.metrics({ tenantId: 'globex' })).map((m) => [m.name, m.seriesCount])).toEqual([['orders', 1]]);
    expect((await store.metrics()).find((m) => m.name === 'orders')!.seriesCount).toBe(3);
    expect(await store.series({ tenantId: 'initech' })).toEqual([]);
  });

  it('combines service and label filters with AND', async () => {
    const store = make();
    await record(store, [
      point({ service: 'shop', labels: { service: 'shop', region: 'eu' } }),
      point({ service: 'shop', labels: { service: 'shop', region: 'us' } }),
      point({ service: 'billing', labels: { service: 'billing', region: 'eu' } }),
    ]);
    const chosen = await store.series({ service: 'shop', filters: [{ key: 'region', values: ['eu'], exclude: false }] });
    expect(chosen.map((s) => s.labels)).toEqual([{ service: 'shop', region: 'eu' }]);
  });

  it('keeps cumulative histogram buckets and summary sums through trimming', async () => {
    const store = make({ maxPointsPerSeries: 2 });
    await record(store, [0.003, 0.3, 3, 30].map((value, i) => point({ name: 'latency', type: 'histogram', value, timestamp: NOW - (10 - i) * S })));
    await record(store, [1, 2, 3].map((value, i) => point({ name: 'size', type: 'summary', value, timestamp: NOW - (10 - i) * S })));
    const [latency] = await store.series({ name: 'latency' });
    expect(latency!.histogram).toEqual({
      bounds: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      counts: [1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1],
      count: 4,
      sum: 33.303,
    });
    expect(latency!.pointCount).toBe(2);
    const [size] = await store.series({ name: 'size' });
    expect(size!.summary).toEqual({ count: 3, sum: 6 });
  });

  it('reports real stats: metrics, active series, last collection', async () => {
    const store = make();
    await record(store, [point({ name: 'a', timestamp: NOW - 600 * S }), point({ name: 'b', timestamp: NOW - 5 * S }), point({ name: 'b', labels: { x: '1' }, timestamp: NOW - 5 * S })], NOW);
    expect(await store.stats(NOW - 60 * S)).toMatchObject({ series: 3, points: 3, collected: 3, metrics: 2, active: 2, lastCollection: NOW });
    expect((await store.health()).healthy).toBe(true);
    expect((await store.health()).message).toMatch(/^3 series, 3 points in (memory|redis)$/);
  });
});
