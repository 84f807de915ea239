import type { Logger } from 'pino';
import type { UpstreamGuard } from '../../resilience/upstream-guard.js';
import type { GatewayMetrics } from '../../telemetry/metrics.js';
import type { UpstreamTransport } from '../http/transport.js';
import { UpstreamClient } from '../http/client.js';
import { THREAD_DECODERS, type DecoderName } from '../thread-decoders.js';
import { DARKTRACE_TIMEOUT_MS } from './config.js';
import { darktraceErrorFor, describeDarktraceError } from './errors.js';
import { pathWithQuery, type QueryParam } from './params.js';
import { signedHeaders, type DarktraceCredentials } from './sign.js';

export interface DarktraceClientOptions {
  source: string;
  url: string;
  credentials: DarktraceCredentials;
  /** @default true */
  verifyTls?: boolean;
  /** PEM CA to trust for this appliance. */
  ca?: string;
  /** Whole-call deadline, retries included. @default 20000 (DARKTRACE_TIMEOUT_MS) */
  timeoutMs?: number;
  /** @default 2 */
  retries?: number;
  /** Concurrent connections to the upstream. @default 64 */
  connections?: number;
  log: Logger;
  metrics?: GatewayMetrics;
  /** The gateway's bucket, breaker and retry budget for this source. */
  guard?: UpstreamGuard | undefined;
  /** Where the connections live (the gateway's upstream thread); this thread when absent. */
  transport?: UpstreamTransport | undefined;
}

/** What a thread decoder's `unpack` gives. */
type Decoded<N extends DecoderName> = ReturnType<(typeof THREAD_DECODERS)[N]['unpack']>;

/** Longest single attempt; the whole call (retries, Retry-After waits) has `timeoutMs`. */
const ATTEMPT_TIMEOUT_MS = 10_000;

/**
 * HTTP to one Darktrace appliance: the shared UpstreamClient (pool, TLS, deadline, retries with
 * jitter, Retry-After) plus signing. The headers are built per attempt from the path actually
 * sent, so a retry carries a fresh DTAPI-Date and the signature always matches the wire.
 */
export class DarktraceClient {
  readonly #http: UpstreamClient;
  readonly #credentials: DarktraceCredentials;

  constructor(options: DarktraceClientOptions) {
    const deadlineMs = options.timeoutMs ?? DARKTRACE_TIMEOUT_MS;
    this.#credentials = options.credentials;
    this.#http = new UpstreamClient({
      source: options.source,
      baseUrl: options.url,
      deadlineMs,
      timeoutMs: Math.min(ATTEMPT_TIMEOUT_MS, deadlineMs),
      retries: options.retries ?? 2,
      ...(options.connections !== undefined ? { connections: options.connections } : {}),
      verifyTls: options.verifyTls ?? true,
      ...(options.ca ? { ca: options.ca } : {}),
      log: options.log,
      ...(options.metrics ? { metrics: options.metrics } : {}),
      guard: options.guard,
      transport: options.transport,
      describeError: describeDarktraceError,
      errorFor: darktraceErrorFor(options.source),
    });
  }

  /** GET `path` with `params` in this order; the parsed JSON body of a 2xx answer. */
  async get<T = unknown>(path: string, params: readonly QueryParam[], signal?: AbortSignal): Promise<T> {
    const response = await this.#http.request({
      method: 'GET',
      path: pathWithQuery(path, params),
      headers: (sentPath) => signedHeaders(this.#credentials, sentPath),
      ...(signal ? { signal } : {}),
    });
    return response.json<T>();
  }

  /**
   * GET `path` whose 2xx answer the upstream thread reads with `decoder` (src/sources/thread-decoders.ts);
   * when it did not (no upstream thread, or an answer the decoder could not read), `read` reads
   * the parsed body here, with this source's errors.
   */
  async getRead<N extends DecoderName>(path: string, params: readonly QueryParam[], decoder: N, read: (body: unknown) => Decoded<N>, signal?: AbortSignal): Promise<Decoded<N>> {
    const response = await this.#http.request({
      method: 'GET',
      path: pathWithQuery(path, params),
      headers: (sentPath) => signedHeaders(this.#credentials, sentPath),
      decode: decoder,
      ...(signal ? { signal } : {}),
    });
    return response.decoded !== undefined ? (THREAD_DECODERS[decoder].unpack(response.decoded) as Decoded<N>) : read(response.json());
  }

  close(): Promise<void> {
    return this.#http.close();
  }
}
