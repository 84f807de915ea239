/**
 * The cache contract: string keys, string values, a TTL per entry. Small on purpose, like envelop's
 * response cache and Hive's KeyValueCache, so Redis and the in-memory LRU are interchangeable.
 * Stores fail open: a broken store answers `undefined` (a miss) and never throws at the caller.
 */
export interface CacheStore {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | undefined>;
  /** Best effort; resolves even when the write failed. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /**
   * Single flight across gateway instances (a shared store only): marks `key` as being fetched by
   * this instance for at most `ttlMs`. False when another instance holds it; true when this one
   * now does, or when the store cannot tell (Redis unreachable), so a broken store never stops a
   * fetch, it only lets two instances ask.
   */
  claim?(key: string, ttlMs: number): Promise<boolean>;
  /** Lets this instance's claim on `key` go (its answer is written, or the fetch failed). */
  release?(key: string): Promise<void>;
  /** Keeps this instance's claim on `key` for `ttlMs` more, if it still holds it (a fetch still running). */
  extend?(key: string, ttlMs: number): Promise<void>;
  health(): CacheHealth;
  close(): Promise<void>;
}

export interface CacheHealth {
  kind: 'redis' | 'memory';
  healthy: boolean;
  /** Why it is unhealthy; the gateway answers uncached meanwhile. */
  message?: string;
  entries?: number;
}
