import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';

/**
 * A vendor as the gateway sees it under load: a fixed network latency and no visible compute. The
 * emulators build every answer from their seeded model (10-20 ms of CPU each), which on a 2-core
 * machine would measure the emulator, not the gateway. So each emulator sits behind this: the
 * first request for a given method, path+query and body goes to the emulator (which checks it:
 * tokens, signature, parameters) and its 2xx answer is kept; every later identical request gets
 * the kept answer after `latencyMs`, as a real upstream's network round trip. Every request counts.
 * HTTPS with the emulators' certificate, so the gateway's TLS setup is the real one.
 */
export interface ReplayUpstream {
  url: string;
  /** Requests received (forwarded or replayed) since start or the last `reset`. */
  count: number;
  /** Every request since the last reset: what was asked, and when. */
  log: Array<{ key: string; at: number }>;
  reset(): void;
  close(): Promise<void>;
}

interface Kept {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const CERT = readFileSync(new URL('../../src/emulators/tls/cert.pem', import.meta.url));
const KEY = readFileSync(new URL('../../src/emulators/tls/key.pem', import.meta.url));
const MAX_LOG = 200_000;

export async function startReplayUpstream(target: string, latencyMs: number, tls = true): Promise<ReplayUpstream> {
  const kept = new Map<string, Promise<Kept>>();
  const agent = new Agent({ connect: { rejectUnauthorized: false } });
  const state: ReplayUpstream = {
    url: '',
    count: 0,
    log: [],
    reset: () => {
      state.count = 0;
      state.log = [];
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await agent.close();
    },
  };

  const forward = async (req: IncomingMessage, body: Buffer): Promise<Kept> => {
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length', 'transfer-encoding'].includes(name))) as Record<string, string>;
    const response = await request(`${target}${req.url}`, { method: req.method as 'GET', headers, dispatcher: agent, ...(body.length > 0 ? { body } : {}) });
    const answer = Buffer.from(await response.body.arrayBuffer());
    const type = response.headers['content-type'];
    return { status: response.statusCode, headers: typeof type === 'string' ? { 'content-type': type } : {}, body: answer };
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const key = `${req.method} ${req.url} ${body.toString('utf8')}`;
      state.count++;
      if (state.log.length < MAX_LOG) state.log.push({ key, at: Date.now() });
      let answer = kept.get(key);
      const replayed = answer !== undefined;
      if (!answer) {
        answer = forward(req, body);
        kept.set(key, answer);
      }
      void answer
        .then(async (reply) => {
          if (reply.status < 200 || reply.status >= 300) kept.delete(key);
          if (replayed || latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
          res.writeHead(reply.status, { ...reply.headers, 'content-length': reply.body.length });
          res.end(reply.body);
        })
        .catch((error: Error) => {
          kept.delete(key);
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`replay: ${error.message}`);
        });
    });
  };
  const server = tls ? createHttpsServer({ cert: CERT, key: KEY }, listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
