import type { EventEmitter } from 'node:events';

/**
 * One HTTP exchange with an upstream, below retries and error translation, as plain data that can
 * cross between threads. undici-pool.ts runs it; this file holds no undici, so a thread that only
 * hands exchanges to the upstream thread never loads it.
 */

/** What a source's connection pool is built from; plain data, so it can cross to another thread. */
export interface PoolSettings {
  origin: string;
  connections: number;
  connectTimeoutMs: number;
  rejectUnauthorized: boolean;
  /** PEM CA bundle to trust instead of the system's. */
  ca?: string | undefined;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** Largest response body read. */
  maxResponseBytes: number;
}

export interface ExchangeRequest {
  method: string;
  /** Path and query as they go on the wire. */
  path: string;
  headers: Record<string, string>;
  body?: string | undefined;
  /**
   * A decoder (src/sources/thread-decoders.ts) the upstream thread runs on a 2xx answer, so the
   * gateway's thread gets the answer read, not its text. Ignored on the calling thread.
   */
  decode?: string | undefined;
}

export interface ExchangeResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The body; empty when `decoded` holds it. */
  text: string;
  /** The named decoder's result, when one was asked for and it read the answer. */
  decoded?: unknown;
}

/** The answer's body is larger than the pool's `maxResponseBytes`; the rest of it was not read. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';

  constructor(readonly status: number) {
    super(`response body over the limit (HTTP ${status})`);
  }
}

/**
 * What stops an exchange: an EventEmitter that emits `abort` (undici documents one as a valid
 * request signal: it listens with `once('abort')` and reads `aborted` and `reason`).
 */
export type ExchangeSignal = EventEmitter & { readonly aborted: boolean; readonly reason: unknown };
