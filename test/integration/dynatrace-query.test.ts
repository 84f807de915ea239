import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNATRACE_TOKENS, startDynatraceEmulator, type DynatraceEmulator } from '../../src/emulators/dynatrace/index.js';
import type { Gateway } from '../../src/gateway.js';
import { askEmulator, dynatraceSource, paramsOf } from '../helpers/dynatrace.js';
import { gql, startGateway } from '../helpers/gateway.js';

const MONDAY = Date.parse('2024-01-08T00:00:00Z');
const HOUR = 3_600_000;

describe('dynatrace metricData', () => {
  let emulator: DynatraceEmulator;
  let gateway: Gateway;

  beforeAll(async () => {
    emulator = await startDynatraceEmulator();
    gateway = await startGateway({ sources: [dynatraceSource(emulator)] });
  });
  afterAll(async () => {
    await gateway.close();
    await emulator.close();
  });

  it('sends ten aliased fields to Dynatrace as one metricSelector of ten metrics', async () => {
    const metrics = [
      'http_requests', 'http_duration_ms', 'cpu_time_ms', 'error_count', 'db_connections', 'key_requests',
      'builtin:service.requestCount.client', 'builtin:service.errors.total.rate', 'shop.requests.count', 'builtin:service.dbconnections.failure',
    ];
    const fields = metrics.map((metric, i) => `m${i}: metricData(source: "dynatrace", metric: "${metric}", from: "2024-01-08T00:00:00Z", to: "2024-01-08T06:00:00Z", interval: "1h") { metric upstreamMetric unit }`);
    const before = emulator.queryCalls().length;

    const response = await gql(gateway, `{ ${fields.join('\n')} }`);

    expect(response.errors).toBeUndefined();
    const calls = emulator.queryCalls().slice(before);
    expect(calls).toHaveLength(1);
    const params = paramsOf(calls[0]!.rawPath);
    expect(params.get('metricSelector')!.split(',')).toEqual([
      'builtin:service.requestCount.total', 'builtin:service.response.time', 'builtin:service.cpu.time', 'builtin:service.errors.total.count',
      'builtin:service.dbconnections.success', 'builtin:service.keyRequest.count.total', 'builtin:service.requestCount.client',
      'builtin:service.errors.total.rate', 'shop.requests.count', 'builtin:service.dbconnections.failure',
    ]);
    expect(params.get('from')).toBe(String(MONDAY));
    expect(params.get('to')).toBe(String(MONDAY + 6 * HOUR));
    expect(params.get('resolution')).toBe('1h');
    expect(calls[0]!.headers.authorization).toBe(`Api-Token ${DYNATRACE_TOKENS.read}`);
    expect(response.data!.m0[0]).toEqual({ metric: 'http_requests', upstreamMetric: 'builtin:service.requestCount.total', unit: 'count' });
    expect(response.data!.m1[0]).toEqual({ metric: 'http_duration_ms', upstreamMetric: 'builtin:service.response.time', unit: 'ms' });
    expect(response.data!.m3[0].upstreamMetric).toBe('builtin:service.errors.total.count');
    expect(response.data!.m5[0].upstreamMetric).toBe('builtin:service.keyRequest.count.total');
    expect(response.data!.m6[0]).toEqual({ metric: 'builtin:service.requestCount.client', upstreamMetric: null, unit: 'count' });
    expect(response.data!.m7[0].unit).toBe('percent');
  });

  it('needs a second call for an eleventh metric', async () => {
    const keys = ['http_requests', 'http_duration_ms', 'cpu_time_ms', 'error_count', 'db_connections', 'key_requests', 'builtin:service.requestCount.client',
      'builtin:service.errors.total.rate', 'shop.requests.count', 'builtin:service.dbconnections.failure', 'builtin:service.dbconnections.total'];
    const before = emulator.queryCalls().length;
    const response = await gql(gateway, `{ metricData(source: "dynatrace", metrics: ${JSON.stringify(keys)}, from: "2024-01-09T00:00:00Z", to: "2024-01-09T02:00:00Z", interval: "1h") { metric } }`);
    expect(response.errors).toBeUndefined();
    const calls = emulator.queryCalls().slice(before);
    expect(calls.map((call) => paramsOf(call.rawPath).get('metricSelector')!.split(',').length)).toEqual([10, 1]);
    expect(new Set(response.data!.metricData.map((series: { metric: string }) => series.metric)).size).toBe(11);
  });

  it('converts microseconds to milliseconds and stamps each point with the start of its slot', async () => {
    const response = await gql(gateway, `{
      metricData(source: "dynatrace", metric: "http_duration_ms", from: "2024-01-08T00:00:00Z", to: "2024-01-08T03:00:00Z", interval: "1h",
                 filters: [{ key: "dt.entity.service", values: ["${emulator.catalogue.world.services[0]!.entityId}"] }]) {
        unit interval labels { key value } timestamps values
      }
    }`);
    expect(response.errors).toBeUndefined();
    const [series] = response.data!.metricData;
    const upstream = await askEmulator(
      emulator,
      `/api/v2/metrics/query?metricSelector=${encodeURIComponent(`builtin:service.response.time:filter(eq("dt.entity.service","${emulator.catalogue.world.services[0]!.entityId}"))`)}&from=${MONDAY}&to=${MONDAY + 3 * HOUR}&resolution=1h`,
    );
    const raw = upstream.body.result[0].data[0];
    expect(raw.timestamps).toEqual([MONDAY + HOUR, MONDAY + 2 * HOUR, MONDAY + 3 * HOUR]);
    expect(series.timestamps).toEqual([MONDAY, MONDAY + HOUR, MONDAY + 2 * HOUR]);
    expect(series.values).toEqual(raw.values.map((microseconds: number) => microseconds / 1000));
    expect(series.values.every((ms: number) => ms > 10 && ms < 1000)).toBe(true);
    expect(series.unit).toBe('ms');
    expect(series.interval).toBe('1h');
    expect(series.labels).toEqual([{ key: 'dt.entity.service', value: emulator.catalogue.world.services[0]!.entityId }]);
  });

  it('translates label filters into :filter conditions and keeps nulls as gaps', async () => {
    const staging = emulator.catalogue.world.services.filter((service) => service.environment === 'staging').slice(0, 2);
    const before = emulator.queryCalls().length;
    // Friday to Monday: staging services are switched off at weekends, so Saturday and Sunday are gaps.
    const response = await gql(gateway, `{
      metricData(source: "dynatrace", metric: "http_requests", from: "2024-01-05", to: "2024-01-08", interval: "1d",
                 filters: [{ key: "dt.entity.service", values: ${JSON.stringify(staging.map((service) => service.entityId))} }]) {
        label(key: "dt.entity.service") timestamps values
      }
    }`);
    expect(response.errors).toBeUndefined();
    const selector = paramsOf(emulator.queryCalls()[before]!.rawPath).get('metricSelector');
    expect(selector).toBe(`builtin:service.requestCount.total:filter(or(eq("dt.entity.service","${staging[0]!.entityId}"),eq("dt.entity.service","${staging[1]!.entityId}")))`);
    expect(response.data!.metricData.map((series: { label: string }) => series.label).sort()).toEqual(staging.map((service) => service.entityId).sort());
    for (const series of response.data!.metricData) {
      expect(series.timestamps).toEqual([Date.parse('2024-01-05'), Date.parse('2024-01-06'), Date.parse('2024-01-07')]);
      expect(series.values[0]).toBeGreaterThan(0);
      expect(series.values.slice(1)).toEqual([null, null]);
    }
  });

  it('excludes label values with ne conditions and splits with :splitBy', async () => {
    const before = emulator.queryCalls().length;
    const response = await gql(gateway, `{
      metricData(source: "dynatrace", metric: "shop.requests.count", from: "2024-01-08", to: "2024-01-09", interval: "1d",
                 filters: [{ key: "plan_tier", values: ["free"], exclude: true }, { key: "environment", values: ["production"] }],
                 dynatrace: { splitBy: ["customer_id"] }) {
        labels { key value } values
      }
    }`);
    expect(response.errors).toBeUndefined();
    expect(paramsOf(emulator.queryCalls()[before]!.rawPath).get('metricSelector')).toBe(
      'shop.requests.count:filter(ne("plan_tier","free"),eq("environment","production")):splitBy("customer_id")',
    );
    const customers = response.data!.metricData.map((series: { labels: Array<{ value: string }> }) => series.labels.map((label) => label.value).join()).sort();
    expect(customers).toEqual(['customer_001', 'customer_002', 'customer_003', 'customer_004']);
  });

  it('passes entitySelector, mzSelector and aggregation through to Dynatrace', async () => {
    const before = emulator.queryCalls().length;
    const response = await gql(gateway, `{
      metricData(source: "dynatrace", metric: "http_duration_ms", from: "2024-01-08T00:00:00Z", to: "2024-01-08T01:00:00Z", interval: "1h",
                 dynatrace: { entitySelector: "type(\\"SERVICE\\"),tag(\\"team:payments\\")", mzSelector: "mzName(\\"production\\")", aggregation: "percentile(90)" }) {
        label(key: "dt.entity.service") values
      }
    }`);
    expect(response.errors).toBeUndefined();
    const params = paramsOf(emulator.queryCalls()[before]!.rawPath);
    expect(params.get('entitySelector')).toBe('type("SERVICE"),tag("team:payments")');
    expect(params.get('mzSelector')).toBe('mzName("production")');
    expect(params.get('metricSelector')).toBe('builtin:service.response.time:percentile(90)');
    const expected = emulator.catalogue.world.services.filter((service) => service.team === 'payments' && service.environment === 'production');
    expect(response.data!.metricData.map((series: { label: string }) => series.label).sort()).toEqual(expected.map((service) => service.entityId).sort());
  });

  it('surfaces Dynatrace warnings as response extensions, from cache too', async () => {
    const query = `{ metricData(source: "dynatrace", metric: "http_requests", from: "2024-01-08", to: "2024-01-09", interval: "1d",
                      filters: [{ key: "customer_id", values: ["customer_001"] }]) { values } }`;
    const first = await gql(gateway, query);
    const callsAfterFirst = emulator.queryCalls().length;
    const second = await gql(gateway, query);

    for (const response of [first, second]) {
      expect(response.errors).toBeUndefined();
      expect(response.data!.metricData).toEqual([]);
      expect((response as { extensions?: { warnings?: unknown } }).extensions?.warnings).toEqual([
        { source: 'dynatrace', metric: 'http_requests', message: 'The dimension key `customer_id` has been referenced, but the metric has no such key.' },
      ]);
    }
    expect(emulator.queryCalls().length).toBe(callsAfterFirst);
  });

  it('asks nothing upstream for a filter that lists no values', async () => {
    const before = emulator.queryCalls().length;
    const response = await gql(gateway, `{ metricData(source: "dynatrace", metric: "http_requests", from: "2024-01-10", to: "2024-01-11", filters: [{ key: "region", values: [] }]) { values } }`);
    expect(response.data!.metricData).toEqual([]);
    expect(emulator.queryCalls().length).toBe(before);
  });
});
