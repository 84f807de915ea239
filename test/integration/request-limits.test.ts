import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { gql, startGateway } from '../helpers/gateway.js';
import { uniquePrefix } from '../helpers/collector.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** What one request may ask and how often one client may ask (limits: in gateway.yaml). */
describe('request limits', () => {
  const gateways: Gateway[] = [];
  const start = async (config: Record<string, unknown>) => {
    const gateway = await startGateway(config);
    gateways.push(gateway);
    return gateway;
  };
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.close()));
  });

  it('refuses a body over maxBodyBytes with 413', async () => {
    const gateway = await start({ limits: { maxBodyBytes: 2000 } });
    const small = await gql(gateway, '{ sources { id } }');
    expect(small.data!.sources).toEqual([{ id: 'native' }]);
    const big = await gql(gateway, `{ sources { id } } # ${'x'.repeat(3000)}`);
    expect(big.status).toBe(413);
    // Without a Content-Length (chunked), the body is counted as it arrives.
    const chunked = (text: string) =>
      fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new ReadableStream({
          start(controller) {
            for (let i = 0; i < text.length; i += 500) controller.enqueue(new TextEncoder().encode(text.slice(i, i + 500)));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
    const streamedSmall = await chunked(JSON.stringify({ query: `{ sources { id } } # ${'x'.repeat(1000)}` }));
    expect(((await streamedSmall.json()) as any).data.sources).toEqual([{ id: 'native' }]);
    expect((await chunked(JSON.stringify({ query: `{ sources { id } } # ${'x'.repeat(3000)}` }))).status).toBe(413);
    // A list of lengths is a request-smuggling attempt, refused before any body is read.
    const smuggled = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(gateway.url).port), '127.0.0.1', () =>
        socket.end('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 17, 17\r\n\r\n{"query":"{a}"}  '),
      );
      let reply = '';
      socket.on('data', (chunk) => (reply += chunk.toString()));
      socket.on('end', () => resolve(reply));
      socket.on('error', reject);
    });
    expect(smuggled).toMatch(/^HTTP\/1\.1 400/);
  });

  it('refuses documents that are too deep, too aliased or too long, without echoing the limits', async () => {
    const gateway = await start({ limits: { maxDepth: 3, maxAliases: 3, maxTokens: 200 } });
    const deep = await gql(gateway, '{ metricData(source: "native", metric: "m", from: "now-1h") { labels { key value } points { timestamp value } } }');
    expect(deep.errors).toBeUndefined();
    expect((await gql(gateway, '{ a: sources { id } b: sources { id } c: sources { id } }')).errors).toBeUndefined();
    const deeper = await gql(gateway, '{ a: sources { id } b: sources { id } c: sources { id } d: sources { id } }');
    expect(deeper.errors![0]!.message).toMatch(/aliases/i);
    expect(deeper.errors![0]!.message).not.toMatch(/\b3\b/);
    const tokens = await gql(gateway, `{ ${Array.from({ length: 250 }, () => '__typename').join(' ')} }`);
    expect(tokens.errors![0]!.message).toMatch(/token/i);
    // The schema is shallow (the deepest useful document nests 4 levels); a limit of 2 shows the check.
    const shallow = await start({ limits: { maxDepth: 2 } });
    expect((await gql(shallow, '{ sources { id } }')).errors).toBeUndefined();
    const nested = await gql(shallow, '{ metricData(source: "native", metric: "m", from: "now-1h") { ...L } } fragment L on Series { labels { key } }');
    expect(nested.errors![0]!.message).toMatch(/too deeply/i);
  });

  it('refuses a cross-site-able GET without a preflight header (CSRF), accepts JSON POSTs and GETs with the header', async () => {
    const gateway = await start({});
    const url = `${gateway.url}/graphql?query=${encodeURIComponent('{ sources { id } }')}`;
    const plain = await fetch(url, { headers: { accept: 'application/json' } });
    expect(plain.status).toBeGreaterThanOrEqual(400);
    const withHeader = await fetch(url, { headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' } });
    expect(((await withHeader.json()) as any).data.sources).toEqual([{ id: 'native' }]);
  });

  it('runs only persisted operations in persisted-operations-only mode', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mg-persisted-')), 'operations.json');
    writeFileSync(file, JSON.stringify({ 'sources-v1': '{ sources { id } }' }));
    const gateway = await start({ limits: { persistedOperations: { file } } });
    const post = (body: unknown) =>
      fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<any>);
    expect((await post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'sources-v1' } } })).data.sources).toEqual([{ id: 'native' }]);
    expect((await post({ query: '{ sources { id } }' })).errors[0].message).toMatch(/PersistedQueryOnly|persisted/i);
    expect((await post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'nope' } } })).errors[0].message).toMatch(/PersistedQueryNotFound|not found/i);
  });

  it('rate-limits a client with 429, Retry-After and RATE_LIMITED', async () => {
    const gateway = await start({ limits: { rateLimit: { requests: 3, windowMs: 60_000 } } });
    for (let i = 0; i < 3; i++) expect((await gql(gateway, '{ sources { id } }')).status).toBe(200);
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ sources { id } }' }),
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await response.json()) as any;
    expect(body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(body.errors[0].extensions.retryAfterMs).toBeGreaterThan(0);
    // Probes are never limited; /health does work (it asks the sources), so it counts.
    expect((await fetch(`${gateway.url}/livez`)).status).toBe(200);
    expect((await fetch(`${gateway.url}/ready`)).status).toBe(200);
    expect((await fetch(`${gateway.url}/health`)).status).toBe(429);
  });

  it('shares a client window across gateways through Redis', async () => {
    const redis = { url: REDIS_URL, keyPrefix: uniquePrefix('rl') };
    const limits = { rateLimit: { requests: 4, windowMs: 60_000 } };
    const one = await start({ redis, limits });
    const two = await start({ redis, limits });
    const statuses: number[] = [];
    for (const gateway of [one, two, one, two, one]) statuses.push((await gql(gateway, '{ sources { id } }')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });
});
