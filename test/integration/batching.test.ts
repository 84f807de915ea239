import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { gql, startGateway } from '../helpers/gateway.js';

describe('per-request batching', () => {
  let gateway: Gateway;

  beforeAll(async () => {
    gateway = await startGateway();
    await gql(gateway, `mutation {
      trackMetrics(inputs: [
        { name: "queue_depth", value: 4, service: "a" },
        { name: "queue_depth", value: 7, service: "b" },
        { name: "temperature", value: 21.5, labels: { room: "lab" } }
      ]) { successful }
    }`);
  });
  afterAll(() => gateway.close());

  it('sends N aliased metricData fields on one source to the adapter as one call', async () => {
    const calls = () => gateway.metrics.count(gateway.metrics.upstreamCalls, { source: 'native' });
    const queries = () => gateway.metrics.count(gateway.metrics.upstreamQueries, { source: 'native' });
    const callsBefore = await calls();
    const queriesBefore = await queries();

    const response = await gql(gateway, `{
      a: metricData(source: "native", metric: "queue_depth", filters: [{ key: "service", values: ["a"] }]) { values }
      b: metricData(source: "native", metric: "queue_depth", filters: [{ key: "service", values: ["b"] }]) { values }
      c: metricData(source: "native", metric: "temperature") { values label(key: "room") }
      d: metricData(source: "native", metrics: ["queue_depth", "temperature"]) { metric }
      e: metricData(source: "native", metric: "queue_depth", interval: "1m") { values }
    }`);

    expect(response.errors).toBeUndefined();
    expect(response.data!.a[0].values).toEqual([4]);
    expect(response.data!.b[0].values).toEqual([7]);
    expect(response.data!.c[0]).toEqual({ values: [21.5], label: 'lab' });
    expect(response.data!.d.map((s: { metric: string }) => s.metric).sort()).toEqual(['queue_depth', 'queue_depth', 'temperature']);
    expect(await calls()).toBe(callsBefore + 1);
    expect(await queries()).toBe(queriesBefore + 5);
  });

  it('asks identical fields of one request once', async () => {
    const queriesBefore = await gateway.metrics.count(gateway.metrics.upstreamQueries, { source: 'native' });
    const response = await gql(gateway, `{
      x: metricData(source: "native", metric: "temperature", from: "now-2h") { values }
      y: metricData(source: "native", metric: "temperature", from: "now-2h") { values }
    }`);
    expect(response.data!.x).toEqual(response.data!.y);
    expect(await gateway.metrics.count(gateway.metrics.upstreamQueries, { source: 'native' })).toBe(queriesBefore + 1);
  });
});
