import { labelsKey, type Series } from '../core/series.js';

/**
 * Remembers which points (series + timestamp) were delivered within a horizon and keeps only
 * the others. Overlapping polls and a poller handover send points again; pushed points can
 * arrive out of order. A set per series (not a high-water mark) drops the first without losing
 * the second. Points older than the horizon behind the newest one are dropped: they are either
 * repeats or too late to matter to a live view.
 */
export class NewPointFilter {
  readonly #seen = new Map<string, { newest: number; timestamps: Set<number> }>();

  constructor(private readonly horizonMs: number) {}

  /** The part of `series` not delivered before, each in timestamp order; records it as delivered. */
  take(series: readonly Series[]): Series[] {
    const out: Series[] = [];
    for (const one of series) {
      const key = seriesKey(one);
      let seen = this.#seen.get(key);
      if (!seen) this.#seen.set(key, (seen = { newest: -Infinity, timestamps: new Set() }));
      const fresh: number[] = [];
      for (let i = 0; i < one.timestamps.length; i++) {
        const timestamp = one.timestamps[i]!;
        if (one.values[i] === null || seen.timestamps.has(timestamp) || timestamp <= seen.newest - this.horizonMs) continue;
        seen.timestamps.add(timestamp);
        fresh.push(i);
      }
      if (fresh.length === 0) continue;
      fresh.sort((a, b) => one.timestamps[a]! - one.timestamps[b]!);
      const newest = one.timestamps[fresh[fresh.length - 1]!]!;
      if (newest > seen.newest) {
        seen.newest = newest;
        this.#forgetBefore(seen, newest - this.horizonMs);
      }
      out.push({ ...one, timestamps: fresh.map((i) => one.timestamps[i]!), values: fresh.map((i) => one.values[i]!) });
    }
    return out;
  }

  #forgetBefore(seen: { timestamps: Set<number> }, cutoff: number): void {
    // Sets iterate in insertion order, which is mostly time order: stop at the first keeper.
    for (const timestamp of seen.timestamps) {
      if (timestamp > cutoff) break;
      seen.timestamps.delete(timestamp);
    }
  }
}

export function seriesKey(series: Series): string {
  return `${series.metric}{${labelsKey(series.labels)}}`;
}
