import { createHash } from 'node:crypto';
import { EMULATOR_TOKENS } from '../../src/emulators/darktrace/emulator.js';
import { EMULATOR_CA_FILE } from '../helpers/darktrace.js';
import type { AbuseRequest } from '../helpers/abuse-replay.js';

/**
 * The abuse corpus: every hostile request issue 21 lists, as data, each with an id and the issue
 * item it belongs to, plus the one gateway config they are replayed against (API keys for two
 * tenants, the native collector, a Darktrace emulator and a Darktrace appliance that never
 * answers). test/abuse/corpus.test.ts replays it and holds every case to the generic properties
 * (test/helpers/abuse-replay.ts); bench/abuse.ts replays it to measure stalls and memory.
 *
 * Besides the generic properties a case may say what the issue expects of it in the one way
 * that holds however the fix is written: `refused` (no data comes back: a 4xx, or GraphQL errors
 * with every root field null; `'http'`: a 4xx, and every GraphQL error in it with an
 * `extensions.code`), `leaks` (text the answer must not carry), `throttled` (some copy of a burst
 * is answered 429).
 */

/** Issue 21's "What to build" items. */
export const ISSUE_ITEMS = {
  1: 'protected by default (one GraphQL path, every route authenticated and rate limited)',
  2: 'demand control (point budgets before any source is asked)',
  3: 'bounded numbers and echoes (Decimal magnitude, truncated echoes)',
  4: 'deadlines that hold (every upstream call bound to the request deadline)',
  5: 'no 500 for bad input (nesting limits, document-limit codes)',
  6: 'tenant-scoped counts, no hints without introspection',
  7: 'throttled failed logins',
  8: 'Redis trouble costs once',
} as const;
export type IssueItem = keyof typeof ISSUE_ITEMS;

export interface AbuseCase {
  id: string;
  item: IssueItem;
  /** What the case is, in the issue's words. */
  title: string;
  request: AbuseRequest;
  refused?: true | 'http';
  leaks?: RegExp;
  throttled?: boolean;
}

/** The deadline the corpus gateway runs with: small, so "deadline + 1 s" is a tight bound. */
export const ABUSE_DEADLINE_MS = 2_000;
/** Per-call timeout of the remote sources: below the deadline, as the config check requires. */
export const ABUSE_SOURCE_TIMEOUT_MS = 1_500;
/** The corpus gateway's body limit (the default, written out so the generators can use it). */
export const ABUSE_MAX_BODY_BYTES = 1024 * 1024;
/**
 * Most a single request may make the resident set grow. Issue 21 wants every answer well under
 * 100 MB; twice that (the answer and its serialisation) plus 32 request bodies of parsing room
 * and 64 MB for the collector's own churn is generous, and still far below the gigabytes the
 * unbounded cases reach.
 */
export function rssGrowthBoundBytes(maxBodyBytes = ABUSE_MAX_BODY_BYTES): number {
  return 2 * 100 * 1024 * 1024 + 32 * maxBodyBytes + 64 * 1024 * 1024;
}

export const KEYS = { acme: 'abuse-acme-key-4c1d93f0a7', globex: 'abuse-globex-key-8e27b6d115' } as const;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The corpus gateway: keys for two tenants (neither may introspect), the native collector, the
 * Darktrace emulator as `dt` and a hung appliance as `dt-hung`. Only today's config keys are used;
 * `graphqlPath` and the demand budgets keep their defaults, which is what the cases are about.
 */
export function abuseGatewayConfig(upstreams: { darktraceUrl: string; hungUrl: string }, maxBodyBytes = ABUSE_MAX_BODY_BYTES) {
  const darktrace = { kind: 'darktrace', ...EMULATOR_TOKENS, caFile: EMULATOR_CA_FILE, timeoutMs: ABUSE_SOURCE_TIMEOUT_MS, cacheTtl: false };
  return {
    requestDeadlineMs: ABUSE_DEADLINE_MS,
    log: { level: 'warn' },
    auth: {
      apiKeys: [
        { id: 'acme', sha256: sha256(KEYS.acme), tenant: 'acme' },
        { id: 'globex', sha256: sha256(KEYS.globex), tenant: 'globex' },
      ],
    },
    limits: { maxBodyBytes },
    sources: [
      { id: 'native', kind: 'native' },
      { id: 'dt', url: upstreams.darktraceUrl, ...darktrace },
      { id: 'dt-hung', url: upstreams.hungUrl, ...darktrace },
    ],
  };
}

export type Caller = keyof typeof KEYS | 'anonymous' | 'wrong-key';

/** Headers of a JSON request from `caller`. */
export function headersOf(caller: Caller, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...extra };
  if (caller === 'acme' || caller === 'globex') headers.authorization = `Bearer ${KEYS[caller]}`;
  if (caller === 'wrong-key') headers.authorization = 'Bearer abuse-wrong-key-000000000000';
  return headers;
}

export function graphqlBody(query: string, variables?: Record<string, unknown>): string {
  return JSON.stringify(variables === undefined ? { query } : { query, variables });
}

/** A GraphQL POST to `path` (default the canonical /graphql). */
export function graphqlPost(caller: Caller, query: string, variables?: Record<string, unknown>, path = '/graphql'): AbuseRequest {
  return { method: 'POST', path, headers: headersOf(caller), body: graphqlBody(query, variables) };
}

/** A GraphQL POST to /graphql from tenant acme with a body built when sent. */
export function acmePost(body: () => string): AbuseRequest {
  return { method: 'POST', path: '/graphql', headers: headersOf('acme'), body };
}

/** A collector REST POST with a body built when sent. */
export function restPost(path: string, body: () => string, caller: Caller = 'acme'): AbuseRequest {
  return { method: 'POST', path, headers: headersOf(caller), body };
}

/** The metric the seed requests write for both tenants. */
export const SEED_METRIC = 'abuse_seed';

/** Points written before the corpus runs, one per tenant, so tenant data exists to leak. */
export const SEED_REQUESTS: AbuseRequest[] = (['acme', 'globex'] as const).map((tenant) =>
  graphqlPost(tenant, `mutation { trackMetric(input: { name: "${SEED_METRIC}", value: 1, type: COUNTER, labels: { svc: "${tenant}" } }) { success } }`),
);

// ---- Generators: nesting and size, built when a case is replayed ------------------------------

/** `[[[...]]]`, `depth` deep. */
export const nestedLists = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
/** `{"a":{"a":...1}}`, `depth` deep. */
export const nestedObjects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
/** A selection set `depth` fields deep. */
export const nestedSelections = (depth: number) => '{ ' + 'a { '.repeat(depth) + 'b' + ' }'.repeat(depth) + ' }';
/** A document with `count` aliases of one cheap field (not `__typename`, which alias limits may leave out). */
export const manyAliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: sources { id }`).join(' ')} }`;
/** A document with `count` directives. */
export const manyDirectives = (count: number) => `{ __typename ${'@include(if: true) '.repeat(count)}}`;

/** A valid GraphQL request body of exactly `bytes` bytes (padded with a search string). */
export function paddedGraphqlBody(bytes: number): string {
  const query = 'query($pad: String) { metrics(source: "native", search: $pad) { name } }';
  const empty = graphqlBody(query, { pad: '' });
  return graphqlBody(query, { pad: 'x'.repeat(Math.max(0, bytes - empty.length)) });
}

/** A valid POST /metrics/track body of exactly `bytes` bytes: one metric and JSON whitespace after it. */
export function paddedTrackBody(bytes: number): string {
  const metric = JSON.stringify({ name: SEED_METRIC, value: 1, type: 'COUNTER', labels: { svc: 'acme' } });
  return metric + ' '.repeat(Math.max(0, bytes - metric.length));
}

/**
 * A valid POST /metrics/track/batch body of exactly `bytes` bytes: as many metrics as fit (at
 * most the route's 10,000) and JSON whitespace after them.
 */
export function paddedTrackBatchBody(bytes: number): string {
  const item = JSON.stringify({ name: SEED_METRIC, value: 1, type: 'COUNTER', labels: { svc: 'acme' } });
  const count = Math.max(1, Math.min(10_000, Math.floor((bytes - 2) / (item.length + 1))));
  const items = `[${Array.from({ length: count }, () => item).join(',')}`;
  return `${items}${' '.repeat(Math.max(0, bytes - items.length - 1))}]`;
}

// ---- The cases -------------------------------------------------------------------------------

const tenantRead = `{ metricData(source: "native", metric: "${SEED_METRIC}", from: "now-1h") { labels { key value } values } }`;
const YEAR = { from: 'now-365d', to: 'now' };

/** Path variants that must not reach GraphQL without a key (item 1's table). */
const SIDE_DOOR_PATHS = [
  '/graphql/',
  '//graphql',
  '/x/graphql',
  '/graphql/.',
  '/x?y=/graphql',
  '/GRAPHQL',
  '/Graphql',
  '/%67raphql',
  '/graphql%2F',
  '/./graphql',
  '/a/../graphql',
  '/graphql/..;/',
  '/graphql;x=1',
  '/graphql?x=/graphql',
];

const sideDoors: AbuseCase[] = SIDE_DOOR_PATHS.map((path) => ({
  id: `side-door-post ${path}`,
  item: 1,
  title: `anonymous POST ${path} reading tenant series`,
  request: graphqlPost('anonymous', tenantRead, undefined, path),
  refused: 'http',
}));

const sideDoorTransports: AbuseCase[] = [
  {
    id: 'side-door-get /x/graphql',
    item: 1,
    title: 'anonymous GET with the query in the URL on a prefixed path',
    request: { method: 'GET', path: `/x/graphql?query=${encodeURIComponent(tenantRead)}`, headers: { accept: 'application/json' } },
    refused: 'http',
  },
  {
    id: 'side-door-sse /graphql/',
    item: 1,
    title: "anonymous SSE subscription streaming a tenant's live points",
    request: {
      method: 'POST',
      path: '/graphql/',
      headers: headersOf('anonymous', { accept: 'text/event-stream' }),
      body: graphqlBody(`subscription { metricStream(source: "native", metric: "${SEED_METRIC}") { series { values } } }`),
      stream: true,
    },
    refused: 'http',
  },
  {
    id: 'side-door-write-other-tenant',
    item: 1,
    title: 'anonymous trackMetric into another tenant through /graphql/',
    request: graphqlPost(
      'anonymous',
      `mutation { trackMetric(input: { name: "${SEED_METRIC}", value: 1, type: COUNTER, tenantId: "globex" }) { success } }`,
      undefined,
      '/graphql/',
    ),
    refused: 'http',
  },
  ...(
    [
      ['GET', '/metrics'],
      ['GET', '/metrics/series'],
      ['GET', '/metrics/stats'],
      ['GET', `/metrics/trends/${SEED_METRIC}`],
    ] as const
  ).map(
    ([method, path]): AbuseCase => ({
      id: `anonymous-rest ${method} ${path}`,
      item: 1,
      title: `anonymous ${method} ${path} on the collector`,
      request: { method, path, headers: { accept: 'application/json' } },
      refused: 'http',
    }),
  ),
  {
    id: 'anonymous-rest POST /metrics/track',
    item: 1,
    title: 'anonymous write on the collector REST API',
    request: restPost('/metrics/track', () => JSON.stringify({ name: SEED_METRIC, value: 1, tenant_id: 'globex' }), 'anonymous'),
    refused: 'http',
  },
];

/** Root fields over a year at 1 s (and 1 ms), on the native source and on Darktrace. */
const pointExplosion: AbuseCase[] = [
  ['native-metricdata-1s-year', `metricData(source: "native", metric: "${SEED_METRIC}", from: "${YEAR.from}", to: "${YEAR.to}", interval: "1s") { values }`],
  ['native-trend-1s-year', `trend(source: "native", metric: "${SEED_METRIC}", from: "${YEAR.from}", to: "${YEAR.to}", interval: "1s") { direction }`],
  ['native-metricdata-1s-30d', `metricData(source: "native", metric: "${SEED_METRIC}", from: "now-30d", interval: "1s") { values }`],
  ['native-metricdata-1ms-year', `metricData(source: "native", metric: "${SEED_METRIC}", from: "${YEAR.from}", interval: "1ms") { values }`],
  [
    'native-aggregate-buckets-1s-year',
    `aggregate(source: "native", metric: "${SEED_METRIC}", function: SUM, from: "${YEAR.from}", interval: "1s") { buckets { value } }`,
  ],
  ['darktrace-metricdata-1s-year', `metricData(source: "dt", metric: "internalconnections", from: "${YEAR.from}", interval: "1s") { values }`],
  ['darktrace-trend-1s-year', `trend(source: "dt", metric: "internalconnections", from: "${YEAR.from}", interval: "1s") { direction }`],
].map(([id, field]): AbuseCase => ({
  id: id!,
  item: 2,
  title: `${id}: ${field!.split('(')[0]} at a tiny interval over a long range`,
  request: graphqlPost('acme', `{ ${field} }`),
  refused: true,
}));

pointExplosion.push(
  {
    id: 'allocation-per-day-century',
    item: 2,
    title: 'per-DAY allocation over a century of days',
    request: graphqlPost(
      'acme',
      `{ allocation(input: { amount: "100", per: DAY, source: "native", metric: "${SEED_METRIC}", from: "1926-01-01", to: "now",
           segmentBy: "svc", strategy: EVEN }) { total days { day } } }`,
    ),
    refused: true,
  },
  {
    id: 'metric-stream-1ms',
    item: 2,
    title: 'a live stream asking a 1 ms interval (its backfill)',
    request: {
      method: 'POST',
      path: '/graphql',
      headers: headersOf('acme', { accept: 'text/event-stream' }),
      body: graphqlBody(`subscription { metricStream(source: "native", metric: "${SEED_METRIC}", interval: "1ms") { series { values } } }`),
      stream: true,
    },
  },
);

const allocationOf = (amount: string) =>
  graphqlPost(
    'acme',
    `query($amount: Decimal!) {
      allocation(input: { amount: $amount, source: "native", metric: "${SEED_METRIC}", segmentBy: "svc", strategy: EVEN }) { total }
    }`,
    { amount },
  );

const decimals: AbuseCase[] = [
  ['decimal-1e1000000000', '1e1000000000'],
  ['decimal-1e100000000', '1e100000000'],
  ['decimal-1e-1000000', '1e-1000000'],
  ['decimal-800k-digits', '9'.repeat(800_000)],
  ['decimal-nan', 'NaN'],
  ['decimal-infinity', '-Infinity'],
].map(([id, amount]): AbuseCase => ({ id: id!, item: 3, title: `allocation amount ${amount!.slice(0, 24)}`, request: allocationOf(amount!), refused: true }));

const deadlines: AbuseCase[] = [
  {
    id: 'hung-appliance-metricdata',
    item: 4,
    title: 'a Darktrace appliance that accepts TCP and never answers, next to a native field',
    request: graphqlPost('acme', `{ n: ${tenantRead.slice(2, -2)} d: metricData(source: "dt-hung", metric: "internalconnections") { values } }`),
  },
  {
    id: 'hung-appliance-discovery',
    item: 4,
    title: 'metric discovery (/metrics) on the hung appliance',
    request: graphqlPost('acme', '{ metrics(source: "dt-hung") { name } }'),
  },
  {
    id: 'hung-appliance-trend',
    item: 4,
    title: 'trend on the hung appliance',
    request: graphqlPost('acme', '{ trend(source: "dt-hung", metric: "internalconnections", from: "now-6h") { direction } }'),
  },
];

const nesting: AbuseCase[] = [
  {
    id: 'nested-list-literals-3000',
    item: 5,
    title: '3,000 nested list literals in an argument',
    request: acmePost(() => graphqlBody(`{ metricData(source: "native", metrics: ${nestedLists(3000)}) { values } }`)),
    refused: 'http',
  },
  {
    id: 'json-variable-100000-deep',
    item: 5,
    title: 'a JSON variable nested 100,000 deep',
    request: {
      method: 'POST',
      path: '/graphql',
      headers: headersOf('acme'),
      body: () => {
        const query = JSON.stringify(`mutation($l: JSON) { trackMetric(input: { name: "${SEED_METRIC}", value: 1, labels: $l }) { success } }`);
        return `{"query":${query},"variables":{"l":${nestedObjects(100_000)}}}`;
      },
    },
    refused: 'http',
  },
  {
    id: 'rest-labels-50000-deep',
    item: 5,
    title: 'REST track labels nested 50,000 deep',
    request: restPost('/metrics/track', () => `{"name":"${SEED_METRIC}","value":1,"labels":${nestedObjects(50_000)}}`),
    refused: 'http',
  },
  {
    id: 'rest-batch-100000-deep',
    item: 5,
    title: 'REST batch body nested 100,000 deep',
    request: { method: 'POST', path: '/metrics/track/batch', headers: headersOf('acme'), body: () => nestedLists(100_000) },
    refused: 'http',
  },
  {
    id: 'body-100000-deep',
    item: 5,
    title: 'a GraphQL request body that is 100,000 nested arrays',
    request: { method: 'POST', path: '/graphql', headers: headersOf('acme'), body: () => nestedLists(100_000) },
    refused: 'http',
  },
  {
    id: 'json-literal-3000-deep',
    item: 5,
    title: 'a JSON object literal nested 3,000 deep in the document',
    request: {
      method: 'POST',
      path: '/graphql',
      headers: headersOf('acme'),
      body: () => {
        const labels = `${'{a: '.repeat(3000)}1${'}'.repeat(3000)}`;
        return graphqlBody(`mutation { trackMetric(input: { name: "${SEED_METRIC}", value: 1, labels: ${labels} }) { success } }`);
      },
    },
    refused: 'http',
  },
  { id: 'selection-depth-3000', item: 5, title: 'selections nested 3,000 deep', request: acmePost(() => graphqlBody(nestedSelections(3000))), refused: 'http' },
  { id: 'aliases-10000', item: 5, title: '10,000 aliases', request: acmePost(() => graphqlBody(manyAliases(10_000))), refused: 'http' },
  { id: 'aliases-60', item: 5, title: '60 aliases (over the default 50)', request: graphqlPost('acme', manyAliases(60)), refused: 'http' },
  { id: 'directives-60', item: 5, title: '60 directives (over the default 50)', request: graphqlPost('acme', manyDirectives(60)), refused: 'http' },
  { id: 'directives-2000', item: 5, title: '2,000 directives on one field', request: acmePost(() => graphqlBody(manyDirectives(2000))), refused: 'http' },
  {
    id: 'tokens-60000',
    item: 5,
    title: 'a document of 60,000 tokens',
    request: { ...graphqlPost('acme', ''), body: () => graphqlBody(`{ __typename ${'__typename '.repeat(60_000)}}`) },
    refused: 'http',
  },
  {
    id: 'depth-limit-20',
    item: 5,
    title: 'a document past the depth limit (an HTTP 400 with a code, not a 200)',
    request: graphqlPost('acme', nestedSelections(20)),
    refused: 'http',
  },
  { id: 'body-at-limit', item: 5, title: 'a GraphQL body of exactly maxBodyBytes', request: acmePost(() => paddedGraphqlBody(ABUSE_MAX_BODY_BYTES)) },
  {
    id: 'body-over-limit',
    item: 5,
    title: 'a GraphQL body of maxBodyBytes + 1',
    request: { ...acmePost(() => paddedGraphqlBody(ABUSE_MAX_BODY_BYTES + 1)), oversized: true },
    refused: 'http',
  },
  {
    id: 'rest-body-at-limit',
    item: 5,
    title: 'a REST batch body of exactly maxBodyBytes',
    request: { method: 'POST', path: '/metrics/track/batch', headers: headersOf('acme'), body: () => paddedTrackBatchBody(ABUSE_MAX_BODY_BYTES) },
  },
  {
    id: 'rest-body-over-limit',
    item: 5,
    title: 'a REST batch body of 8 x maxBodyBytes (past the collector\'s own 4 MiB limit too)',
    request: { ...restPost('/metrics/track/batch', () => paddedTrackBatchBody(8 * ABUSE_MAX_BODY_BYTES)), oversized: true },
    refused: 'http',
  },
];

const scoping: AbuseCase[] = [
  {
    id: 'enum-hint-without-introspection',
    item: 6,
    title: 'a misspelt enum value from a key without introspection',
    request: graphqlPost('acme', `{ aggregate(source: "native", metric: "${SEED_METRIC}", function: SUMM) { value } }`),
    refused: true,
    leaks: /did you mean/i,
  },
  {
    id: 'field-hint-without-introspection',
    item: 6,
    title: 'a misspelt field from a key without introspection',
    request: graphqlPost('acme', '{ metricDta(source: "native") { values } }'),
    refused: true,
    leaks: /did you mean/i,
  },
  {
    id: 'stats-other-tenants',
    item: 6,
    title: "GET /metrics/stats (must count the caller's tenant only)",
    request: { method: 'GET', path: '/metrics/stats', headers: headersOf('acme') },
  },
  {
    id: 'sources-message',
    item: 6,
    title: "sources { message } (must count the caller's tenant only)",
    request: graphqlPost('acme', '{ sources { id message } }'),
  },
];

const logins: AbuseCase[] = [
  {
    id: 'wrong-keys-400-burst',
    item: 7,
    title: '400 wrong keys in a burst from one address',
    request: { ...graphqlPost('wrong-key', '{ __typename }'), repeat: 400 },
    refused: 'http',
    throttled: true,
  },
];

// Item 8 (a paused Redis under the rate limiter) needs a Redis of its own to pause, which one shared
// replay cannot have: test/abuse/rate-limit-redis-pause.test.ts covers it.

/**
 * Every case, in replay order. The failed-login burst comes last: the throttle then holds back the
 * replaying address for the rest of its window.
 */
export const ABUSE_CORPUS: readonly AbuseCase[] = [
  ...sideDoors,
  ...sideDoorTransports,
  ...pointExplosion,
  ...decimals,
  ...deadlines,
  ...nesting,
  ...scoping,
  ...logins,
];
