import { sleep } from '../core/sleep.js';
import type { CacheStore } from './store.js';

/**
 * Waits while another instance holds `key` (a shared store's claim) for what it writes there.
 * Resolves with the kept text once it lands, or with undefined when this instance should ask
 * itself: the holder let go without an answer (its call failed) and this one now holds the key,
 * or the holder's claim lapsed (it stopped renewing it: gone, or stuck). A holder whose call is
 * still running renews its claim (holdClaims), so a slow vendor is asked once, not once per
 * `flightMs`. Rejects with the signal's reason when the request goes away. Used by the query and
 * the aggregate caches alike.
 */
export async function awaitHolder(store: CacheStore, key: string, flightMs: number, signal?: AbortSignal): Promise<string | undefined> {
  for (let waitMs = 10; ; waitMs = Math.min(waitMs * 2, 100)) {
    await sleep(waitMs, signal);
    const kept = await store.get(key);
    if (kept !== undefined) return kept;
    if ((await store.claim?.(key, flightMs)) !== false) return undefined;
  }
}

/**
 * Renews this instance's claims on `keys` every half `flightMs` while its call runs; the returned
 * function stops it. A claim therefore outlives `flightMs` only while its holder is alive and
 * still asking, and lapses within `flightMs` once it is not.
 */
export function holdClaims(store: CacheStore, keys: readonly string[], flightMs: number): () => void {
  if (!store.extend || keys.length === 0) return () => {};
  const timer = setInterval(() => {
    for (const key of keys) void store.extend!(key, flightMs);
  }, Math.max(1, Math.floor(flightMs / 2)));
  timer.unref();
  return () => clearInterval(timer);
}
