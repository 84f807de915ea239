import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { startGateway } from '../helpers/gateway.js';

/**
 * Property-based abuse: random arguments and random documents. Whatever comes in, the gateway
 * answers with a 2xx/4xx and, when something is wrong, an error that names it (a code other than
 * an internal one, never the masked "Unexpected error."). The process stays up.
 */
describe('fuzzing arguments and documents', () => {
  let gateway: Gateway;

  beforeAll(async () => {
    gateway = await startGateway({ limits: { rateLimit: false }, sources: [{ id: 'native', kind: 'native' }] });
    const tracked = await post({ query: 'mutation { trackMetric(input: { name: "fuzz_total", value: 1, type: COUNTER, labels: { svc: "a" } }) { success } }' });
    expect(tracked.json.data.trackMetric.success).toBe(true);
  });
  afterAll(() => gateway?.close());

  async function post(body: unknown, raw = false): Promise<{ status: number; json: any }> {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: raw ? (body as string) : JSON.stringify(body),
    });
    const text = await response.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = { unparsable: text.slice(0, 200) };
    }
    return { status: response.status, json };
  }

  function expectNamedOutcome({ status, json }: { status: number; json: any }, input: unknown): void {
    const context = JSON.stringify({ input, status, json }).slice(0, 800);
    expect(status, context).toBeLessThan(500);
    for (const error of json.errors ?? []) {
      expect(error.message, context).not.toBe('Unexpected error.');
      expect(error.extensions?.code, context).not.toBe('INTERNAL_SERVER_ERROR');
      expect(error.message.length, context).toBeGreaterThan(0);
    }
    if (json.errors === undefined) expect(json.data, context).toBeDefined();
  }

  const text = fc.oneof(
    fc.string(),
    fc.constantFrom('now', 'now-1h', 'now-400d', '2024-02-30', '1e309', '-1', '', ' ', 'P1D', '5M', '0s', '1ms', 'NaN', 'fuzz_total', '../../etc'),
  );
  const filter = fc.record({ key: fc.string(), values: fc.array(fc.string(), { maxLength: 4 }), exclude: fc.boolean() });
  const json = fc.jsonValue({ maxDepth: 3 });

  it('metricData, aggregate and trend with random arguments', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          source: fc.oneof(fc.constant('native'), fc.string()),
          metric: fc.option(text, { nil: undefined }),
          metrics: fc.option(fc.array(text, { maxLength: 3 }), { nil: undefined }),
          from: fc.option(text, { nil: undefined }),
          to: fc.option(text, { nil: undefined }),
          interval: fc.option(fc.oneof(text, fc.integer()), { nil: undefined }),
          filters: fc.option(fc.array(filter, { maxLength: 3 }), { nil: undefined }),
          fn: fc.constantFrom('SUM', 'AVG', 'PERCENTILE', 'WAVG', 'BOGUS'),
          percentile: fc.option(fc.oneof(fc.double(), fc.integer()), { nil: undefined }),
          groupBy: fc.array(fc.string(), { maxLength: 3 }),
          extra: json,
        }),
        async (v) => {
          const query = `query($source: ID!, $metric: String, $metrics: [String!], $from: Time, $to: Time, $interval: Duration, $filters: [LabelFilter!],
                               $m: String!, $fn: AggregateFunction!, $p: Float, $g: [String!]) {
            metricData(source: $source, metric: $metric, metrics: $metrics, from: $from, to: $to, interval: $interval, filters: $filters) { metric values }
            aggregate(source: $source, metric: $m, function: $fn, percentile: $p, groupBy: $g, from: $from, to: $to, filters: $filters) { value }
            trend(source: $source, metric: $m, from: $from, to: $to) { direction }
          }`;
          const variables = { ...v, m: v.metric ?? 'fuzz_total', p: v.percentile, g: v.groupBy, extra: undefined, junk: v.extra };
          expectNamedOutcome(await post({ query, variables }), variables);
        },
      ),
      { numRuns: 100 },
    );
  }, 60_000);

  it('random and mutated documents', async () => {
    const valid =
      '{ metricData(source: "native", metric: "fuzz_total", from: "now-1h", interval: "5m") { metric labels { key value } points { timestamp value } } }';
    const mutated = fc
      .tuple(fc.nat(valid.length), fc.nat(20), fc.string({ maxLength: 10 }))
      .map(([at, cut, insert]) => valid.slice(0, at) + insert + valid.slice(at + cut));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          mutated,
          fc.string(),
          fc.constantFrom('{', '}}}}', 'query { __typename @skip(if: true) @skip(if: false) }', 'subscription { x }', '{ ' + 'a { '.repeat(200)),
        ),
        async (document) => {
          expectNamedOutcome(await post({ query: document }), document);
        },
      ),
      { numRuns: 150 },
    );
  }, 60_000);

  it('bodies that are not GraphQL requests', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), json.map((value) => JSON.stringify(value))), async (body) => {
        const { status, json: answer } = await post(body, true);
        expect(status, JSON.stringify({ body, status, answer }).slice(0, 500)).toBeLessThan(500);
        expect(status === 200 || (answer.errors?.length ?? 0) > 0, JSON.stringify({ body, status, answer }).slice(0, 500)).toBe(true);
      }),
      { numRuns: 100 },
    );
    // ...and the gateway is still answering.
    expect((await post({ query: '{ sources { id } }' })).json.data.sources).toEqual([{ id: 'native' }]);
  }, 60_000);
});
