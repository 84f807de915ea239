import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Gateway } from '../../src/gateway.js';
import { startGateway } from '../helpers/gateway.js';
import { rawRequest, UPGRADE_HEADERS, type RawAnswer } from '../helpers/raw-http.js';
import { sha } from '../helpers/api-keys.js';

const REQUESTS = 2;
const QUERY = '{ sources { id } }';
const BODY = JSON.stringify({ query: QUERY });
/** GET needs a header a cross-site form cannot send (CSRF prevention). */
const GET_HEADERS = { 'x-graphql-yoga-csrf': '1', accept: 'application/json' };
const ROUTES = ['post', 'get', 'sse', 'collector', 'scrape', 'health'] as const;
/** One key per route, so each route's window is its own: the limit counts per identity. */
const keyFor = (route: string) => `rate-limit-key-${route}`;

/**
 * The client rate limit covers every route that does work: GraphQL over POST, GET, SSE and
 * WebSocket (the upgrade and each subscribe), the collector REST routes, the Prometheus scrape and
 * /health. The probes never count.
 */
describe('the client rate limit covers every route that does work', () => {
  let gateway: Gateway;

  beforeAll(async () => {
    gateway = await startGateway({
      auth: { apiKeys: [...ROUTES, 'subscribe'].map((route) => ({ id: route, sha256: sha(keyFor(route)), tenant: 'acme' })) },
      limits: { rateLimit: { requests: REQUESTS, windowMs: 60_000 } },
    });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  const send: Record<(typeof ROUTES)[number], (key: string) => Promise<RawAnswer>> = {
    post: (key) => rawRequest(gateway.url, '/graphql', { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: BODY }),
    get: (key) => rawRequest(gateway.url, `/graphql?query=${encodeURIComponent(QUERY)}`, { headers: { 'x-api-key': key, ...GET_HEADERS } }),
    sse: (key) =>
      rawRequest(gateway.url, `/graphql?query=${encodeURIComponent('subscription { metricStream(source: "native", metric: "x") { series { metric } } }')}`, {
        headers: { 'x-api-key': key, 'x-graphql-yoga-csrf': '1', accept: 'text/event-stream' },
      }),
    collector: (key) => rawRequest(gateway.url, '/metrics/series', { headers: { 'x-api-key': key } }),
    scrape: (key) => rawRequest(gateway.url, '/metrics', { headers: { 'x-api-key': key } }),
    health: (key) => rawRequest(gateway.url, '/health', { headers: { 'x-api-key': key } }),
  };

  it.each(ROUTES)('%s: %i requests pass, the next is 429 with Retry-After and RATE_LIMITED', async (route) => {
    for (let i = 0; i < REQUESTS; i++) expect((await send[route](keyFor(route))).status).toBe(200);
    const refused = await send[route](keyFor(route));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    const body = JSON.parse(refused.body);
    // GraphQL's shape on the GraphQL route, the REST shape elsewhere.
    if (route === 'post' || route === 'get' || route === 'sse') {
      expect(body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) });
    } else {
      expect(body).toMatchObject({ code: 'RATE_LIMITED', detail: expect.stringContaining('retry after') });
    }
    // Probes never count, whoever asks.
    expect((await rawRequest(gateway.url, '/livez')).status).toBe(200);
    expect((await rawRequest(gateway.url, '/ready')).status).toBe(200);
  });

  it('WebSocket: each subscribe counts against the identity; over the limit an operation fails with RATE_LIMITED', async () => {
    const url = `${gateway.url.replace('http', 'ws')}/graphql`;
    const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: { apiKey: keyFor('subscribe') }, retryAttempts: 0 });
    const codeOf = (error: unknown) => (error as Array<{ extensions?: { code?: string } }>)[0]?.extensions?.code;
    const run = () =>
      new Promise<{ data?: unknown; code?: string }>((resolve) => {
        const next = (value: { data?: unknown }) => resolve({ data: value.data });
        client.subscribe({ query: QUERY }, { next, error: (error) => resolve({ code: codeOf(error) }), complete: () => {} });
      });
    try {
      for (let i = 0; i < REQUESTS; i++) expect(await run()).toEqual({ data: { sources: [{ id: 'native' }] } });
      expect(await run()).toEqual({ code: 'RATE_LIMITED' });
    } finally {
      await client.dispose();
    }
  });
});

describe('WebSocket upgrades count against the address before the handshake', () => {
  let gateway: Gateway;

  beforeAll(async () => {
    gateway = await startGateway({ limits: { rateLimit: { requests: REQUESTS, windowMs: 60_000 } } });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it(`${REQUESTS} upgrades pass, the next is HTTP 429 with Retry-After`, async () => {
    const upgrade = (localAddress: string) => rawRequest(gateway.url, '/graphql', { localAddress, headers: UPGRADE_HEADERS });
    for (let i = 0; i < REQUESTS; i++) expect((await upgrade('127.0.0.1')).status).toBe(101);
    const refused = await upgrade('127.0.0.1');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(refused.body).errors[0].extensions.code).toBe('RATE_LIMITED');
    // Another address has its own window.
    expect((await upgrade('127.0.0.2')).status).toBe(101);
  });
});
