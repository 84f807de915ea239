import { sleep } from '../core/sleep.js';
import type { CacheStore } from './store.js';

/**
 * Waits while another instance holds `key` (a shared store's claim) for what it writes there.
 * Resolves with the kept text once it lands, or with undefined when this instance should ask
 * itself: the holder let go without an answer (its call failed) and this one now holds the key,
 * or the holder has taken longer than `flightMs`. Rejects with the signal's reason when the
 * request goes away. Used by the query and the aggregate caches alike.
 */
export async function awaitHolder(store: CacheStore, key: string, flightMs: number, now: () => number, signal?: AbortSignal): Promise<string | undefined> {
  const giveUpAt = now() + flightMs;
  for (let waitMs = 10; ; waitMs = Math.min(waitMs * 2, 100)) {
    await sleep(waitMs, signal);
    const kept = await store.get(key);
    if (kept !== undefined) return kept;
    if (now() >= giveUpAt || (await store.claim?.(key, flightMs)) !== false) return undefined;
  }
}
