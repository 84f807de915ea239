import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AbuseGateway } from '../helpers/abuse-gateway.js';
import { expectWithstood, FUZZ_LIMITS, fuzzParameters, startFuzzGateway } from '../helpers/abuse-fuzz.js';
import { graphqlBody, headersOf, manyAliases, manyDirectives, nestedLists, nestedSelections, SEED_METRIC, type Caller } from './corpus.js';

/**
 * Property-based fuzzing of GraphQL documents against a gateway process with keys configured:
 * mutated valid documents, token soup, deep nesting of every kind a document has (selections,
 * list and object literals, fragments) and alias floods. Every run is held to the abuse
 * properties (test/helpers/abuse-replay.ts).
 */
const VALID = [
  `{ metricData(source: "native", metric: "${SEED_METRIC}", from: "now-1h", interval: "5m") { metric labels { key value } points { timestamp value } } }`,
  `{ trend(source: "native", metric: "${SEED_METRIC}", from: "now-6h") { direction changePercent first last } }`,
  `{ aggregate(source: "native", metric: "${SEED_METRIC}", function: SUM, groupBy: ["svc"], interval: "1h") { value buckets { value } } }`,
  `mutation { trackMetric(input: { name: "${SEED_METRIC}", value: 1, type: COUNTER, labels: { svc: "fuzz" } }) { success } }`,
  `query Q($m: String!) { a: metricData(source: "native", metric: $m) { values } ...F } fragment F on Query { sources { id healthy } }`,
  `{ allocation(input: { amount: "100.50", source: "native", metric: "${SEED_METRIC}", segmentBy: "svc", strategy: EVEN }) {
      total shares { segment amount } } }`,
];

const TOKENS = [
  ...['{', '}', '(', ')', '[', ']', '...', ':', '$v', '!', '=', '@include(if: true)', 'query', 'mutation', 'subscription', 'fragment F on Query'],
  ...['metricData', 'aggregate', 'trend', '__typename', '__schema', 'source:', '"native"', '1e999', '-0', '"\\u0000"', '"""', '#', '\n', 'a:'],
  ...['true', 'null', SEED_METRIC],
];

const callers = fc.constantFrom<Caller>('acme', 'acme', 'acme', 'globex', 'anonymous', 'wrong-key');

const mutated = fc
  .tuple(fc.constantFrom(...VALID), fc.nat(), fc.nat(40), fc.string({ maxLength: 12 }))
  .map(([valid, at, cut, insert]) => valid.slice(0, at % valid.length) + insert + valid.slice((at % valid.length) + cut));
const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 120 }).map((tokens) => tokens.join(' '));

/** Nesting of one kind, described small so a failure prints readably; the document is built when sent. */
const deep = fc.record({
  kind: fc.constantFrom('selections', 'list-literal', 'object-literal', 'fragment-spreads', 'parentheses'),
  depth: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 64, max: 20_000 })),
});

function deepDocument({ kind, depth }: { kind: string; depth: number }): string {
  switch (kind) {
    case 'selections':
      return nestedSelections(depth);
    case 'list-literal':
      return `{ metricData(source: "native", metrics: ${nestedLists(depth)}) { values } }`;
    case 'object-literal':
      return `mutation { trackMetric(input: { name: "${SEED_METRIC}", value: 1, labels: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)} }) { success } }`;
    case 'fragment-spreads':
      // A chain of fragments, each spreading the next: depth without nesting braces.
    {
      const count = Math.min(depth, 2_000);
      const chain = Array.from({ length: count }, (_, i) => `fragment F${i} on Query { __typename ...F${i + 1} }`).join(' ');
      return `{ ...F0 } ${chain} fragment F${count} on Query { __typename }`;
    }
    default:
      return `{ metricData${'('.repeat(depth)}source: "native"${')'.repeat(depth)} { values } }`;
  }
}

describe('fuzzing GraphQL documents against a gateway process with keys configured', () => {
  let gateway: AbuseGateway;

  beforeAll(async () => {
    gateway = await startFuzzGateway();
  }, 60_000);
  afterAll(() => gateway?.close());

  const post = (caller: Caller, document: string) => ({ method: 'POST' as const, path: '/graphql', headers: headersOf(caller), body: graphqlBody(document) });

  it('mutated valid documents and token soup', async () => {
    await fc.assert(
      fc.asyncProperty(callers, fc.oneof(mutated, soup, fc.string({ maxLength: 200 })), (caller, document) => expectWithstood(gateway, post(caller, document))),
      fuzzParameters(150),
    );
  }, 120_000);

  it('deep nesting of selections, literals, fragments and parentheses', async () => {
    await fc.assert(
      fc.asyncProperty(deep, (shape) => expectWithstood(gateway, { ...post('acme', ''), body: () => graphqlBody(deepDocument(shape)) })),
      fuzzParameters(40),
    );
  }, 120_000);

  it('alias and directive floods', async () => {
    const flood = fc.record({ aliases: fc.integer({ min: 1, max: 30_000 }), directives: fc.integer({ min: 0, max: 5_000 }) });
    await fc.assert(
      fc.asyncProperty(flood, ({ aliases, directives }) =>
        expectWithstood(gateway, { ...post('acme', ''), body: () => graphqlBody((directives > 0 ? manyDirectives(directives) : '') + manyAliases(aliases)) }),
      ),
      fuzzParameters(20),
    );
  }, 120_000);

  it('the resident set after every run stays within the bound of its start', () => {
    expect(gateway.rssBytes() - gateway.rssAtStartBytes).toBeLessThanOrEqual(FUZZ_LIMITS.rssGrowthBoundBytes);
  });
});
