import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { read, samples, track } from '../helpers/collector.js';
import { startGateway } from '../helpers/gateway.js';

/**
 * GET /metrics?format=prometheus[&aggregated=true]: what the 254Carbon README promised and its
 * code never served (its route was shadowed): Prometheus text with HELP and TYPE, counters as
 * running totals, histogram buckets, summaries with quantiles, and the gateway's own metrics in
 * the same scrape. promtool checks the same scrapes in test/e2e/prometheus-promtool.test.ts.
 */

const HOUR = 3_600_000;

describe('GET /metrics (raw)', () => {
  let gateway: Gateway;
  let text: string;
  beforeAll(async () => {
    gateway = await startGateway({
      sources: [{ id: 'native', kind: 'native', metricBuckets: { job_size_bytes: [1000, 10000] }, summaryQuantiles: [0.5, 0.9, 0.99] }],
    });
    const response = await track(gateway, '/metrics/track/batch', [
      ...[1, 2, 3].map((value) => ({ name: 'orders', type: 'counter', value, service: 'shop', help: 'Orders placed' })),
      { name: 'queue_depth', value: 7, labels: { queue: 'a' } },
      { name: 'queue_depth', value: 4, labels: { queue: 'a' } },
      ...[0.003, 0.04, 0.3, 20].map((value) => ({ name: 'request_seconds', type: 'histogram', value })),
      ...[3, 300, 30_000].map((value) => ({ name: 'request_ms', type: 'histogram', value, unit: 'ms' })),
      ...[500, 5000, 50_000].map((value) => ({ name: 'job_size_bytes', type: 'histogram', value })),
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((value) => ({ name: 'payload_kb', type: 'summary', value })),
      { name: 'odd_labels', value: 1, labels: { path: 'C:\\temp\n"quoted"' }, help: 'Back\\slash and\nnewline' },
    ]);
    expect(response.body.failed).toBe(0);
    await read(gateway, '/metrics/series');
    const scrape = await read(gateway, '/metrics?format=prometheus');
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    text = scrape.body;
  });
  afterAll(() => gateway.close());

  it('gives counters as running totals under <name>_total, with HELP and TYPE', async () => {
    expect(text).toContain('# HELP orders_total Orders placed\n# TYPE orders_total counter\norders_total{service="shop"} 6\n');
  });

  it("gives gauges their newest value and describes metrics pushed without help", async () => {
    expect(text).toContain(
      "# HELP queue_depth queue_depth: a gauge pushed to the native collector 'native'\n# TYPE queue_depth gauge\nqueue_depth{queue=\"a\"} 4\n",
    );
  });

  it('gives histograms cumulative _bucket{le} counts with +Inf, _sum and _count', async () => {
    const got = samples(text);
    const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10].map((le) => got.get(`request_seconds_bucket{le="${le}"}`));
    expect(buckets).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3]);
    expect(got.get('request_seconds_bucket{le="+Inf"}')).toBe(4);
    expect(got.get('request_seconds_sum')).toBeCloseTo(20.343, 12);
    expect(got.get('request_seconds_count')).toBe(4);
    expect(text).toContain('# TYPE request_seconds histogram\n');
  });

  it('scales the default buckets to milliseconds for a metric in ms, and takes buckets per metric', async () => {
    const got = samples(text);
    expect(got.get('request_ms_bucket{le="5"}')).toBe(1);
    expect(got.get('request_ms_bucket{le="500"}')).toBe(2);
    expect(got.get('request_ms_bucket{le="10000"}')).toBe(2);
    expect(got.get('request_ms_bucket{le="+Inf"}')).toBe(3);
    expect([...got.keys()].filter((key) => key.startsWith('job_size_bytes_bucket'))).toEqual([
      'job_size_bytes_bucket{le="1000"}',
      'job_size_bytes_bucket{le="10000"}',
      'job_size_bytes_bucket{le="+Inf"}',
    ]);
    expect(got.get('job_size_bytes_bucket{le="10000"}')).toBe(2);
  });

  it('gives summaries quantiles over the kept observations, with _sum and _count', async () => {
    const got = samples(text);
    expect(got.get('payload_kb{quantile="0.5"}')).toBe(5.5);
    expect(got.get('payload_kb{quantile="0.9"}')).toBeCloseTo(9.1, 12);
    expect(got.get('payload_kb{quantile="0.99"}')).toBeCloseTo(9.91, 12);
    expect(got.get('payload_kb_sum')).toBe(55);
    expect(got.get('payload_kb_count')).toBe(10);
    expect(text).toContain('# TYPE payload_kb summary\n');
  });

  it('escapes label values and help text', async () => {
    expect(text).toContain('# HELP odd_labels Back\\\\slash and\\nnewline\n');
    expect(text).toContain('odd_labels{path="C:\\\\temp\\n\\"quoted\\""} 1\n');
  });

  it("carries the gateway's own metrics and the collector's figures in the same scrape", async () => {
    const got = samples(text);
    expect(got.get('gateway_http_requests_total{route="/metrics/track/batch",status="2xx"}')).toBe(1);
    expect(got.get('gateway_http_requests_total{route="/metrics/series",status="2xx"}')).toBe(1);
    expect(text).toContain('# TYPE gateway_upstream_duration_seconds histogram\n');
    expect(text).toContain('# TYPE gateway_cache_lookups_total counter\n');
    expect(text).toContain('# TYPE gateway_active_streams gauge\n');
    expect(got.get('metrics_collected_total{source="native"}')).toBe(26);
    expect(got.get('metrics_series_total{source="native"}')).toBe(7);
    expect(got.get('metrics_points_total{source="native"}')).toBe(26);
    expect(got.get('metrics_dropped_points_total{reason="point_limit",source="native"}')).toBe(0);
    expect(got.get('metrics_exported_total{source="native"}')).toBe(1);
    expect(got.get('metrics_collection_duration_seconds_count{source="native"}')).toBe(1);
  });

  it('gives every family exactly one HELP and one TYPE line', async () => {
    const help = [...text.matchAll(/^# HELP (\S+)/gm)].map((m) => m[1]);
    const type = [...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]);
    expect(help).toEqual(type);
    expect(new Set(help).size).toBe(help.length);
  });

  it.each([
    ['format=json', "Only 'prometheus' format is supported; got format 'json'", 'format'],
    ['format=invalid', "Only 'prometheus' format is supported; got format 'invalid'", 'format'],
    ['aggregated=maybe', "GET /metrics: aggregated must be true or false; got 'maybe'", 'aggregated'],
    ['pretty=1', "GET /metrics does not take the query parameter 'pretty'; it takes 'format', 'aggregated', 'source'", 'pretty'],
  ])('refuses %s with 400 (the original answered 200 to anything)', async (query, detail, field) => {
    const response = await read(gateway, `/metrics?${query}`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ detail, code: 'BAD_USER_INPUT', field });
  });
});

describe('GET /metrics?aggregated=true', () => {
  let gateway: Gateway;
  let windowStart: number;
  beforeAll(async () => {
    // An hour-long window keeps the "last complete window" still while the test runs.
    if (Date.now() % HOUR > HOUR - 10_000) await new Promise((resolve) => setTimeout(resolve, 11_000));
    windowStart = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
    gateway = await startGateway({ sources: [{ id: 'native', kind: 'native', aggregationWindow: '1h', retention: '3h' }] });
    const response = await track(gateway, '/metrics/track/batch', [
      { name: 'done', type: 'counter', value: 4, service: 'w', timestamp: windowStart - 60_000 },
      { name: 'done', type: 'counter', value: 2, service: 'w', timestamp: windowStart + 60_000 },
      { name: 'done', type: 'counter', value: 3, service: 'w', timestamp: windowStart + 120_000 },
      { name: 'temp', value: 10, timestamp: windowStart + 60_000 },
      { name: 'temp', value: 20, timestamp: windowStart + 120_000 },
      // In the current window only: not part of the aggregated export yet.
      { name: 'fresh', value: 1 },
    ]);
    expect(response.body.failed).toBe(0);
  });
  afterAll(() => gateway.close());

  it('gives _avg, _min and _max of the last complete window, and _increase for counters', async () => {
    const scrape = await read(gateway, '/metrics?format=prometheus&aggregated=true');
    expect(scrape.status).toBe(200);
    const got = samples(scrape.body);
    expect(got.get('done_increase{service="w"}')).toBe(5);
    expect(got.get('done_avg{service="w"}')).toBe(2.5);
    expect(got.get('done_min{service="w"}')).toBe(2);
    expect(got.get('done_max{service="w"}')).toBe(3);
    expect(got.get('temp_avg')).toBe(15);
    expect(got.get('temp_max')).toBe(20);
    expect([...got.keys()].some((key) => key.startsWith('fresh'))).toBe(false);
    expect([...got.keys()].some((key) => key.startsWith('done_total'))).toBe(false);
    expect(scrape.body).toContain(
      `# HELP temp_avg Mean of the readings of temp in the last complete 3600s aggregation window ${new Date(windowStart).toISOString()} to ${new Date(windowStart + HOUR).toISOString()}\n# TYPE temp_avg gauge\n`,
    );
    expect(got.get('metrics_collected_total{source="native"}')).toBe(6);
  });
});

describe('GET /metrics with several native sources', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway({ sources: [{ id: 'native', kind: 'native' }, { id: 'lab', kind: 'native' }] });
    await track(gateway, '/metrics/track?source=lab', { name: 'lab_temp', value: 21 });
  });
  afterAll(() => gateway.close());

  it("always serves the gateway's own metrics, and each source's series with ?source=", async () => {
    const all = await read(gateway, '/metrics');
    expect(all.status).toBe(200);
    expect(all.body).toContain('# several native sources (native, lab): scrape /metrics?source=<id> for their series\n');
    expect(all.body).toMatch(/^metrics_collected_total\{source="lab"\} 1$/m);
    expect(all.body).toMatch(/^metrics_collected_total\{source="native"\} 0$/m);
    expect(all.body).not.toMatch(/^lab_temp/m);
    const lab = await read(gateway, '/metrics?source=lab');
    expect(lab.body).toMatch(/^lab_temp 21$/m);
  });
});
