import type { TimeRange } from '../core/time.js';

export interface CachePolicy {
  /** TTL for answers whose window reaches into the recent past, where new points still arrive. */
  openTtlMs: number;
  /** TTL for answers about a window that is over; its data no longer changes. */
  closedTtlMs: number;
  /**
   * How far back from now a window still counts as open. Vendors ingest late (Dynatrace and
   * Darktrace points land a minute or more after their timestamp), so a window that ended a
   * moment ago is not final yet.
   */
  settleMs: number;
  /**
   * How long past its TTL an answer is still served while one call refreshes it (stale while
   * revalidate): at an expiry no client waits for the vendor. 0 or absent: expired answers are
   * refreshed before they are served.
   */
  staleWhileRevalidateMs?: number;
  /**
   * How long past its TTL a copy of an answer is kept, to be served (with a STALE_DATA warning)
   * when the source fails. 0 or absent: never served stale.
   */
  maxStaleMs?: number;
}

/**
 * How long an answer about `range` may be served from cache. A window touching `now` lives
 * seconds, so dashboards see new points; a closed past window lives long, since it will not change.
 */
export function cacheTtlMs(range: TimeRange, now: number, policy: CachePolicy): number {
  return range.to > now - policy.settleMs ? policy.openTtlMs : policy.closedTtlMs;
}
