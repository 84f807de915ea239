import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { gql, startGateway } from '../helpers/gateway.js';

/** Bad input to metricData and the collector mutations: every case gets a clear BAD_USER_INPUT. */
describe('metricData and trackMetric refuse bad input clearly', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());

  it.each([
    ['from: "yesterday"', 'from', /Time must be ISO-8601 .* got 'yesterday'/],
    ['to: 1700000000', 'to', /looks like epoch seconds/],
    ['interval: "5 fortnights"', 'interval', /Duration must be a duration like 30s, 5m/],
    ['interval: "0s"', 'interval', /greater than zero/],
  ])('literal %s names the argument', async (argument, name, message) => {
    const response = await gql(gateway, `{ metricData(source: "native", metric: "m", ${argument}) { metric } }`);
    expect(response.status).toBe(400);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: name });
    expect(response.errors![0]!.message).toMatch(message);
    expect(response.errors![0]!.message).toContain(`argument "${name}"`);
  });

  it('a bad variable value names the variable and the argument', async () => {
    const response = await gql(gateway, 'query ($since: Time) { metricData(source: "native", metric: "m", from: $since) { metric } }', { since: 'last week' });
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'from' });
    expect(response.errors![0]!.message).toMatch(/variable \$since \(argument "from"\): Time must be/);
  });

  it.each([
    ['from: "now", to: "now-1h"', /from must be before to/],
    ['from: "2026-01-02T00:00:00Z", to: "2026-01-02T00:00:00Z"', /from must be before to/],
  ])('an empty or inverted range (%s) is refused', async (range, message) => {
    const response = await gql(gateway, `{ metricData(source: "native", metric: "m", ${range}) { metric } }`);
    expect(response.data).toEqual({ metricData: null });
    expect(response.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(response.errors![0]!.message).toMatch(message);
  });

  it.each([
    ['', /exactly one of metric or metrics/],
    ['metric: "a", metrics: ["b"]', /exactly one of metric or metrics/],
    ['metrics: []', /at least one metric/],
    ['metric: "m", darktrace: { did: 1 }', /darktrace parameters apply to darktrace sources; 'native' is a native source/],
  ])('metric selection %s is refused', async (args, message) => {
    const response = await gql(gateway, `{ metricData(source: "native" ${args ? `, ${args}` : ''}) { metric } }`);
    expect(response.errors![0]!.message).toMatch(message);
    expect(response.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['{ name: "x", value: 1, labels: { a: 1 } }', /labels.a must be a string; got 1/],
    ['{ name: "x", value: 1, labels: "a=b" }', /labels must be an object of string values/],
    ['{ name: "", value: 1 }', /name is required/],
    ['{ name: "c", type: COUNTER, value: -2 }', /counter only goes up/],
    ['{ name: "x", value: 1, service: "a", labels: { service: "b", exported_service: "c" } }', /differs from service \('a'\)/],
  ])('trackMetric(%s) is refused', async (input, message) => {
    const response = await gql(gateway, `mutation { trackMetric(input: ${input}) { success } }`);
    expect(response.data).toBeNull();
    expect(response.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(response.errors![0]!.message).toMatch(message);
  });

  it('a non-numeric value is refused by the schema before anything is stored', async () => {
    const response = await gql(gateway, 'mutation { trackMetric(input: { name: "x", value: "abc" }) { success } }');
    expect(response.status).toBe(400);
    expect(response.errors![0]!.message).toMatch(/Float cannot represent/);
    const stored = await gql(gateway, '{ metrics(source: "native", search: "x") { name } }');
    expect(stored.data!.metrics).toEqual([]);
  });

  it('a batch stores the good items and explains each bad one', async () => {
    const response = await gql(gateway, `mutation { trackMetrics(inputs: [
      { name: "batch_ok", value: 1 }, { name: "batch_ok", value: 2, labels: { n: 3 } }, { name: "batch.ok.2", value: 5 }
    ]) { success total successful failed results { index name success error } } }`);
    expect(response.data!.trackMetrics).toEqual({
      success: false, total: 3, successful: 2, failed: 1,
      results: [
        { index: 0, name: 'batch_ok', success: true, error: null },
        { index: 1, name: 'batch_ok', success: false, error: 'labels.n must be a string; got 3' },
        { index: 2, name: 'batch_ok_2', success: true, error: null },
      ],
    });
  });

  it('a metric keeps one type', async () => {
    await gql(gateway, 'mutation { trackMetric(input: { name: "typed", type: GAUGE, value: 1 }) { success } }');
    const response = await gql(gateway, 'mutation { trackMetric(input: { name: "typed", type: COUNTER, value: 1 }) { success } }');
    expect(response.errors![0]!.message).toBe("metric 'typed' is already a gauge; got type counter (one name, one type)");
  });
});
