import { labelsKey, type Series } from '../core/series.js';

/**
 * Remembers the newest timestamp delivered per series (metric + labels) and keeps only points
 * after it, in timestamp order. This is what makes "each event carries only new points, never
 * duplicates" hold across overlapping polls, a poller handover, and backfill meeting live data.
 */
export class NewPointFilter {
  readonly #latest = new Map<string, number>();

  /** The part of `series` not seen before; records it as seen. Empty series are dropped. */
  take(series: readonly Series[]): Series[] {
    const out: Series[] = [];
    for (const one of series) {
      const key = seriesKey(one);
      const after = this.#latest.get(key) ?? -Infinity;
      const order = one.timestamps.map((_, i) => i).filter((i) => one.timestamps[i]! > after && one.values[i] !== null);
      if (order.length === 0) continue;
      order.sort((a, b) => one.timestamps[a]! - one.timestamps[b]!);
      const timestamps = order.map((i) => one.timestamps[i]!);
      this.#latest.set(key, timestamps[timestamps.length - 1]!);
      out.push({ ...one, timestamps, values: order.map((i) => one.values[i]!) });
    }
    return out;
  }
}

export function seriesKey(series: Series): string {
  return `${series.metric}{${labelsKey(series.labels)}}`;
}
