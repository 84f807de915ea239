import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnEachTransport } from '../helpers/transports.js';

/** An upstream that answers /ok at once and /stall never. */
let server: Server;
let port: number;
let stalled = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/stall') {
      stalled++;
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describeOnEachTransport('one upstream attempt', () => ({ source: 'slow', baseUrl: `http://127.0.0.1:${port}`, retries: 0, timeoutMs: 300, connections: 2, log: pino({ level: 'silent' }) }), (client) => {
  it('times out with GATEWAY_TIMEOUT naming the configured limit', async () => {
    const started = Date.now();
    const failure = await client().request({ path: '/stall' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'GATEWAY_TIMEOUT' });
    expect((failure as Error).message).toBe('slow did not answer within 300 ms');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops when the caller goes away, with the caller\'s reason', async () => {
    const caller = new AbortController();
    const call = client().request({ path: '/stall', signal: caller.signal }).catch((error: unknown) => error);
    setTimeout(() => caller.abort(new DOMException('client left', 'AbortError')), 50);
    const failure = await call;
    expect(failure).toBeInstanceOf(DOMException);
    expect((failure as DOMException).message).toBe('client left');
  });

  it('does not start a call whose caller has already gone', async () => {
    const before = stalled;
    const caller = new AbortController();
    caller.abort(new DOMException('gone', 'AbortError'));
    const failure = await client().request({ path: '/stall', signal: caller.signal }).catch((error: unknown) => error);
    expect((failure as DOMException).message).toBe('gone');
    expect(stalled).toBe(before);
  });

  it('keeps serving on the same pool after timeouts and aborts', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => client().request({ path: '/ok' })));
    expect(answers.map((answer) => answer.json())).toEqual(Array.from({ length: 6 }, () => ({ ok: true })));
  });
});
