import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AbuseGateway } from '../helpers/abuse-gateway.js';
import { expectWithstood, FUZZ_LIMITS, FUZZ_MAX_BODY_BYTES, fuzzParameters, startFuzzGateway } from '../helpers/abuse-fuzz.js';
import type { AbuseRequest } from '../helpers/abuse-replay.js';
import { headersOf, nestedLists, nestedObjects, paddedTrackBatchBody, paddedTrackBody, SEED_METRIC, type Caller } from './corpus.js';

/**
 * Property-based fuzzing of the native collector's REST routes (src/http/collector-*.ts) against
 * a gateway process with keys configured: random and record-shaped JSON bodies for the track
 * routes, labels nested past any recursion limit, bodies around the size limits, and random
 * query strings and path segments for the read routes.
 */
const callers = fc.constantFrom<Caller>('acme', 'acme', 'acme', 'globex', 'anonymous', 'wrong-key');
const json = fc.jsonValue({ maxDepth: 4 });
const FIELDS = ['name', 'value', 'type', 'labels', 'service', 'tenant_id', 'timestamp', 'unit', 'help', 'tenantId', 'metric_type'];

/** Objects shaped like a tracked metric, each field sometimes right, sometimes anything. */
const metricLike = fc.dictionary(
  fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 8 })),
  fc.oneof(json, fc.constantFrom(SEED_METRIC, 'COUNTER', 'GAUGE', 'HISTOGRAM', 'acme', 'globex', 'now', 1, -1, 1e308, '1e309', 'NaN')),
  { maxKeys: 9 },
);

const trackPaths = fc.constantFrom('/metrics/track', '/metrics/track/batch');
const track = fc
  .tuple(callers, trackPaths, fc.oneof(metricLike, fc.array(metricLike, { maxLength: 20 }), json))
  .map(([caller, path, body]): AbuseRequest => ({ method: 'POST', path, headers: headersOf(caller), body: JSON.stringify(body) }));

const rawBodies = fc
  .tuple(callers, trackPaths, fc.string({ maxLength: 300 }), fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', ''))
  .map(([caller, path, body, type]): AbuseRequest => ({ method: 'POST', path, headers: { ...headersOf(caller), 'content-type': type }, body }));

const READ_PARAMS = ['service', 'tenant_id', 'name', 'limit', 'points', 'source', 'hours', 'threshold', 'format', 'aggregated'];
const queryValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('native', 'acme', 'globex', '-1', '0', '1e9', '8760', '1e309', 'NaN', 'true', '%', '%zz'),
);
const readPaths = fc.oneof(
  fc.constantFrom('/metrics', '/metrics/series', '/metrics/stats', `/metrics/trends/${SEED_METRIC}`),
  fc.string({ maxLength: 30 }).map((segment) => `/metrics/trends/${encodeURIComponent(segment)}`),
);
const reads = fc
  .tuple(
    callers,
    readPaths,
    fc.array(fc.tuple(fc.oneof(fc.constantFrom(...READ_PARAMS), fc.string({ maxLength: 6 })), queryValue), { maxLength: 5 }),
    fc.constantFrom<AbuseRequest['method']>('GET', 'GET', 'GET', 'POST', 'DELETE', 'OPTIONS'),
  )
  .map(([caller, path, params, method]): AbuseRequest => {
    // Stray '%' stays as it is (bad percent-encoding is part of the fuzz); whatever HTTP forbids in a path is encoded.
    const raw = (value: string) => value.replace(/[^A-Za-z0-9%._~!$'()*+,;=:@/?-]/g, (c) => encodeURIComponent(c));
    const query = params.map(([key, value]) => `${encodeURIComponent(key)}=${raw(value)}`).join('&');
    return { method, path: query ? `${path}?${query}` : path, headers: headersOf(caller, { 'content-type': 'text/plain' }) };
  });

describe('fuzzing the collector REST routes against a gateway process with keys configured', () => {
  let gateway: AbuseGateway;

  beforeAll(async () => {
    gateway = await startFuzzGateway();
  }, 60_000);
  afterAll(() => gateway?.close());

  it('random and metric-shaped bodies on the track routes, and random reads', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(track, rawBodies, reads), (request) => expectWithstood(gateway, request)),
      fuzzParameters(150),
    );
  }, 120_000);

  it('labels and bodies nested deep', async () => {
    const deep = fc.record({
      where: fc.constantFrom('labels', 'batch-item-labels', 'whole-body'),
      nesting: fc.constantFrom('lists', 'objects'),
      depth: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 100, max: 100_000 })),
    });
    await fc.assert(
      fc.asyncProperty(deep, ({ where, nesting, depth }) => {
        const value = () => (nesting === 'lists' ? nestedLists(depth) : nestedObjects(depth));
        const one = () => `{"name":"${SEED_METRIC}_rest","value":1,"labels":${value()}}`;
        const path = where === 'labels' ? '/metrics/track' : '/metrics/track/batch';
        const body = () => (where === 'labels' ? one() : where === 'batch-item-labels' ? `[${one()}]` : value());
        return expectWithstood(gateway, { method: 'POST', path, headers: headersOf('acme'), body });
      }),
      fuzzParameters(40),
    );
  }, 120_000);

  it('bodies around the size limits', async () => {
    const sizes = fc.record({
      path: fc.constantFrom('/metrics/track', '/metrics/track/batch'),
      // The collector has its own (larger) limit; both sides of the gateway's and well past it.
      bytes: fc.oneof(fc.integer({ min: FUZZ_MAX_BODY_BYTES - 64, max: FUZZ_MAX_BODY_BYTES + 64 }), fc.integer({ min: 1, max: 24 * FUZZ_MAX_BODY_BYTES })),
    });
    await fc.assert(
      fc.asyncProperty(sizes, ({ path, bytes }) => {
        const body = () => (path === '/metrics/track' ? paddedTrackBody(bytes) : paddedTrackBatchBody(bytes));
        return expectWithstood(gateway, { method: 'POST', path, headers: headersOf('acme'), body, oversized: bytes > FUZZ_MAX_BODY_BYTES });
      }),
      fuzzParameters(16),
    );
  }, 120_000);

  it('the resident set after every run stays within the bound of its start', () => {
    expect(gateway.rssBytes() - gateway.rssAtStartBytes).toBeLessThanOrEqual(FUZZ_LIMITS.rssGrowthBoundBytes);
  });
});
