import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnEachTransport } from '../helpers/transports.js';

/** An upstream whose answers are `size` bytes of JSON, with or without a Content-Length. */
let server: Server;
let port: number;
const CAP = 1000;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://upstream');
    if (url.pathname === '/stated-never-sent') {
      // Says how big it is, then sends a little and stalls: only the header can settle it.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 50 * CAP });
      res.write('{"pad":"');
      return;
    }
    const size = Number(url.searchParams.get('size'));
    const body = JSON.stringify({ pad: 'x'.repeat(size - 10) });
    if (url.pathname === '/stated') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    } else {
      // Chunked: no length up front, the body in pieces.
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < body.length; i += 100) res.write(body.slice(i, i + 100));
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describeOnEachTransport('the response size cap (maxResponseBytes)', () => ({ source: 'capped', baseUrl: `http://127.0.0.1:${port}`, maxResponseBytes: CAP, retries: 0, timeoutMs: 5000, log: pino({ level: 'silent' }) }), (client) => {
  it.each(['stated', 'chunked'])('reads a %s body within the cap whole', async (kind) => {
    const response = await client().request({ path: `/${kind}?size=${CAP - 10}` });
    expect(response.json<{ pad: string }>().pad).toHaveLength(CAP - 20);
  });

  it.each(['stated', 'chunked'])('refuses a %s body over the cap with UPSTREAM_UNAVAILABLE', async (kind) => {
    const failure = await client().request({ path: `/${kind}?size=${CAP * 5}` }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 200 });
    expect((failure as Error).message).toMatch(/^capped sent a response larger than 1000 bytes; the gateway does not read answers that big/);
  });

  it('refuses a body whose stated length is over the cap without waiting for it', async () => {
    const started = Date.now();
    const failure = await client().request({ path: '/stated-never-sent' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 200 });
    // The attempt timeout is 5 s: reading the body would have waited for it.
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
