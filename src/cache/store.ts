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
