import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AbuseGateway } from '../helpers/abuse-gateway.js';
import { expectWithstood, FUZZ_LIMITS, fuzzParameters, startFuzzGateway } from '../helpers/abuse-fuzz.js';
import { graphqlBody, headersOf, nestedLists, nestedObjects, SEED_METRIC } from './corpus.js';

/**
 * Property-based fuzzing of GraphQL variables against a gateway process with keys configured:
 * random JSON in every variable of every scalar and input type the schema takes (JSON, Time,
 * Duration, Decimal, LabelFilter lists), and JSON nested far deeper than any parser's recursion
 * allows, in variables and as the whole request body.
 */
const DOCUMENT = `query($source: ID!, $metric: String, $from: Time, $to: Time, $interval: Duration, $filters: [LabelFilter!], $groupBy: [String!]) {
  metricData(source: $source, metric: $metric, from: $from, to: $to, interval: $interval, filters: $filters) { values }
  trend(source: $source, metric: "${SEED_METRIC}", from: $from, to: $to, interval: $interval, groupBy: $groupBy) { direction }
}`;
const ALLOCATION = `query($amount: Decimal!, $shares: JSON, $windowDays: Int, $from: Time, $to: Time) {
  allocation(input: { amount: $amount, source: "native", metric: "${SEED_METRIC}", segmentBy: "svc", strategy: FIXED, fixedShares: $shares,
    windowDays: $windowDays, from: $from, to: $to }) { total shares { amount } }
}`;
const TRACK = `mutation($labels: JSON, $value: Float!, $timestamp: Time) {
  trackMetric(input: { name: "${SEED_METRIC}_fuzz", value: $value, labels: $labels, timestamp: $timestamp }) { success }
}`;

const json = fc.jsonValue({ maxDepth: 4 });
/** Strings the scalars parse: near-misses of times, durations and decimals, and plain junk. */
const scalarish = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('now', 'now-1h', 'now-400000d', 'now-1d/d', '2024-02-30', '1e309', '-1', '', '1ms', '1s', '0s', '-5m'),
  fc.constantFrom('9'.repeat(40), 'NaN', '1e-1000000', '1e100000'),
  fc.double().map(String),
  fc.bigInt().map(String),
);
const anything = fc.oneof(json, scalarish, fc.integer(), fc.double());

describe('fuzzing GraphQL variables against a gateway process with keys configured', () => {
  let gateway: AbuseGateway;

  beforeAll(async () => {
    gateway = await startFuzzGateway();
  }, 60_000);
  afterAll(() => gateway?.close());

  const post = (query: string, variables: unknown) => ({
    method: 'POST' as const,
    path: '/graphql',
    headers: headersOf('acme'),
    body: graphqlBody(query, variables as never),
  });

  it('random values in every variable of the series, allocation and track operations', async () => {
    const series = fc.record({
      source: fc.oneof(fc.constant('native'), anything),
      metric: fc.oneof(fc.constant(SEED_METRIC), anything),
      from: anything,
      to: anything,
      interval: anything,
      filters: fc.oneof(anything, fc.array(fc.record({ key: anything, values: fc.oneof(anything, fc.array(anything, { maxLength: 3 })) }), { maxLength: 3 })),
      groupBy: anything,
    });
    const allocation = fc.record({ amount: anything, shares: anything, windowDays: anything, from: anything, to: anything });
    const track = fc.record({ labels: anything, value: anything, timestamp: anything });
    const cases = fc.oneof(
      series.map((variables) => post(DOCUMENT, variables)),
      allocation.map((variables) => post(ALLOCATION, variables)),
      track.map((variables) => post(TRACK, variables)),
      anything.map((variables) => post(DOCUMENT, variables)),
    );
    await fc.assert(
      fc.asyncProperty(cases, (request) => expectWithstood(gateway, request)),
      fuzzParameters(150),
    );
  }, 120_000);

  it('JSON nested deep in variables and as the whole body', async () => {
    const deep = fc.record({
      where: fc.constantFrom('labels', 'fixedShares', 'filters', 'whole-body', 'variables-object'),
      nesting: fc.constantFrom('lists', 'objects'),
      depth: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 100, max: 200_000 })),
    });
    await fc.assert(
      fc.asyncProperty(deep, ({ where, nesting, depth }) => {
        const value = () => (nesting === 'lists' ? nestedLists(depth) : nestedObjects(depth));
        const queryOf = { labels: TRACK, fixedShares: ALLOCATION, filters: DOCUMENT } as Record<string, string>;
        const variableOf = { labels: 'labels', fixedShares: 'shares', filters: 'filters' } as Record<string, string>;
        const body = () => {
          if (where === 'whole-body') return value();
          if (where === 'variables-object') return `{"query":${JSON.stringify(DOCUMENT)},"variables":${value()}}`;
          const fixed = where === 'labels' ? '"value":1' : where === 'fixedShares' ? '"amount":"10"' : '"source":"native"';
          return `{"query":${JSON.stringify(queryOf[where])},"variables":{${fixed},"${variableOf[where]}":${value()}}}`;
        };
        return expectWithstood(gateway, { method: 'POST', path: '/graphql', headers: headersOf('acme'), body });
      }),
      fuzzParameters(40),
    );
  }, 120_000);

  it('the resident set after every run stays within the bound of its start', () => {
    expect(gateway.rssBytes() - gateway.rssAtStartBytes).toBeLessThanOrEqual(FUZZ_LIMITS.rssGrowthBoundBytes);
  });
});
