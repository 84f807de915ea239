import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/load.js';
import { startDynatraceEmulator, type DynatraceEmulator } from '../../src/emulators/dynatrace/index.js';
import type { Gateway } from '../../src/gateway.js';
import { askEmulator, dynatraceSource, paramsOf } from '../helpers/dynatrace.js';
import { gql, startGateway } from '../helpers/gateway.js';

const DAY = 'from: "2024-01-08", to: "2024-01-09", interval: "1d"';

describe('dynatrace metric mappings', () => {
  let emulator: DynatraceEmulator;
  let gateway: Gateway;

  beforeAll(async () => {
    emulator = await startDynatraceEmulator();
    gateway = await startGateway({
      sources: [
        dynatraceSource(emulator, {
          customMappings: {
            'shop.requests.count': 'customer_requests',
            // No upstreamUnit: the unit comes from Dynatrace's catalogue (MicroSecond).
            'shop.request_duration': { name: 'customer_duration_ms', rollup: 'avg' },
          },
        }),
        dynatraceSource(emulator, {
          id: 'dynatrace_seed',
          // The integration document's table as written, with its two keys that do not exist.
          metricMappings: {
            'builtin:service.requestCount.total': 'http_requests',
            'builtin:service.errors.total': 'error_count',
            'builtin:service.keyRequest.count': 'key_requests',
          },
          cacheTtl: false,
        }),
      ],
    });
  });
  afterAll(async () => {
    await gateway.close();
    await emulator.close();
  });

  it('answers the same under the mapped name and under the Dynatrace key', async () => {
    const response = await gql(gateway, `{
      byName: metricData(source: "dynatrace", metric: "cpu_time_ms", ${DAY}) { metric upstreamMetric unit labels { key value } values }
      byKey: metricData(source: "dynatrace", metric: "builtin:service.cpu.time", ${DAY}) { metric upstreamMetric unit labels { key value } values }
    }`);
    expect(response.errors).toBeUndefined();
    expect(response.data!.byName.length).toBe(emulator.catalogue.world.services.length);
    expect(response.data!.byKey).toEqual(response.data!.byName);
    expect(response.data!.byName[0]).toMatchObject({ metric: 'cpu_time_ms', upstreamMetric: 'builtin:service.cpu.time', unit: 'ms' });
  });

  it('maps the integration document keys that do not exist to the real ones by default', async () => {
    const before = emulator.queryCalls().length;
    const response = await gql(gateway, `{
      errors: metricData(source: "dynatrace", metric: "builtin:service.errors.total", ${DAY}) { metric upstreamMetric }
      keyRequests: metricData(source: "dynatrace", metric: "builtin:service.keyRequest.count", ${DAY}) { metric upstreamMetric }
    }`);
    expect(response.errors).toBeUndefined();
    expect(response.data!.errors[0]).toEqual({ metric: 'error_count', upstreamMetric: 'builtin:service.errors.total.count' });
    expect(response.data!.keyRequests[0]).toEqual({ metric: 'key_requests', upstreamMetric: 'builtin:service.keyRequest.count.total' });
    expect(paramsOf(emulator.queryCalls()[before]!.rawPath).get('metricSelector')).toBe('builtin:service.errors.total.count,builtin:service.keyRequest.count.total');
  });

  it('serves custom mappings, converting units learnt from the catalogue', async () => {
    const response = await gql(gateway, `{
      requests: metricData(source: "dynatrace", metric: "customer_requests", ${DAY}, filters: [{ key: "customer_id", values: ["customer_005"] }], dynatrace: { splitBy: ["customer_id"] }) {
        metric upstreamMetric unit labels { key value } values
      }
      duration: metricData(source: "dynatrace", metric: "customer_duration_ms", ${DAY}, dynatrace: { splitBy: [] }) { metric unit values }
    }`);
    expect(response.errors).toBeUndefined();
    expect(response.data!.requests).toEqual([
      { metric: 'customer_requests', upstreamMetric: 'shop.requests.count', unit: 'count', labels: [{ key: 'customer_id', value: 'customer_005' }], values: [expect.any(Number)] },
    ]);
    const upstream = await askEmulator(emulator, `/api/v2/metrics/query?metricSelector=${encodeURIComponent('shop.request_duration:splitBy()')}&from=2024-01-08&to=2024-01-09&resolution=1d`);
    expect(response.data!.duration).toEqual([{ metric: 'customer_duration_ms', unit: 'ms', values: [upstream.body.result[0].data[0].values[0] / 1000] }]);
  });

  it('names an unknown key and the closest real keys, while the rest of the batch answers', async () => {
    const response = await gql(gateway, `{
      requests: metricData(source: "dynatrace_seed", metric: "http_requests", ${DAY}) { values }
      errors: metricData(source: "dynatrace_seed", metric: "error_count", ${DAY}) { values }
      keyRequests: metricData(source: "dynatrace_seed", metric: "key_requests", ${DAY}) { values }
    }`);
    expect(response.data!.requests.length).toBeGreaterThan(0);
    expect(response.data!.errors).toBeNull();
    expect(response.data!.keyRequests).toBeNull();
    const byPath = Object.fromEntries(response.errors!.map((error) => [error.path![0], error]));
    expect(byPath.errors!.extensions).toMatchObject({ code: 'UPSTREAM_NOT_FOUND', source: 'dynatrace_seed', field: 'metric' });
    expect(byPath.errors!.message).toBe(
      "dynatrace_seed has no metric 'builtin:service.errors.total' (mapped to error_count); the closest keys it has are " +
        'builtin:service.errors.total.rate, builtin:service.errors.total.count, builtin:service.errors.total.successCount',
    );
    expect(byPath.keyRequests!.message).toMatch(/^dynatrace_seed has no metric 'builtin:service.keyRequest.count' \(mapped to key_requests\); the closest keys it has are builtin:service\.keyRequest\.count\./);
  });

  it('suggests mapped names for an unmapped name Dynatrace does not know', async () => {
    const response = await gql(gateway, `{ metricData(source: "dynatrace", metric: "http_request", ${DAY}) { values } }`);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_NOT_FOUND' });
    expect(response.errors![0]!.message).toContain("dynatrace has no metric 'http_request'");
    expect(response.errors![0]!.message).toContain('mapped names close to it: http_requests');
  });

  it('refuses a config where two keys claim one name', async () => {
    await expect(
      startGateway({ sources: [dynatraceSource(emulator, { customMappings: { 'shop.requests.count': 'http_requests' } })] }),
    ).rejects.toThrow(ConfigError);
    await expect(
      startGateway({ sources: [dynatraceSource(emulator, { customMappings: { 'shop.requests.count': 'http_requests' } })] }),
    ).rejects.toThrow(/sources\[0\]\.customMappings\.shop\.requests\.count: maps to 'http_requests', which 'builtin:service\.requestCount\.total' already maps to/);
  });
});
