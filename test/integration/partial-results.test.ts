import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { gql, startGateway } from '../helpers/gateway.js';

describe('partial results', () => {
  let gateway: Gateway;

  beforeAll(async () => {
    gateway = await startGateway({ sources: [{ id: 'native', kind: 'native' }, { id: 'edge', kind: 'native' }] });
    await gql(gateway, 'mutation { trackMetric(source: "native", input: { name: "uptime_ratio", value: 0.999 }) { success } }');
  });
  afterAll(() => gateway.close());

  it('nulls only the failing fields and names the source and code of each failure', async () => {
    const response = await gql(gateway, `{
      good: metricData(source: "native", metric: "uptime_ratio") { values }
      badMetric: metricData(source: "native", metric: "not a metric!") { values }
      unknown: metricData(source: "nowhere", metric: "uptime_ratio") { values }
      other: metricData(source: "edge", metric: "uptime_ratio") { values }
    }`);
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ good: [{ values: [0.999] }], badMetric: null, unknown: null, other: [] });
    const byPath = Object.fromEntries(response.errors!.map((error) => [error.path![0], error]));
    expect(byPath.badMetric!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', source: 'native' });
    expect(byPath.unknown!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', source: 'nowhere' });
    expect(byPath.unknown!.message).toBe("unknown source 'nowhere'; configured sources: native, edge");
    expect(response.errors).toHaveLength(2);
  });

  it('shares one adapter call between a failing and a succeeding query of the same source', async () => {
    const before = await gateway.metrics.count(gateway.metrics.upstreamCalls, { source: 'native' });
    const response = await gql(gateway, `{
      good: metricData(source: "native", metric: "uptime_ratio", from: "now-3h") { values }
      bad: metricData(source: "native", metric: "bad-name", from: "now-3h") { values }
    }`);
    expect(response.data!.good).toEqual([{ values: [0.999] }]);
    expect(response.data!.bad).toBeNull();
    expect(await gateway.metrics.count(gateway.metrics.upstreamCalls, { source: 'native' })).toBe(before + 1);
  });
});
