import { LRUCache } from 'lru-cache';

export interface ResponseCacheOptions {
  /** Upper bound on the summed size of kept responses (keys and bodies), in characters. */
  maxChars: number;
  /**
   * Longest a response is kept, however long its answers stay fresh. Relative ranges
   * (`from: "now-6h"`) move with the clock while an answer about them stays fresh; this bounds how
   * far behind the clock a kept response can be, like the open-window TTL does for answers.
   */
  maxAgeMs: number;
  now?: () => number;
}

interface Kept {
  body: string;
  freshUntil: number;
}

/**
 * Whole GraphQL responses, serialised, in process. Dashboards send the same few documents every
 * few seconds from many screens; a kept response skips parsing, validation, execution and
 * serialisation. It is never kept longer than the earliest expiry of the cached answers it was
 * built from, so it can never be older than what the query cache itself would serve. Per
 * instance on purpose: the shared truth stays in the query cache (Redis), and a response costs
 * one execution per instance to rebuild.
 */
export class ResponseCache {
  readonly #lru: LRUCache<string, Kept>;
  readonly #maxAgeMs: number;
  readonly #maxBodyChars: number;
  readonly #now: () => number;

  constructor(options: ResponseCacheOptions) {
    this.#maxAgeMs = options.maxAgeMs;
    // A response too large to share a cache with a few hundred others is cheaper to rebuild than to crowd them out.
    this.#maxBodyChars = Math.floor(options.maxChars / 64);
    this.#now = options.now ?? Date.now;
    this.#lru = new LRUCache({ maxSize: options.maxChars, sizeCalculation: (kept, key) => key.length + kept.body.length });
  }

  get(key: string): string | undefined {
    const kept = this.#lru.get(key);
    if (!kept) return undefined;
    if (kept.freshUntil > this.#now()) return kept.body;
    this.#lru.delete(key);
    return undefined;
  }

  /** Keeps `body` until `freshUntil` (capped at the maximum age); too large or already expired, it is not kept. */
  set(key: string, body: string, freshUntil: number): void {
    const now = this.#now();
    const until = Math.min(freshUntil, now + this.#maxAgeMs);
    if (until <= now || body.length > this.#maxBodyChars) return;
    this.#lru.set(key, { body, freshUntil: until });
  }

  get size(): number {
    return this.#lru.size;
  }

  clear(): void {
    this.#lru.clear();
  }
}
