import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * The HTTP(S) shell every vendor emulator runs in: a loopback server with the emulators'
 * self-signed certificate (tls/, CN=localhost, valid for 127.0.0.1 and ::1), a log of every
 * request as received (raw path and query, for signature checks and call counting), an optional
 * fixed latency, and fault injection for tests: statuses with Retry-After, extra latency, resets.
 * The certificate and key are for the emulators only and protect nothing.
 */

export const EMULATOR_CERT = readFileSync(new URL('./tls/cert.pem', import.meta.url), 'utf8');
const EMULATOR_KEY = readFileSync(new URL('./tls/key.pem', import.meta.url), 'utf8');

export interface EmulatedRequest {
  method: string;
  /** Path and query exactly as the client sent them. */
  rawPath: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
  receivedAt: number;
}

export interface EmulatorReply {
  status: number;
  /** Objects are sent as JSON; strings as they are. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type EmulatorHandler = (request: EmulatedRequest) => EmulatorReply | Promise<EmulatorReply>;

export interface Fault {
  /** Answer with this status instead of calling the handler. */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (or before the reset). */
  latencyMs?: number;
  /** Destroy the connection without an answer. */
  reset?: boolean;
  /** Send the headers and half the body at once, the rest after this long (a stalled body). */
  bodyDelayMs?: number;
  /** How many requests this fault applies to. @default 1 */
  times?: number;
  /** Only requests this matches; others pass. */
  match?: (request: EmulatedRequest) => boolean;
}

export interface EmulatorOptions {
  name: string;
  /** Serve HTTPS with the emulators' self-signed certificate. @default true */
  tls?: boolean;
  /** @default 0 (a free port) */
  port?: number;
  /** @default 127.0.0.1 */
  host?: string;
  /** Added to every answer, as a real network would. @default 0 */
  latencyMs?: number;
  /** Requests kept for inspection. @default 10000 */
  maxLog?: number;
}

export class Emulator {
  readonly requests: EmulatedRequest[] = [];
  latencyMs: number;
  #faults: Array<Fault & { remaining: number }> = [];
  #total = 0;

  constructor(
    readonly name: string,
    readonly url: string,
    private readonly server: Server,
    options: EmulatorOptions,
    private readonly maxLog: number,
  ) {
    this.latencyMs = options.latencyMs ?? 0;
  }

  /** Requests received since start (or since `resetCount`), optionally only those whose path starts with `prefix`. */
  count(prefix?: string): number {
    if (prefix === undefined) return this.#total;
    return this.requests.filter((request) => request.url.pathname.startsWith(prefix)).length;
  }

  resetCount(): void {
    this.requests.length = 0;
    this.#total = 0;
  }

  inject(fault: Fault): void {
    this.#faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.#faults = [];
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  /** @internal */
  record(request: EmulatedRequest): void {
    this.#total++;
    this.requests.push(request);
    if (this.requests.length > this.maxLog) this.requests.splice(0, this.requests.length - this.maxLog);
  }

  /** @internal */
  takeFault(request: EmulatedRequest): Fault | undefined {
    const index = this.#faults.findIndex((fault) => !fault.match || fault.match(request));
    if (index < 0) return undefined;
    const fault = this.#faults[index]!;
    if (--fault.remaining <= 0) this.#faults.splice(index, 1);
    return fault;
  }
}

export async function startEmulator(options: EmulatorOptions, handler: EmulatorHandler): Promise<Emulator> {
  const tls = options.tls ?? true;
  let emulator!: Emulator;
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    void serve(emulator, handler, req, res);
  };
  const server: Server = tls
    ? createHttpsServer({ cert: EMULATOR_CERT, key: EMULATOR_KEY }, listener)
    : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  emulator = new Emulator(options.name, url, server, options, options.maxLog ?? 10_000);
  return emulator;
}

async function serve(emulator: Emulator, handler: EmulatorHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const rawPath = req.url ?? '/';
  const request: EmulatedRequest = {
    method: req.method ?? 'GET',
    rawPath,
    url: new URL(rawPath, 'http://emulator'),
    headers: req.headers,
    body: Buffer.concat(chunks).toString('utf8'),
    receivedAt: Date.now(),
  };
  emulator.record(request);
  const fault = emulator.takeFault(request);
  const delay = emulator.latencyMs + (fault?.latencyMs ?? 0);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  if (fault?.reset) {
    req.socket.destroy();
    return;
  }
  let reply: EmulatorReply;
  try {
    reply = fault?.status !== undefined
      ? { status: fault.status, body: fault.body ?? { error: `injected ${fault.status}` }, headers: fault.headers ?? {} }
      : await handler(request);
  } catch (error) {
    reply = { status: 500, body: { error: (error as Error).message } };
  }
  const body = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  const type = typeof reply.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
  res.writeHead(reply.status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...reply.headers });
  if (fault?.bodyDelayMs) {
    const half = Math.floor(body.length / 2);
    res.write(body.slice(0, half));
    await new Promise((resolve) => setTimeout(resolve, fault.bodyDelayMs));
    if (!res.destroyed) res.end(body.slice(half));
    return;
  }
  res.end(body);
}
