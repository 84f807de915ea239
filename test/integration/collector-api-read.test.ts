import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { read, track } from '../helpers/collector.js';
import { gql, startGateway } from '../helpers/gateway.js';

/**
 * GET /metrics/series, GET /metrics/trends/{name} and GET /metrics/stats: the documented shapes,
 * filters that combine with AND, trends with `stable`, 404 for unknown metrics, counts that are
 * real; and one store behind the REST API and GraphQL.
 */

const MINUTE = 60_000;
const WINDOW = 5 * MINUTE;
/** A window boundary two hours ago: every trend window below starts on one. */
const B = Math.floor((Date.now() - 2 * 60 * MINUTE) / WINDOW) * WINDOW;
const at = (windows: number, offsetMs = 0) => B + windows * WINDOW + offsetMs;

describe('GET /metrics/series', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway();
    const response = await track(gateway, '/metrics/track/batch', [
      { name: 'orders', value: 1, service: 'shop', tenant_id: 'acme', labels: { region: 'eu' }, timestamp: at(0) },
      { name: 'orders', value: 2, service: 'shop', tenant_id: 'acme', labels: { region: 'eu' }, timestamp: at(1) },
      { name: 'orders', value: 3, service: 'shop', tenant_id: 'globex', timestamp: at(1) },
      { name: 'orders', value: 4, service: 'billing', tenant_id: 'acme', timestamp: at(2) },
      { name: 'refunds', value: 5, service: 'shop', tenant_id: 'acme', timestamp: at(2) },
    ]);
    expect(response.body.failed).toBe(0);
  });
  afterAll(() => gateway.close());

  const names = (body: any) => body.series.map((s: any) => `${s.name}/${s.service}/${s.tenant_id}`);

  it('lists every series with its points, newest values and ISO timestamps', async () => {
    const response = await read(gateway, '/metrics/series');
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(4);
    expect(response.body.timestamp).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    const eu = response.body.series.find((s: any) => s.labels.region === 'eu');
    expect(eu).toEqual({
      name: 'orders',
      type: 'gauge',
      labels: { region: 'eu' },
      service: 'shop',
      tenant_id: 'acme',
      point_count: 2,
      latest_value: 2,
      latest_timestamp: new Date(at(1)).toISOString(),
      points: [
        { value: 1, timestamp: new Date(at(0)).toISOString() },
        { value: 2, timestamp: new Date(at(1)).toISOString() },
      ],
    });
  });

  it('combines service, tenant_id and name with AND (the original let service replace the others)', async () => {
    expect(names((await read(gateway, '/metrics/series?service=shop&tenant_id=acme')).body)).toEqual(['orders/shop/acme', 'refunds/shop/acme']);
    expect(names((await read(gateway, '/metrics/series?service=shop&name=orders')).body)).toEqual(['orders/shop/acme', 'orders/shop/globex']);
    expect(names((await read(gateway, '/metrics/series?tenant_id=acme&name=orders')).body).sort()).toEqual(['orders/billing/acme', 'orders/shop/acme']);
    expect(names((await read(gateway, '/metrics/series?service=billing&tenant_id=globex')).body)).toEqual([]);
  });

  it('looks names up sanitised, as they were stored', async () => {
    expect((await read(gateway, '/metrics/series?name=re-funds')).body.total).toBe(0);
    await track(gateway, '/metrics/track', { name: 'page-views', value: 1 });
    expect((await read(gateway, '/metrics/series?name=page-views')).body.series[0].name).toBe('page_views');
  });

  it('takes limit (total still counts every match) and points (the newest n)', async () => {
    const limited = await read(gateway, '/metrics/series?name=orders&limit=1');
    expect(limited.body.series).toHaveLength(1);
    expect(limited.body).toMatchObject({ total: 3, limit: 1 });
    const newest = await read(gateway, '/metrics/series?name=orders&tenant_id=acme&service=shop&points=1');
    expect(newest.body.series[0].points).toEqual([{ value: 2, timestamp: new Date(at(1)).toISOString() }]);
    const none = await read(gateway, '/metrics/series?name=orders&points=0');
    expect(none.body.series.every((s: any) => !('points' in s))).toBe(true);
  });

  it.each([
    ['limit=0', "GET /metrics/series: limit must be a whole number from 1 to 1000000; got '0'", 'limit'],
    ['limit=ten', "GET /metrics/series: limit must be a whole number from 1 to 1000000; got 'ten'", 'limit'],
    ['points=-1', "GET /metrics/series: points must be a whole number from 0 to 1000000; got '-1'", 'points'],
    ['service=', "GET /metrics/series: query parameter 'service' is empty; leave it out or give a value", 'service'],
    ['servce=shop', "GET /metrics/series does not take the query parameter 'servce'; it takes 'service', 'tenant_id', 'name', 'limit', 'points', 'source'", 'servce'],
    ['name=a&name=b', "GET /metrics/series: query parameter 'name' is given more than once", 'name'],
    ['name=%20', "GET /metrics/series: query parameter 'name' is empty; leave it out or give a value", 'name'],
  ])('refuses %s with 400', async (query, detail, field) => {
    const response = await read(gateway, `/metrics/series?${query}`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ detail, code: 'BAD_USER_INPUT', field });
  });
});

describe('GET /metrics/trends/{name}', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway();
    const gauge = (name: string, values: number[], extra: Record<string, unknown> = {}) =>
      values.map((value, i) => ({ name, value, timestamp: at(i, 30_000), ...extra }));
    const response = await track(gateway, '/metrics/track/batch', [
      ...gauge('rising', [10, 12, 15]),
      ...gauge('falling', [100, 90, 80]),
      ...gauge('flat', [100, 101, 102]),
      ...gauge('from_zero', [0, 5]),
      ...gauge('lonely', [7]),
      // Two points in one window average out; two services average together.
      { name: 'latency', value: 10, service: 'a', timestamp: at(0, 1000) },
      { name: 'latency', value: 30, service: 'b', timestamp: at(0, 2000) },
      { name: 'latency', value: 40, service: 'a', timestamp: at(1, 1000) },
      // Counters: the increments of every series in a window add up.
      ...[0, 1, 2].flatMap((i) => [
        { name: 'hits', type: 'counter', value: 5, service: 'a', timestamp: at(i, 1000) },
        { name: 'hits', type: 'counter', value: 5 + 5 * i, service: 'b', timestamp: at(i, 2000) },
      ]),
    ]);
    expect(response.body.failed).toBe(0);
  });
  afterAll(() => gateway.close());

  it('reports an increasing metric with its change in percent and the window values', async () => {
    const response = await read(gateway, '/metrics/trends/rising?hours=24');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      metric_name: 'rising',
      trend: 'increasing',
      change_percent: 50,
      data_points: [0, 1, 2].map((i) => ({ timestamp: new Date(at(i)).toISOString(), value: [10, 12, 15][i] })),
      period_hours: 24,
      window_seconds: 300,
      threshold_percent: 5,
      series_count: 1,
      first_value: 10,
      last_value: 15,
      min_value: 10,
      max_value: 15,
      avg_value: 12.33,
      start_time: expect.stringMatching(/Z$/),
      end_time: expect.stringMatching(/Z$/),
    });
  });

  it('reports decreasing, and stable below the threshold (5% by default, ?threshold= to change it)', async () => {
    expect((await read(gateway, '/metrics/trends/falling')).body).toMatchObject({ trend: 'decreasing', change_percent: -20 });
    expect((await read(gateway, '/metrics/trends/flat')).body).toMatchObject({ trend: 'stable', change_percent: 2, period_hours: 24 });
    expect((await read(gateway, '/metrics/trends/flat?threshold=1')).body).toMatchObject({ trend: 'increasing', threshold_percent: 1 });
  });

  it('gives no percentage from zero but still a direction', async () => {
    expect((await read(gateway, '/metrics/trends/from_zero')).body).toMatchObject({ trend: 'increasing', change_percent: null, first_value: 0, last_value: 5 });
  });

  it('says why there is no trend with one window of data', async () => {
    expect((await read(gateway, '/metrics/trends/lonely')).body).toMatchObject({
      trend: 'stable',
      change_percent: 0,
      data_points: [{ timestamp: new Date(at(0)).toISOString(), value: 7 }],
      message: 'only one aggregation window holds data; a trend needs two',
    });
  });

  it('averages gauge points per window across series, and sums counter increments', async () => {
    expect((await read(gateway, '/metrics/trends/latency')).body).toMatchObject({
      data_points: [{ value: 20 }, { value: 40 }],
      trend: 'increasing',
      change_percent: 100,
      series_count: 2,
    });
    expect((await read(gateway, '/metrics/trends/latency?service=a')).body).toMatchObject({ data_points: [{ value: 10 }, { value: 40 }], series_count: 1 });
    expect((await read(gateway, '/metrics/trends/hits')).body).toMatchObject({ data_points: [{ value: 10 }, { value: 15 }, { value: 20 }], change_percent: 100 });
  });

  it('looks back only `hours` (from the start of the window `hours` ago falls in)', async () => {
    // `hours` ago is ten seconds into the third window, so the first two drop out.
    const hours = (Date.now() - at(2) - 10_000) / 3_600_000;
    const response = await read(gateway, `/metrics/trends/rising?hours=${hours.toFixed(3)}`);
    expect(response.body.data_points.map((p: { value: number }) => p.value)).toEqual([15]);
  });

  it('answers a metric that does not exist with 404', async () => {
    const response = await read(gateway, '/metrics/trends/never_pushed');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ detail: "metric 'never_pushed' does not exist in native source 'native'", code: 'NOT_FOUND', field: 'metric_name' });
    const elsewhere = await read(gateway, '/metrics/trends/rising?tenant_id=acme');
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.detail).toBe("metric 'rising' does not exist in native source 'native' for tenant 'acme'");
  });

  it.each([
    ['rising?hours=0', "GET /metrics/trends/{name}: hours must be a number above 0 and at most 8784; got '0'", 'hours'],
    ['rising?hours=a%20day', "GET /metrics/trends/{name}: hours must be a number above 0 and at most 8784; got 'a day'", 'hours'],
    ['rising?threshold=-5', "GET /metrics/trends/{name}: threshold must be a number from 0 to 1000000; got '-5'", 'threshold'],
    ['rising?days=1', "GET /metrics/trends/{name} does not take the query parameter 'days'; it takes 'hours', 'service', 'tenant_id', 'threshold', 'source'", 'days'],
    ['%20', "metric_name must be a metric name (letters, digits and _); got ' '", 'metric_name'],
  ])('refuses %s with 400', async (path, detail, field) => {
    const response = await read(gateway, `/metrics/trends/${path}`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ detail, code: 'BAD_USER_INPUT', field });
  });
});

describe('GET /metrics/stats', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway({ sources: [{ id: 'native', kind: 'native', maxPointsPerSeries: 2 }] });
  });
  afterAll(() => gateway.close());

  it('gives collector, aggregator and exporter figures that are real counts', async () => {
    const before = await read(gateway, '/metrics/stats');
    expect(before.body).toMatchObject({
      collector: { total_points: 0, total_series: 0, dropped_points: 0, collected_points: 0, last_collection: null, active_series: 0, queue_size: 0, running: true, store: 'memory', max_series: 10000, max_points_per_series: 2, retention_seconds: 86400 },
      aggregator: { window_size_seconds: 300, total_aggregated_series: 0, total_aggregated_metrics: 0, running: true },
      exporter: { exporter_type: 'prometheus', supported_formats: ['prometheus', 'aggregated'], total_exports: 0, last_export: null },
    });
    await track(gateway, '/metrics/track/batch', [
      ...[1, 2, 3, 4].map((value) => ({ name: 'counted', value })),
      { name: 'other', value: 1, timestamp: 'now-1h' },
      { name: 'refused', value: 'abc' },
    ]);
    await read(gateway, '/metrics');
    const after = await read(gateway, '/metrics/stats');
    expect(after.body.collector).toMatchObject({
      total_points: 3,
      total_series: 2,
      dropped_points: 2,
      dropped_by_reason: { point_limit: 2, series_limit: 0, retention: 0 },
      collected_points: 5,
      rejected_points: 1,
      // `other` has no point in the last aggregation window.
      active_series: 1,
    });
    expect(Date.now() - Date.parse(after.body.collector.last_collection)).toBeLessThan(10_000);
    expect(after.body.aggregator).toMatchObject({ total_aggregated_series: 2, total_aggregated_metrics: 2 });
    expect(after.body.exporter.total_exports).toBe(1);
    expect(Date.now() - Date.parse(after.body.exporter.last_export)).toBeLessThan(10_000);
  });
});

describe('one store behind the REST API and GraphQL', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());

  it('shows REST-tracked points in metricData and GraphQL-tracked points in /metrics/series', async () => {
    await track(gateway, '/metrics/track/batch', [
      { name: 'shared_jobs', type: 'counter', value: 2, service: 'worker', timestamp: 'now-2m' },
      { name: 'shared_jobs', type: 'counter', value: 3, service: 'worker', timestamp: 'now-1m' },
    ]);
    const mutation = await gql(gateway, 'mutation { trackMetric(input: { name: "shared_jobs", type: COUNTER, value: 5, service: "worker" }) { success } }');
    expect(mutation.data!.trackMetric.success).toBe(true);
    const graphql = await gql(gateway, '{ metricData(source: "native", metric: "shared_jobs", from: "now-10m") { values label(key: "service") } }');
    expect(graphql.data!.metricData).toEqual([{ values: [2, 5, 10], label: 'worker' }]);
    const rest = await read(gateway, '/metrics/series?name=shared_jobs');
    expect(rest.body.series[0]).toMatchObject({ point_count: 3, latest_value: 10, service: 'worker' });
    expect((await read(gateway, '/metrics')).body).toMatch(/^shared_jobs_total\{service="worker"\} 10$/m);
  });
});

describe('routes around the collector', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());

  it('answers unknown paths under /metrics with 404 listing the routes', async () => {
    for (const path of ['/metrics/nope', '/metrics/trends/a/b', '/metrics/track/batch/x']) {
      const response = await read(gateway, path);
      expect(response.status, path).toBe(404);
      expect(response.body.detail).toBe(
        `no route GET ${path}; the collector serves POST /metrics/track, POST /metrics/track/batch, GET /metrics, GET /metrics/series, GET /metrics/trends/{name}, GET /metrics/stats`,
      );
    }
  });

  it('leaves GET /health to the gateway', async () => {
    const response = await read(gateway, '/health');
    expect(response.status).toBe(200);
    expect(response.body.sources[0]).toMatchObject({ id: 'native', healthy: true });
  });
});
