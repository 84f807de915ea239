import type { Logger } from 'pino';
import { GatewayTimeoutError, UpstreamRateLimitedError, UpstreamUnavailableError, isGatewayError, type GatewayError } from '../../core/errors.js';
import { deadlineOf, requestTimeoutError } from '../../resilience/signal-deadline.js';
import type { UpstreamGuard } from '../../resilience/upstream-guard.js';
import type { GatewayMetrics } from '../../telemetry/metrics.js';
import { AttemptSignal } from './attempt-signal.js';
import { backoffMs } from './backoff.js';
import { BodyTooLargeError } from './exchange.js';
import { parseRetryAfter } from './retry-after.js';
import { errorCode, errorForNetwork, errorForStatus } from './status-errors.js';
import { sleep } from '../../core/sleep.js';
import { inlineTransport, type UpstreamPool, type UpstreamTransport } from './transport.js';

export interface UpstreamClientOptions {
  /** Source id, used in errors, logs and metrics. */
  source: string;
  /** Base URL; a path prefix (Dynatrace Managed's /e/{env}) is kept in front of every request path. */
  baseUrl: string;
  /** Deadline for one attempt. @default 10000 */
  timeoutMs?: number;
  /** Deadline for the whole call, retries and waits included (the request's own deadline may end it sooner). @default 20000 */
  deadlineMs?: number;
  /** Extra attempts for idempotent requests after 429, 5xx or a dropped connection. @default 2 */
  retries?: number;
  /** Verify the upstream's certificate. @default true */
  verifyTls?: boolean;
  /** PEM CA bundle to trust instead of the system's (a self-signed appliance's certificate, an internal CA). */
  ca?: string;
  /**
   * Concurrent connections to this upstream. Uncached dashboards keep many requests open at once;
   * at 16, calls queued for a free connection and halved throughput against a 2 ms upstream. The
   * outbound rate limit (`rateLimit`), not this, is what protects a vendor. @default 64
   */
  connections?: number;
  /** Largest response body read; a bigger one is cut off and fails the call. @default 20 MiB */
  maxResponseBytes?: number;
  log: Logger;
  metrics?: GatewayMetrics;
  /** The source's outbound bucket, circuit breaker and retry budget, applied to every attempt. */
  guard?: UpstreamGuard | undefined;
  /** Pulls a short, safe reason out of an error body (vendors wrap errors differently). */
  describeError?: (status: number, body: string) => string | undefined;
  /** A vendor-specific wait hint when there is no Retry-After (Dynatrace X-RateLimit-Reset, Argus 402). */
  retryAfterMs?: (status: number, headers: Readonly<Record<string, string>>, body: string) => number | undefined;
  /** Replaces the default status translation, for vendors whose statuses mean something else. */
  errorFor?: (status: number, body: string, retryAfterMs: number | undefined) => GatewayError | undefined;
  random?: () => number;
  /** Where the connections live: this thread (the default) or the gateway's upstream thread. */
  transport?: UpstreamTransport | undefined;
}

export interface UpstreamRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path and query exactly as they go on the wire, relative to the base URL's path. */
  path: string;
  /** Headers, or a function that builds them per attempt from the full path sent (request signing). */
  headers?: Record<string, string> | ((sentPath: string) => Record<string, string>);
  body?: string;
  /** The client's own signal: when the caller goes away, the call stops. */
  signal?: AbortSignal;
  /** Whether sending it twice is harmless. @default true for GET */
  idempotent?: boolean;
  /** A decoder the upstream thread may run on a 2xx answer (src/sources/thread-decoders.ts). */
  decode?: string;
}

export interface UpstreamResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  /** Empty when `decoded` holds the answer. */
  text: string;
  /** The answer as the request's `decode` read it on the upstream thread; absent if it did not. */
  decoded?: unknown;
  json<T = unknown>(): T;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const RETRYABLE_NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * The one way adapters talk HTTP. Each source gets its own undici Pool (its own connections, TLS
 * settings and timeouts), on this thread or on the gateway's upstream thread (`transport`). A Pool
 * rather than an Agent: a source has one origin, and the Agent drops an origin's whole pool
 * whenever its count of connected sockets reaches zero (after a quiet spell, or when every open
 * call was aborted) and builds a new one, whose count the old pool's late events then skew. Under
 * load with quiet spells in between, that once failed 57 calls with "The client is destroyed";
 * the Pool never did in the same runs, and kept more requests per second.
 *
 * Around each call, in this order: the whole-call deadline (this source's `deadlineMs` or the
 * request's own deadline carried by its signal, whichever ends first), retries with full-jitter
 * backoff (idempotent requests only; Retry-After honoured when it fits in the deadline, otherwise
 * the rate-limit error comes back at once with the wait), the per-attempt timeout, and the
 * translation of failures into the gateway's error codes.
 */
export class UpstreamClient {
  readonly #options: Required<Pick<UpstreamClientOptions, 'timeoutMs' | 'deadlineMs' | 'retries'>> & UpstreamClientOptions;
  readonly #pool: UpstreamPool;
  readonly #prefix: string;
  readonly #limit: number;

  constructor(options: UpstreamClientOptions) {
    const base = new URL(options.baseUrl);
    if (base.protocol !== 'https:' && base.protocol !== 'http:') {
      throw new Error(`${options.source}: url must be http(s); got ${base.protocol}`);
    }
    this.#prefix = base.pathname.replace(/\/+$/, '');
    this.#options = { timeoutMs: 10_000, deadlineMs: 20_000, retries: 2, ...options };
    this.#limit = options.maxResponseBytes ?? 20 * 1024 * 1024;
    this.#pool = (options.transport ?? inlineTransport).open({
      origin: base.origin,
      connections: options.connections ?? 64,
      connectTimeoutMs: Math.min(this.#options.timeoutMs, 5000),
      rejectUnauthorized: options.verifyTls ?? true,
      ca: options.ca,
      headersTimeoutMs: this.#options.timeoutMs,
      bodyTimeoutMs: this.#options.timeoutMs,
      keepAliveTimeoutMs: 4000,
      maxResponseBytes: this.#limit,
    });
  }

  async request(request: UpstreamRequest): Promise<UpstreamResponse> {
    try {
      return await this.#request(request);
    } catch (error) {
      // The gateway's request deadline (a timeout signal from the caller) is a timeout, not a bug.
      throw requestTimeoutError(request.signal, this.#options.source, error) ?? error;
    }
  }

  async #request(request: UpstreamRequest): Promise<UpstreamResponse> {
    const { source, retries, deadlineMs } = this.#options;
    const guard = this.#options.guard;
    const method = request.method ?? 'GET';
    const idempotent = request.idempotent ?? method === 'GET';
    // The call ends at this source's own deadline or at the request's, whichever comes first, so a
    // wait that would outlast the request (Retry-After, backoff, the outbound limit) is refused at once.
    const own = Date.now() + deadlineMs;
    const requestEnd = deadlineOf(request.signal);
    const requestBinds = requestEnd !== undefined && requestEnd.at < own;
    const deadline = requestBinds ? requestEnd.at : own;
    const limit = requestBinds ? `the request deadline (requestDeadlineMs: ${requestEnd.ms})` : `${deadlineMs} ms`;
    const sentPath = `${this.#prefix}${request.path}`;

    for (let attempt = 0; ; attempt++) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new GatewayTimeoutError(`${source} did not answer within ${limit}`, 'total', { source });
      let failure: GatewayError;
      let waitMs: number | undefined;
      let retryable: boolean;
      await guard?.bucket?.take(source, deadline, request.signal);
      guard?.breaker?.enter();
      if (attempt === 0) guard?.retryBudget?.deposit();
      try {
        // An attempt gets its own timeout unless less of the deadline is left; the error then names the
        // limit the operator configured, not whatever fraction of a millisecond remained.
        const left = deadline - Date.now();
        const response =
          left < this.#options.timeoutMs
            ? await this.#attempt(method, sentPath, request, left, limit)
            : await this.#attempt(method, sentPath, request, this.#options.timeoutMs, `${this.#options.timeoutMs} ms`);
        // 429 says nothing about the upstream's health (Retry-After handles it); 5xx does.
        if (response.status >= 500) guard?.breaker?.failure();
        else if (response.status !== 429) guard?.breaker?.success();
        if (response.status < 300) return response;
        waitMs = parseRetryAfter(response.headers['retry-after']) ?? this.#options.retryAfterMs?.(response.status, response.headers, response.text);
        failure =
          this.#options.errorFor?.(response.status, response.text, waitMs) ??
          errorForStatus(source, response.status, this.#options.describeError?.(response.status, response.text) ?? snippet(response.text), waitMs);
        retryable = idempotent && RETRYABLE_STATUS.has(response.status);
      } catch (error) {
        if (request.signal?.aborted) throw error;
        guard?.breaker?.failure();
        if (error instanceof UpstreamUnavailableError) {
          failure = error;
          retryable = false;
        } else if (error instanceof GatewayTimeoutError) {
          failure = error;
          retryable = idempotent;
        } else {
          failure = errorForNetwork(source, error);
          retryable = idempotent && RETRYABLE_NETWORK.has(errorCode(error) ?? '');
        }
      }

      const wait = waitMs ?? backoffMs(attempt, 100, 2000, this.#options.random);
      const fits = Date.now() + wait < deadline;
      // The retry budget is checked last, so a retry it refuses is one that would otherwise have gone.
      if (!retryable || attempt >= retries || !fits || (guard?.retryBudget && !guard.retryBudget.withdraw())) {
        if (failure instanceof UpstreamRateLimitedError && waitMs !== undefined && !fits) {
          throw new UpstreamRateLimitedError(
            `${failure.message}; it asks to wait ${waitMs} ms, longer than the request may take`,
            waitMs,
            { source, upstreamStatus: failure.upstreamStatus },
          );
        }
        throw failure;
      }
      this.#options.metrics?.upstreamRetries.inc({ source });
      this.#options.log.debug({ source, attempt: attempt + 1, waitMs: wait, code: failure.code }, 'retrying upstream request');
      await sleep(wait, request.signal);
    }
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }

  /** `stated` is the configured limit that `timeoutMs` comes from, for the error message. */
  async #attempt(method: string, sentPath: string, request: UpstreamRequest, timeoutMs: number, stated: string): Promise<UpstreamResponse> {
    const { source, metrics } = this.#options;
    const attempt = new AttemptSignal(timeoutMs, request.signal);
    const headers = typeof request.headers === 'function' ? request.headers(sentPath) : (request.headers ?? {});
    const stopTimer = metrics?.upstreamHttpDuration.startTimer({ source });
    try {
      const response = await this.#pool.send({ method, path: sentPath, headers, body: request.body, decode: request.decode }, attempt);
      metrics?.upstreamHttp.inc({ source, status: String(response.status) });
      const text = response.text;
      return {
        status: response.status,
        headers: response.headers,
        text,
        decoded: response.decoded,
        json: <T>() => {
          try {
            return JSON.parse(text) as T;
          } catch {
            throw errorForStatus(source, 502, 'the answer was not valid JSON');
          }
        },
      };
    } catch (error) {
      metrics?.upstreamHttp.inc({ source, status: 'error' });
      if (error instanceof BodyTooLargeError) throw tooLarge(source, this.#limit, error.status);
      if (attempt.timedOut && !request.signal?.aborted) {
        throw new GatewayTimeoutError(`${source} did not answer within ${stated}`, 'total', { source, cause: error });
      }
      throw error;
    } finally {
      attempt.done();
      stopTimer?.();
    }
  }
}

function tooLarge(source: string, limit: number, status: number): UpstreamUnavailableError {
  const size = limit >= 2 ** 20 ? `${+(limit / 2 ** 20).toFixed(1)} MiB` : `${limit} bytes`;
  return new UpstreamUnavailableError(`${source} sent a response larger than ${size}; the gateway does not read answers that big (narrow the query)`, { source, upstreamStatus: status });
}

function snippet(text: string): string | undefined {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  return trimmed === '' ? undefined : trimmed.slice(0, 200);
}

