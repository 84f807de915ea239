import { randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { RedisBackoff } from '../resilience/redis-backoff.js';
import type { CacheHealth, CacheStore } from './store.js';

/** The store's commands, as failures are counted (gateway_cache_errors_total{operation}). */
export type StoreOperation = 'get' | 'set' | 'claim' | 'release' | 'extend';

export interface RedisStoreOptions {
  url: string;
  /** Prefix for every key this gateway writes. @default "mg:" */
  keyPrefix?: string;
  /**
   * Longest a cache command may take before the request goes on uncached. ioredis's defaults
   * would queue and retry a command against a dead Redis for about ten seconds.
   * @default 100
   */
  commandTimeoutMs?: number;
  /** After a failure, how long to skip Redis entirely before trying again. @default 1000 */
  backoffMs?: number;
  log: Logger;
  /** Called for every failed command (metrics). */
  onError?: (operation: StoreOperation) => void;
}

/**
 * The shared cache. It fails open: any Redis problem (down, slow, refusing) turns into a miss within
 * `commandTimeoutMs`, the gateway answers from the source, and /health says the cache is degraded.
 * After one failure the store stops asking for `backoffMs`, so a hung Redis costs one timeout per
 * second, not one per request.
 */
export class RedisStore implements CacheStore {
  readonly kind = 'redis' as const;
  readonly #redis: Redis;
  readonly #backoff: RedisBackoff;
  readonly #log: Logger;
  readonly #onError: ((operation: StoreOperation) => void) | undefined;
  /** Whose claims are whose: only this instance's own claim is released by it. */
  readonly #owner = randomUUID();
  #lastError: string | undefined;

  constructor(options: RedisStoreOptions) {
    this.#backoff = new RedisBackoff(options.commandTimeoutMs ?? 100, options.backoffMs ?? 1000);
    this.#log = options.log;
    this.#onError = options.onError;
    const redisOptions: RedisOptions = {
      keyPrefix: options.keyPrefix ?? 'mg:',
      commandTimeout: this.#backoff.timeoutMs,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    };
    this.#redis = new Redis(options.url, redisOptions);
    this.#redis.on('error', (error: Error) => this.#failed(error));
    this.#redis.on('ready', () => {
      if (this.#lastError) this.#log.info('redis cache is back');
      this.#lastError = undefined;
      this.#backoff.recovered();
    });
  }

  async get(key: string): Promise<string | undefined> {
    if (!this.#usable()) return undefined;
    try {
      const value = await this.#bounded(this.#redis.get(key));
      return value ?? undefined;
    } catch (error) {
      this.#failed(error as Error);
      this.#onError?.('get');
      return undefined;
    }
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    if (!this.#usable()) return;
    try {
      await this.#bounded(this.#redis.set(key, value, 'PX', Math.max(1, Math.round(ttlMs))));
    } catch (error) {
      this.#failed(error as Error);
      this.#onError?.('set');
    }
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    if (!this.#usable()) return true;
    try {
      return (await this.#bounded(this.#redis.set(flightKey(key), this.#owner, 'PX', Math.max(1, Math.round(ttlMs)), 'NX'))) === 'OK';
    } catch (error) {
      this.#failed(error as Error);
      this.#onError?.('claim');
      return true;
    }
  }

  async release(key: string): Promise<void> {
    if (!this.#usable()) return;
    try {
      await this.#bounded(this.#redis.eval(RELEASE_OWN, 1, flightKey(key), this.#owner));
    } catch (error) {
      this.#failed(error as Error);
      this.#onError?.('release');
    }
  }

  async extend(key: string, ttlMs: number): Promise<void> {
    if (!this.#usable()) return;
    try {
      await this.#bounded(this.#redis.eval(EXTEND_OWN, 1, flightKey(key), this.#owner, Math.max(1, Math.round(ttlMs))));
    } catch (error) {
      this.#failed(error as Error);
      this.#onError?.('extend');
    }
  }

  health(): CacheHealth {
    const healthy = this.#redis.status === 'ready' && this.#lastError === undefined;
    const out: CacheHealth = { kind: 'redis', healthy };
    if (!healthy) out.message = this.#lastError ?? `redis connection is ${this.#redis.status}`;
    return out;
  }

  async close(): Promise<void> {
    try {
      await this.#bounded(this.#redis.quit());
    } catch {
      this.#redis.disconnect();
    }
  }

  #usable(): boolean {
    return this.#backoff.usable(this.#redis.status);
  }

  #bounded<T>(promise: Promise<T>): Promise<T> {
    return this.#backoff.bounded(promise);
  }

  #failed(error: Error): void {
    this.#backoff.failed();
    const message = error.message.replace(/\/\/[^@/]*@/, '//');
    if (this.#lastError !== message) this.#log.warn({ err: message }, 'redis cache unavailable; answering uncached');
    this.#lastError = message;
  }
}

/** Deletes a claim only when it is still the caller's: one that expired and was taken by another instance stays. */
const RELEASE_OWN = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

/** Renews a claim only while it is still the caller's. */
const EXTEND_OWN = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0";

function flightKey(key: string): string {
  return `flight:${key}`;
}
