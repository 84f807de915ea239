import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { ExchangeRequest, ExchangeResponse, ExchangeSignal, PoolSettings } from './exchange.js';
import { fromErrorChain, type FromUpstreamThread, type ToUpstreamThread } from './thread-messages.js';
import type { UpstreamPool, UpstreamTransport } from './transport.js';

interface Pending {
  resolve(response: ExchangeResponse): void;
  reject(error: unknown): void;
}

/** How long a shutdown waits for in-flight exchanges on the upstream thread before ending it. */
const SHUTDOWN_WAIT_MS = 5000;

/**
 * Every source's upstream HTTP on one worker thread of its own (upstream-worker.ts). The thread
 * serving clients then spends its time on GraphQL and the gateway's own work, and TLS, HTTP
 * parsing and undici's bookkeeping run on another core. For the uncached panel of the load bench
 * (two upstream calls per request) the main thread's busy time per request fell to 0.79x, and its
 * requests per second rose about 1.2x on 2 cores (bench/RESULTS.md). What crosses between the
 * threads is small: the request's method, path and headers, and the answer's status, headers and
 * text. Retries, deadlines, guards and the parsing of answers stay on the gateway's thread.
 *
 * The thread starts with `start()` (the gateway calls it when it has remote sources) or on the first
 * exchange. If it dies, the exchanges in flight fail as "could not be reached" and the next one
 * starts a new thread with the same pools.
 */
export class UpstreamThread implements UpstreamTransport {
  readonly #log: Logger;
  readonly #pools = new Map<number, PoolSettings>();
  readonly #closing = new Map<number, () => void>();
  readonly #pending = new Map<number, Pending>();
  #worker: Worker | undefined;
  #ready: Promise<void> | undefined;
  /** The current thread has said it is ready. */
  #started = false;
  #nextPool = 0;
  #nextExchange = 0;
  #shutdown = false;

  constructor(options: { log: Logger }) {
    this.#log = options.log;
  }

  /** The running thread, if one is (its event-loop use, and tests that end it). */
  get worker(): Worker | undefined {
    return this.#worker;
  }

  /** Whether any source opened a pool here: a gateway whose sources make no HTTP calls needs no thread. */
  get hasPools(): boolean {
    return this.#pools.size > 0;
  }

  open(settings: PoolSettings): UpstreamPool {
    const pool = this.#nextPool++;
    this.#pools.set(pool, settings);
    this.#worker?.postMessage({ type: 'open', pool, settings } satisfies ToUpstreamThread);
    return {
      send: (request, signal) => this.#send(pool, request, signal),
      close: () => this.#closePool(pool),
    };
  }

  /**
   * Starts the thread and waits until it can take work. The gateway calls this before it listens,
   * so no client's first upstream call waits for a thread to start (150 ms), perhaps past its
   * source's timeout. Rejects when the thread cannot start (a broken install).
   */
  start(): Promise<void> {
    if (!this.#worker) this.#start();
    return this.#ready!;
  }

  /** Lets in-flight exchanges finish (up to 5 s), then ends the thread. */
  async close(): Promise<void> {
    this.#shutdown = true;
    const worker = this.#worker;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage({ type: 'shutdown' } satisfies ToUpstreamThread);
    const timer = setTimeout(() => void worker.terminate(), SHUTDOWN_WAIT_MS);
    await exited;
    clearTimeout(timer);
  }

  #send(pool: number, request: ExchangeRequest, signal: ExchangeSignal): Promise<ExchangeResponse> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.#shutdown || !this.#pools.has(pool)) return Promise.reject(closedError());
    const worker = this.#worker ?? this.#start();
    const id = this.#nextExchange++;
    return new Promise<ExchangeResponse>((resolve, reject) => {
      // Held while anything is in flight: taken on the first, let go with the last (#settle).
      if (this.#pending.size === 0) worker.ref();
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ type: 'send', id, pool, method: request.method, path: request.path, headers: request.headers, body: request.body, decode: request.decode } satisfies ToUpstreamThread);
      signal.once('abort', () => {
        if (!this.#settle(id)) return;
        worker.postMessage({ type: 'abort', id } satisfies ToUpstreamThread);
        reject(signal.reason);
      });
    });
  }

  /** Takes an exchange off the pending list; false if it was already settled. */
  #settle(id: number): Pending | undefined {
    const pending = this.#pending.get(id);
    if (!pending) return undefined;
    this.#pending.delete(id);
    if (this.#pending.size === 0 && this.#started) this.#worker?.unref();
    return pending;
  }

  #closePool(pool: number): Promise<void> {
    if (!this.#pools.delete(pool) || !this.#worker) return Promise.resolve();
    const worker = this.#worker;
    return new Promise((resolve) => {
      this.#closing.set(pool, resolve);
      worker.postMessage({ type: 'close', pool } satisfies ToUpstreamThread);
    });
  }

  #start(): Worker {
    // Held (ref) while it starts, so a process waiting on start() does not exit meanwhile; after
    // that only while exchanges are in flight: an idle thread never keeps the process alive.
    const worker = startWorker();
    this.#started = false;
    let failure: Error | undefined;
    this.#ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromUpstreamThread) => {
        if (message.type !== 'ready') return this.#receive(message);
        this.#started = true;
        if (this.#pending.size === 0) worker.unref();
        resolve();
      });
      worker.once('exit', (code) => reject(new Error(`the upstream thread did not start (exit code ${code}${failure ? `: ${failure.message}` : ''})`)));
    });
    // Nobody may wait on it (a thread started by a call); its failure is logged and the calls fail.
    this.#ready.catch(() => {});
    worker.on('error', (error) => {
      failure = error;
      this.#log.error({ err: error }, 'the upstream thread failed');
    });
    worker.once('exit', (code) => this.#lost(worker, code));
    for (const [pool, settings] of this.#pools) worker.postMessage({ type: 'open', pool, settings } satisfies ToUpstreamThread);
    this.#worker = worker;
    return worker;
  }

  #receive(message: Exclude<FromUpstreamThread, { type: 'ready' }>): void {
    if (message.type === 'closed') {
      this.#closing.get(message.pool)?.();
      this.#closing.delete(message.pool);
      return;
    }
    const pending = this.#settle(message.id);
    if (!pending) return;
    if (message.type === 'answer') pending.resolve(message);
    else pending.reject(fromErrorChain(message.error));
  }

  /** The thread ended: what was in flight fails; the next exchange starts a new thread. */
  #lost(worker: Worker, code: number): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    for (const resolve of this.#closing.values()) resolve();
    this.#closing.clear();
    if (this.#pending.size > 0 || !this.#shutdown) {
      this.#log.warn({ code, inFlight: this.#pending.size }, 'the upstream thread stopped; the next upstream call starts a new one');
    }
    const error = new Error(`the gateway's upstream thread stopped (exit code ${code})`);
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}

/**
 * From dist/, the compiled entry. From source (tsx, vitest), the entry is bundled once per process
 * with esbuild and run as code: a TypeScript loader registered in the thread would cost 170 ms on
 * every start, and a loader in a worker's execArgv does not apply to its entry on Node 20.
 */
function startWorker(): Worker {
  // No heap limits of its own: a thread out of memory takes the whole process down with it in
  // Node 20 (V8's fatal handler), so a lower limit than the process's would only add a way to die.
  const options = { name: 'upstream' };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./upstream-worker.js', import.meta.url), options);
  sourceBundle ??= bundleFromSource();
  return new Worker(sourceBundle, { ...options, eval: true });
}

let sourceBundle: string | undefined;

function bundleFromSource(): string {
  const entry = fileURLToPath(new URL('./upstream-worker.ts', import.meta.url));
  // Loaded here, not at the top: a gateway run from dist/ never needs it.
  const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const [output] = buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['undici'], write: false, logLevel: 'error' }).outputFiles;
  // Packages resolve from the entry's folder, not from the working directory as they would in code run by `eval`.
  return `(function (require) {\n${output!.text}\n})(require('node:module').createRequire(${JSON.stringify(entry)}));`;
}

function closedError(): Error {
  // undici's own error for a call on a closed pool, so the translation reads it the same way.
  return Object.assign(new Error('the upstream pool is closed'), { name: 'ClientClosedError', code: 'UND_ERR_CLOSED' });
}
