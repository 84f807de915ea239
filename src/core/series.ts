import { bucketCount } from './points.js';
import type { TimeRange } from './time.js';

/**
 * The unified series model every source maps into. Columnar (timestamps and values side by side)
 * because that is what charts want and what serialises smallest into the cache. A null value is a
 * gap, never a zero.
 */
export type Labels = Readonly<Record<string, string>>;

export interface Series {
  source: string;
  metric: string;
  /** The name the upstream uses when it differs from `metric` (Dynatrace keys, Argus descriptors). */
  upstreamMetric?: string;
  unit?: string;
  /** Step between points when the series is regular; absent for raw, irregular points. */
  intervalMs?: number;
  labels: Labels;
  timestamps: number[];
  values: Array<number | null>;
  /**
   * `counter` when values are a cumulative running total (may reset to zero); aggregation then
   * works on the increments. Absent for gauges and for per-interval values (Dynatrace counts).
   */
  type?: 'counter' | 'gauge' | 'histogram' | 'summary';
  /**
   * For counters: the running total just before the first point given, when the source knows it
   * (0 when the counter started inside the range). Lets the first point count as an increment.
   */
  counterBase?: number;
  /** Vendor-specific extras the schema exposes on request (Darktrace device details, breaches). */
  extras?: Readonly<Record<string, unknown>>;
}

export interface LabelFilter {
  key: string;
  values: readonly string[];
  exclude: boolean;
}

export function matchesFilters(labels: Labels, filters: readonly LabelFilter[]): boolean {
  for (const filter of filters) {
    const value = labels[filter.key];
    const listed = value !== undefined && filter.values.includes(value);
    if (listed === filter.exclude) return false;
  }
  return true;
}

/** A stable text form of a label set: keys sorted, so equal sets give equal strings. */
export function labelsKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((key) => `${key}=${JSON.stringify(labels[key])}`)
    .join(',');
}

export type Reducer = (values: readonly number[]) => number;

export const reducers = {
  last: (values) => values[values.length - 1]!,
  avg: (values) => values.reduce((sum, v) => sum + v, 0) / values.length,
} satisfies Record<string, Reducer>;

/**
 * Resamples sorted raw points onto UTC-aligned buckets of `stepMs` covering `range`. Each bucket is
 * stamped with its start; a bucket with no points is a gap (null). More than `maxPoints` buckets is
 * refused (BAD_USER_INPUT) before anything is allocated.
 */
export function bucketize(
  timestamps: readonly number[],
  values: readonly number[],
  range: TimeRange,
  stepMs: number,
  reduce: Reducer,
  maxPoints?: number,
): { timestamps: number[]; values: Array<number | null> } {
  const first = Math.floor(range.from / stepMs) * stepMs;
  const count = bucketCount(range, stepMs, maxPoints);
  const outTimes = new Array<number>(count);
  const outValues = new Array<number | null>(count).fill(null);
  for (let i = 0; i < count; i++) outTimes[i] = first + i * stepMs;

  let i = lowerBound(timestamps, range.from);
  let bucket: number[] = [];
  let bucketIndex = -1;
  for (; i < timestamps.length && timestamps[i]! < range.to; i++) {
    const index = Math.floor((timestamps[i]! - first) / stepMs);
    if (index !== bucketIndex) {
      if (bucket.length > 0) outValues[bucketIndex] = reduce(bucket);
      bucket = [];
      bucketIndex = index;
    }
    bucket.push(values[i]!);
  }
  if (bucket.length > 0) outValues[bucketIndex] = reduce(bucket);
  return { timestamps: outTimes, values: outValues };
}

/** Index of the first element >= target in a sorted array. */
export function lowerBound(sorted: readonly number[], target: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element > target in a sorted array. */
export function upperBound(sorted: readonly number[], target: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
