import { LRUCache } from 'lru-cache';
import type { CacheHealth, CacheStore } from './store.js';

export interface MemoryStoreOptions {
  /** @default 10000 */
  maxEntries?: number;
  /** Upper bound on the summed length of cached values, in characters. @default 64 MiB */
  maxChars?: number;
}

/** The cache when no Redis is configured: one process, bounded by entries and by size. */
export class MemoryStore implements CacheStore {
  readonly kind = 'memory' as const;
  readonly #lru: LRUCache<string, string>;

  constructor(options: MemoryStoreOptions = {}) {
    this.#lru = new LRUCache<string, string>({
      max: options.maxEntries ?? 10_000,
      maxSize: options.maxChars ?? 64 * 1024 * 1024,
      sizeCalculation: (value) => Math.max(1, value.length),
    });
  }

  async get(key: string): Promise<string | undefined> {
    return this.#lru.get(key);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.#lru.set(key, value, { ttl: ttlMs });
  }

  health(): CacheHealth {
    return { kind: 'memory', healthy: true, entries: this.#lru.size };
  }

  async close(): Promise<void> {
    this.#lru.clear();
  }
}
