import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Gateway } from '../../src/gateway.js';
import { gql, startGateway } from '../helpers/gateway.js';
import { rawRequest, UPGRADE_HEADERS, type RawAnswer } from '../helpers/raw-http.js';
import { sha } from '../helpers/api-keys.js';

const KEYS = { acme: 'acme-side-door-key', globex: 'globex-side-door-key', admin: 'admin-side-door-key' };
/** A metric only the seeded tenant wrote: if its name shows up in an answer, data got out. */
const SECRET_METRIC = 'acme_secret_revenue';
const QUERY = `{ metricData(source: "native", metric: "${SECRET_METRIC}", from: "now-1h") { metric points { value } } }`;
const SUBSCRIPTION = `subscription { metricStream(source: "native", metric: "${SECRET_METRIC}", interval: "10s") { series { metric } } }`;

/**
 * Request targets that are not the canonical GraphQL path but that some router, proxy or URL
 * parser might treat as it. Each must be 404 for everyone: never 200, never data.
 */
const GRAPHQL_VARIANTS = [
  '/graphql/',
  '//graphql',
  '/x/graphql',
  '/graphql/.',
  '/graphql/..',
  '/a/../graphql',
  '/./graphql',
  '/GRAPHQL',
  '/Graphql',
  '/%67raphql',
  '/graphql%2F',
  '/graphql%2f',
  '/%2Fgraphql',
  '/x?y=/graphql',
  '/nope?x=/graphql',
  '/graphql;a=b',
  '/graphql;',
  '/graphql\\',
  '/x\\..\\graphql',
  '/graphql#x',
  '/graphql%00',
  '/graphql%20',
  '/graphql.json',
];

/** The collector REST routes' side doors (their own unknown sub-paths are 401 first: the prefix is protected). */
const COLLECTOR_VARIANTS = [
  '//metrics/series',
  '/x/metrics/series',
  '/METRICS/series',
  '/%6detrics/series',
  '/a/../metrics/series',
  '/metrics/../metrics/series',
  '/metrics/./series',
  '/x?y=/metrics/series',
];

type HeaderMap = Record<string, string>;
const JSON_BODY = { 'content-type': 'application/json' };
/** GET needs a header a cross-site form cannot send (CSRF prevention). */
const CSRF = { 'x-graphql-yoga-csrf': '1' };
const GRAPHQL_RESPONSE = 'application/graphql-response+json';
const EVENT_STREAM = 'text/event-stream';
const QUERY_BODY = JSON.stringify({ query: QUERY });
const SUBSCRIPTION_BODY = JSON.stringify({ query: SUBSCRIPTION });
const withQuery = (target: string, query: string) => `${target}${target.includes('?') ? '&' : '?'}query=${encodeURIComponent(query)}`;

describe('side doors: one canonical GraphQL path, every other target 404, auth on every data route', () => {
  let gateway: Gateway;
  let absolute: string;

  beforeAll(async () => {
    gateway = await startGateway({
      auth: {
        apiKeys: [
          { id: 'acme', sha256: sha(KEYS.acme), tenant: 'acme' },
          { id: 'globex', sha256: sha(KEYS.globex), tenant: 'globex' },
          { id: 'admin', sha256: sha(KEYS.admin), tenant: 'ops', introspection: true },
        ],
        // The table sends no credentials; keep the throttle out of this file's way.
        failedLogins: false,
      },
    });
    absolute = `${gateway.url}/graphql`;
    const track = `mutation { trackMetric(input: { name: "${SECRET_METRIC}", value: 42 }) { success } }`;
    const tracked = await gql(gateway, track, {}, { 'x-api-key': KEYS.acme });
    expect(tracked.data).toEqual({ trackMetric: { success: true } });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  const send = {
    post: (target: string, headers: HeaderMap = {}) =>
      rawRequest(gateway.url, target, { method: 'POST', headers: { ...JSON_BODY, accept: GRAPHQL_RESPONSE, ...headers }, body: QUERY_BODY }),
    get: (target: string, headers: HeaderMap = {}) =>
      rawRequest(gateway.url, withQuery(target, QUERY), { headers: { accept: 'application/json', ...CSRF, ...headers } }),
    sse: (target: string, headers: HeaderMap = {}) =>
      rawRequest(gateway.url, withQuery(target, SUBSCRIPTION), { headers: { accept: EVENT_STREAM, ...CSRF, ...headers } }),
    ssePost: (target: string, headers: HeaderMap = {}) =>
      rawRequest(gateway.url, target, { method: 'POST', headers: { ...JSON_BODY, accept: EVENT_STREAM, ...headers }, body: SUBSCRIPTION_BODY }),
    websocket: (target: string, headers: HeaderMap = {}) => rawRequest(gateway.url, target, { headers: { ...UPGRADE_HEADERS, ...headers } }),
    page: (target: string, headers: HeaderMap = {}) => rawRequest(gateway.url, target, { headers: { accept: 'text/html', ...headers } }),
  };
  type Transport = keyof typeof send;
  const TRANSPORTS = Object.keys(send) as Transport[];
  const leaksNothing = (answer: RawAnswer) => {
    expect(answer.body).not.toContain(SECRET_METRIC);
    expect(answer.body).not.toContain('"data"');
    expect(answer.body).not.toMatch(/<html/i);
  };

  it.each(TRANSPORTS)('%s: every variant of the GraphQL path is 404 without a key and with one', async (transport) => {
    const answers: Record<string, number> = {};
    for (const target of [...GRAPHQL_VARIANTS, absolute]) {
      for (const headers of [{}, { 'x-api-key': KEYS.acme }] as HeaderMap[]) {
        const answer = await send[transport](target, headers);
        leaksNothing(answer);
        answers[`${target} ${Object.keys(headers).length ? 'key' : 'none'}`] = answer.status;
      }
    }
    const expected = Object.fromEntries(Object.keys(answers).map((key) => [key, 404]));
    expect(answers).toEqual(expected);
  });

  const DATA_TRANSPORTS = TRANSPORTS.filter((transport) => transport !== 'page');
  it.each(DATA_TRANSPORTS)('%s: the canonical path refuses anonymous clients with 401 and serves a key', async (transport) => {
    const anonymous = await send[transport]('/graphql');
    leaksNothing(anonymous);
    // A WebSocket upgrade carries no credentials in browsers: it is admitted and authenticated at connection_init (below).
    expect(anonymous.status).toBe(transport === 'websocket' ? 101 : 401);
    const withKey = await send[transport]('/graphql', { 'x-api-key': KEYS.acme });
    expect(withKey.status).toBe(transport === 'websocket' ? 101 : 200);
    if (transport === 'post' || transport === 'get') expect(withKey.body).toContain(SECRET_METRIC);
  });

  it('a Host header cannot move the route: one that would rewrite the URL is 400', async () => {
    for (const host of ['evil/graphql#', 'evil/graphql?', `127.0.0.1/graphql#`]) {
      const answer = await send.post('/x', { host });
      leaksNothing(answer);
      expect({ host, status: answer.status }).toEqual({ host, status: 400 });
    }
  });

  it('the collector REST routes: side doors are 404, the routes themselves 401 without a key', async () => {
    for (const target of COLLECTOR_VARIANTS) {
      const answer = await rawRequest(gateway.url, target);
      leaksNothing(answer);
      expect({ target, status: answer.status }).toEqual({ target, status: 404 });
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'NOT_FOUND' });
    }
    for (const target of ['/metrics/series', '/metrics', '/metrics/stats', '/metrics/trends/x', '/metrics/series/', '/metrics/nope']) {
      const answer = await rawRequest(gateway.url, target);
      leaksNothing(answer);
      expect({ target, status: answer.status, code: JSON.parse(answer.body).code }).toEqual({ target, status: 401, code: 'UNAUTHENTICATED' });
    }
    const track = await rawRequest(gateway.url, '/metrics/track', { method: 'POST', headers: JSON_BODY, body: JSON.stringify({ name: 'x', value: 1 }) });
    expect(track.status).toBe(401);
    const series = await fetch(`${gateway.url}/metrics/series?name=${SECRET_METRIC}`, { headers: { 'x-api-key': KEYS.acme } });
    expect(series.status).toBe(200);
    expect(await series.text()).toContain(SECRET_METRIC);
  });

  it('public routes are the probes and the Explore shell; /health and anything unknown are not', async () => {
    const status = async (target: string) => (await rawRequest(gateway.url, target)).status;
    const paths = { livez: '/livez', ready: '/ready', page: '/', health: '/health', unknown: '/nope' };
    const statuses = Object.fromEntries(await Promise.all(Object.entries(paths).map(async ([name, path]) => [name, await status(path)])));
    expect(statuses).toEqual({
      livez: 200,
      ready: 200,
      page: 200,
      health: 401,
      unknown: 404,
    });
    expect((await fetch(`${gateway.url}/health`, { headers: { 'x-api-key': KEYS.acme } })).status).toBe(200);
    // Liveness answers only at its own path (yoga's own check would answer any URL ending in /livez), and never with data.
    expect(await status('/x/livez')).toBe(404);
    expect(await rawRequest(gateway.url, '/livez?x=/graphql')).toMatchObject({ status: 200, body: '' });
  });

  it('GraphiQL only at the canonical path, only for a key that may introspect', async () => {
    expect((await send.page('/graphql', { 'x-api-key': KEYS.admin })).body).toMatch(/graphiql/i);
    for (const target of ['/graphql/', '/x/graphql', '//graphql', '/a/../graphql']) {
      const answer = await send.page(target, { 'x-api-key': KEYS.admin });
      expect({ target, status: answer.status, graphiql: /graphiql/i.test(answer.body) }).toEqual({ target, status: 404, graphiql: false });
    }
    for (const key of [KEYS.acme, 'wrong']) expect((await send.page('/graphql', { 'x-api-key': key })).body).not.toMatch(/graphiql/i);
    // The first page loads GraphiQL's renderer (tens of MB): slow on a busy machine.
  }, 60_000);

  it('a WebSocket client without a key is closed 4403; a key gets data, but never another tenant\'s', async () => {
    const run = (connectionParams: Record<string, unknown>) =>
      new Promise<{ data?: unknown; closed?: number }>((resolve) => {
        const closed = (event: unknown) => resolve({ closed: (event as CloseEvent).code });
        const client = createClient({ url: absolute.replace('http', 'ws'), webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, on: { closed } });
        client.subscribe({ query: QUERY }, { next: (value) => resolve({ data: value.data }), error: () => {}, complete: () => void client.dispose() });
      });
    expect(await run({})).toEqual({ closed: 4403 });
    expect(await run({ apiKey: KEYS.acme })).toMatchObject({ data: { metricData: [{ metric: SECRET_METRIC }] } });
    expect(await run({ apiKey: KEYS.globex })).toEqual({ data: { metricData: [] } });
  });

  it('an identity bound to a tenant cannot write into another tenant (FORBIDDEN, nothing written)', async () => {
    const plant = (tenantId: string) => `mutation { trackMetric(input: { name: "planted", value: 1, tenantId: "${tenantId}" }) { success } }`;
    const other = await gql(gateway, plant('acme'), {}, { 'x-api-key': KEYS.globex });
    expect(other.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(other.errors![0]!.message).toContain("tenantId 'acme'");
    const read = await gql(gateway, '{ metricData(source: "native", metric: "planted", from: "now-1h") { metric } }', {}, { 'x-api-key': KEYS.acme });
    expect(read.data).toEqual({ metricData: [] });
    const own = await gql(gateway, plant('globex'), {}, { 'x-api-key': KEYS.globex });
    expect(own.data).toEqual({ trackMetric: { success: true } });
  });
});
