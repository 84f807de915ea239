import type { Logger } from 'pino';
import type { UpstreamGuard } from '../../resilience/upstream-guard.js';
import type { GatewayMetrics } from '../../telemetry/metrics.js';
import type { UpstreamTransport } from '../http/transport.js';
import { UpstreamClient } from '../http/client.js';
import { ARGUS_TIMEOUT_MS } from './config.js';
import { argusErrorFor, argusRetryAfterMs, unwrap, type ArgusEnvelope } from './envelope.js';

export interface ArgusClientOptions {
  source: string;
  url: string;
  apiKey: string;
  verifyTls: boolean;
  ca?: string;
  /** Deadline for a whole call, retries included. @default 20000 (ARGUS_TIMEOUT_MS) */
  timeoutMs?: number;
  /** Extra attempts for reads after 5xx or a dropped connection. @default 2 */
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

export interface ArgusCall {
  /** Reads (search, aggregate) are safe to send twice; a submit is not and is never retried. */
  idempotent: boolean;
  signal?: AbortSignal;
}

/**
 * HTTP and authentication for one Argus source: the API key in the `Argus-API-Key` header, JSON
 * bodies, the envelope unwrapped from every answer and its messages turned into errors.
 */
export class ArgusClient {
  readonly #http: UpstreamClient;
  readonly #headers: Record<string, string>;
  readonly sourceId: string;

  constructor(options: ArgusClientOptions) {
    this.sourceId = options.source;
    const deadlineMs = options.timeoutMs ?? ARGUS_TIMEOUT_MS;
    this.#http = new UpstreamClient({
      source: options.source,
      baseUrl: options.url,
      timeoutMs: Math.min(10_000, deadlineMs),
      deadlineMs,
      retries: options.retries ?? 2,
      ...(options.connections !== undefined ? { connections: options.connections } : {}),
      verifyTls: options.verifyTls,
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
      log: options.log,
      ...(options.metrics ? { metrics: options.metrics } : {}),
      guard: options.guard,
      transport: options.transport,
      retryAfterMs: argusRetryAfterMs,
      errorFor: argusErrorFor(options.source),
    });
    this.#headers = { 'argus-api-key': options.apiKey, accept: 'application/json' };
  }

  /** POSTs a JSON body and returns the unwrapped envelope of a 2xx answer; anything else throws a GatewayError. */
  async post(path: string, body: unknown, call: ArgusCall): Promise<ArgusEnvelope> {
    const response = await this.#http.request({
      method: 'POST',
      path,
      headers: this.#headers,
      body: JSON.stringify(body),
      idempotent: call.idempotent,
      ...(call.signal ? { signal: call.signal } : {}),
    });
    return unwrap(this.sourceId, response.text);
  }

  close(): Promise<void> {
    return this.#http.close();
  }
}

/** Path of a descriptor's metric endpoints; shortNames are path-encoded, never trusted raw. */
export function metricPath(shortName: string, action?: 'search' | 'aggregate'): string {
  return `/metrics/v1/metric/${encodeURIComponent(shortName)}${action ? `/${action}` : ''}`;
}
