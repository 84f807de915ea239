import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { UpstreamGuard } from '../../resilience/upstream-guard.js';
import type { GatewayMetrics } from '../../telemetry/metrics.js';
import type { UpstreamTransport } from '../http/transport.js';
import { UpstreamClient } from '../http/client.js';
import { DYNATRACE_TIMEOUT_MS } from './config.js';
import { describeError, rateLimitWaitMs } from './errors.js';

/**
 * HTTP to one Dynatrace environment: the shared UpstreamClient (deadline, retries with jitter,
 * Retry-After) with Dynatrace's auth header and its error and rate-limit conventions plugged in.
 * The token travels as `Authorization: Api-Token <token>`, never in the query string, so it stays
 * out of access logs.
 */
export interface DynatraceClientOptions {
  source: string;
  url: string;
  apiToken: string;
  verifyTls: boolean;
  caFile?: string;
  timeoutMs?: number;
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

export class DynatraceClient {
  readonly #http: UpstreamClient;
  readonly #headers: Record<string, string>;

  constructor(options: DynatraceClientOptions) {
    this.#http = new UpstreamClient({
      source: options.source,
      baseUrl: options.url,
      // `timeoutMs` in the config bounds the whole call, waits for a rate limit included.
      deadlineMs: options.timeoutMs ?? DYNATRACE_TIMEOUT_MS,
      timeoutMs: Math.min(options.timeoutMs ?? DYNATRACE_TIMEOUT_MS, 10_000),
      ...(options.retries !== undefined ? { retries: options.retries } : {}),
      ...(options.connections !== undefined ? { connections: options.connections } : {}),
      verifyTls: options.verifyTls,
      ...(options.caFile ? { ca: readFileSync(options.caFile, 'utf8') } : {}),
      log: options.log,
      ...(options.metrics ? { metrics: options.metrics } : {}),
      guard: options.guard,
      transport: options.transport,
      describeError,
      retryAfterMs: (status, headers) => rateLimitWaitMs(status, headers),
    });
    this.#headers = { authorization: `Api-Token ${options.apiToken}`, accept: 'application/json' };
  }

  /** GETs `path?query` under /api/v2 and returns the parsed JSON body. */
  async get<T>(path: string, query: string, signal?: AbortSignal): Promise<T> {
    const response = await this.#http.request({
      path: `/api/v2${path}${query ? `?${query}` : ''}`,
      headers: this.#headers,
      ...(signal ? { signal } : {}),
    });
    return response.json<T>();
  }

  close(): Promise<void> {
    return this.#http.close();
  }
}
