import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynatraceEmulator, type DynatraceEmulator } from '../../src/emulators/dynatrace/index.js';
import type { Gateway } from '../../src/gateway.js';
import { dynatraceSource, paramsOf } from '../helpers/dynatrace.js';
import { gql, startGateway } from '../helpers/gateway.js';

const RANGE = 'from: "2024-01-15", to: "2024-01-16", interval: "1d"';

describe('dynatrace partial results', () => {
  let emulator: DynatraceEmulator;
  let gateway: Gateway;

  beforeAll(async () => {
    emulator = await startDynatraceEmulator();
    gateway = await startGateway({ sources: [dynatraceSource(emulator, { cacheTtl: false }), { id: 'native', kind: 'native' }] });
  });
  afterAll(async () => {
    await gateway.close();
    await emulator.close();
  });

  it('fails only the fields whose metric or parameter Dynatrace refuses', async () => {
    const before = emulator.queryCalls().length;
    const response = await gql(gateway, `{
      good: metricData(source: "dynatrace", metric: "http_requests", ${RANGE}, dynatrace: { splitBy: [] }) { values }
      alsoGood: metricData(source: "dynatrace", metric: "http_duration_ms", ${RANGE}, dynatrace: { splitBy: [] }) { values }
      unknown: metricData(source: "dynatrace", metric: "builtin:service.requestCount.totl", ${RANGE}) { values }
      badAggregation: metricData(source: "dynatrace", metric: "error_count", ${RANGE}, dynatrace: { aggregation: "avg" }) { values }
      badInterval: metricData(source: "dynatrace", metric: "http_requests", ${RANGE.replace('"1d"', '"90s"')}) { values }
      otherSource: metricData(source: "native", metric: "anything") { values }
    }`);

    expect(response.status).toBe(200);
    expect(response.data!.good[0].values[0]).toBeGreaterThan(0);
    expect(response.data!.alsoGood[0].values[0]).toBeGreaterThan(0);
    expect(response.data!.otherSource).toEqual([]);
    expect(response.data!.unknown).toBeNull();
    expect(response.data!.badAggregation).toBeNull();
    expect(response.data!.badInterval).toBeNull();
    const byPath = Object.fromEntries(response.errors!.map((error) => [error.path![0], error]));
    expect(Object.keys(byPath).sort()).toEqual(['badAggregation', 'badInterval', 'unknown']);
    expect(byPath.unknown!.extensions).toMatchObject({ code: 'UPSTREAM_NOT_FOUND', source: 'dynatrace' });
    expect(byPath.unknown!.message).toContain('the closest keys it has are builtin:service.requestCount.total');
    expect(byPath.badAggregation!.extensions).toMatchObject({ code: 'UPSTREAM_BAD_REQUEST', source: 'dynatrace' });
    expect(byPath.badAggregation!.message).toContain('Aggregation avg is not supported by metric builtin:service.errors.total.count');
    expect(byPath.badInterval!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'interval' });

    // One call for the batch; the 404 retried without the unknown key; the 400 split by query.
    const selectors = emulator.queryCalls().slice(before).map((call) => paramsOf(call.rawPath).get('metricSelector'));
    expect(selectors[0]!.split(',')).toHaveLength(4);
    expect(selectors).toContain('builtin:service.requestCount.total:splitBy(),builtin:service.response.time:splitBy(),builtin:service.errors.total.count:avg');
    expect(selectors).toContain('builtin:service.requestCount.total:splitBy()');
    expect(selectors).toContain('builtin:service.errors.total.count:avg');
  });
});
