import { afterEach, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { NativeSource } from '../../src/sources/native/adapter.js';
import { read, samples, track } from '../helpers/collector.js';
import { startGateway } from '../helpers/gateway.js';

/**
 * The collector's limits as a user meets them: set by the 254Carbon service's environment
 * variables or by the source's config (config wins), enforced oldest-first, and every dropped
 * point counted in /metrics/stats and in the scrape.
 */

const ENV = ['ACCESS_MAX_METRIC_SERIES', 'ACCESS_MAX_POINTS_PER_SERIES', 'ACCESS_AGGREGATION_WINDOW_SECONDS', 'ACCESS_RETENTION_HOURS'] as const;

describe('native collector limits', () => {
  let gateway: Gateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
    for (const name of ENV) delete process.env[name];
  });

  it('has the documented defaults', async () => {
    gateway = await startGateway();
    const stats = (await read(gateway, '/metrics/stats')).body;
    expect(stats.collector).toMatchObject({ max_series: 10000, max_points_per_series: 1000, retention_seconds: 86400 });
    expect(stats.aggregator.window_size_seconds).toBe(300);
  });

  it('reads the 254Carbon environment variables', async () => {
    Object.assign(process.env, { ACCESS_MAX_METRIC_SERIES: '2', ACCESS_MAX_POINTS_PER_SERIES: '3', ACCESS_AGGREGATION_WINDOW_SECONDS: '60', ACCESS_RETENTION_HOURS: '2' });
    gateway = await startGateway();
    const stats = (await read(gateway, '/metrics/stats')).body;
    expect(stats.collector).toMatchObject({ max_series: 2, max_points_per_series: 3, retention_seconds: 7200 });
    expect(stats.aggregator.window_size_seconds).toBe(60);
  });

  it('lets the source config win over the environment', async () => {
    Object.assign(process.env, { ACCESS_MAX_METRIC_SERIES: '2', ACCESS_MAX_POINTS_PER_SERIES: '3', ACCESS_AGGREGATION_WINDOW_SECONDS: '60', ACCESS_RETENTION_HOURS: '2' });
    gateway = await startGateway({ sources: [{ id: 'native', kind: 'native', maxSeries: 50, maxPointsPerSeries: 40, aggregationWindow: '10m', retention: '3h' }] });
    const stats = (await read(gateway, '/metrics/stats')).body;
    expect(stats.collector).toMatchObject({ max_series: 50, max_points_per_series: 40, retention_seconds: 10800 });
    expect(stats.aggregator.window_size_seconds).toBe(600);
  });

  it('refuses to start on a bad environment value, naming it', async () => {
    Object.assign(process.env, { ACCESS_MAX_METRIC_SERIES: 'lots', ACCESS_RETENTION_HOURS: '-1' });
    await expect(startGateway()).rejects.toThrow(
      "native source settings from the environment: ACCESS_MAX_METRIC_SERIES must be a positive whole number; got 'lots'; ACCESS_RETENTION_HOURS must be a positive whole number; got '-1'",
    );
  });

  it('refuses store: redis without a Redis to keep it in', async () => {
    await expect(startGateway({ sources: [{ id: 'native', kind: 'native', store: 'redis' }] })).rejects.toThrow(
      "source 'native': store: redis needs the gateway's redis.url (or REDIS_URL); none is configured",
    );
  });

  it('drops the oldest points past the per-series limit and counts them', async () => {
    gateway = await startGateway({ sources: [{ id: 'native', kind: 'native', maxPointsPerSeries: 3 }] });
    await track(gateway, '/metrics/track/batch', [1, 2, 3, 4, 5].map((value, i) => ({ name: 'depth', value, timestamp: Date.now() - (10 - i) * 1000 })));
    const [series] = (await read(gateway, '/metrics/series?name=depth')).body.series;
    expect(series.points.map((p: { value: number }) => p.value)).toEqual([3, 4, 5]);
    expect((await read(gateway, '/metrics/stats')).body.collector).toMatchObject({ dropped_points: 2, dropped_by_reason: { point_limit: 2 } });
    expect(samples((await read(gateway, '/metrics')).body).get('metrics_dropped_points_total{reason="point_limit",source="native"}')).toBe(2);
  });

  it('evicts the series whose newest point is oldest past the series limit and counts its points', async () => {
    gateway = await startGateway({ sources: [{ id: 'native', kind: 'native', maxSeries: 2 }] });
    const now = Date.now();
    await track(gateway, '/metrics/track/batch', [
      { name: 'temp', value: 1, labels: { room: 'a' }, timestamp: now - 30_000 },
      { name: 'temp', value: 2, labels: { room: 'a' }, timestamp: now - 25_000 },
      { name: 'temp', value: 3, labels: { room: 'b' }, timestamp: now - 20_000 },
      { name: 'temp', value: 4, labels: { room: 'c' }, timestamp: now - 10_000 },
    ]);
    const rooms = (await read(gateway, '/metrics/series?name=temp')).body.series.map((s: { labels: { room: string } }) => s.labels.room);
    expect(rooms.sort()).toEqual(['b', 'c']);
    expect((await read(gateway, '/metrics/stats')).body.collector).toMatchObject({ total_series: 2, dropped_by_reason: { series_limit: 2 } });
    expect(samples((await read(gateway, '/metrics')).body).get('metrics_dropped_points_total{reason="series_limit",source="native"}')).toBe(2);
  });

  it('sweeps out points older than the retention and counts them', async () => {
    gateway = await startGateway({ sources: [{ id: 'native', kind: 'native', retention: '1h' }] });
    await track(gateway, '/metrics/track/batch', [
      { name: 'aging', value: 1, timestamp: 'now-50m' },
      { name: 'aging', value: 2, timestamp: 'now-5m' },
    ]);
    const source = gateway.registry.get('native') as NativeSource;
    // Twenty minutes on, the first point is past the hour.
    await source.store.sweep(Date.now() + 20 * 60_000);
    const [series] = (await read(gateway, '/metrics/series?name=aging')).body.series;
    expect(series.points.map((p: { value: number }) => p.value)).toEqual([2]);
    expect((await read(gateway, '/metrics/stats')).body.collector).toMatchObject({ total_points: 1, dropped_by_reason: { retention: 1 } });
  });
});
