import { quantileInPlace } from './quantile.js';

/**
 * The aggregation functions, each over one bucket's points: values with their timestamps and,
 * for wavg, weights. Callers pass only real points (gaps are not points); an empty bucket is
 * null for every function except count (0) and sum (null: no data is not zero).
 */
export const AGGREGATE_FUNCTIONS = [
  'sum', 'avg', 'min', 'max', 'count', 'first', 'last', 'median', 'percentile', 'rate', 'stddev', 'wavg',
] as const;
export type AggregateFunction = (typeof AGGREGATE_FUNCTIONS)[number];

export interface BucketPoints {
  values: number[];
  timestamps: number[];
  /** Weight of each point, for wavg. */
  weights?: number[];
}

export interface ReduceOptions {
  /** 0..100, for `percentile`. */
  percentile?: number;
  /** Length of the bucket in ms, for `rate`. */
  spanMs: number;
}

export function reduce(fn: AggregateFunction, points: BucketPoints, options: ReduceOptions): number | null {
  const { values, timestamps } = points;
  const n = values.length;
  if (fn === 'count') return n;
  if (n === 0) return null;
  switch (fn) {
    case 'sum':
      return sum(values);
    case 'avg':
      return sum(values) / n;
    case 'min':
      return values.reduce((a, b) => (b < a ? b : a), Infinity);
    case 'max':
      return values.reduce((a, b) => (b > a ? b : a), -Infinity);
    case 'first':
      return values[argExtreme(timestamps, (a, b) => a < b)]!;
    case 'last':
      return values[argExtreme(timestamps, (a, b) => a >= b)]!;
    case 'median':
      return quantileInPlace(Float64Array.from(values), 0.5);
    case 'percentile':
      return quantileInPlace(Float64Array.from(values), (options.percentile ?? 50) / 100);
    case 'rate':
      return sum(values) / (options.spanMs / 1000);
    case 'stddev': {
      const mean = sum(values) / n;
      return Math.sqrt(values.reduce((acc, v) => acc + (v - mean) ** 2, 0) / n);
    }
    case 'wavg': {
      const weights = points.weights ?? [];
      let weighted = 0;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const w = weights[i];
        if (w === undefined || !Number.isFinite(w)) continue;
        weighted += values[i]! * w;
        total += w;
      }
      return total === 0 ? null : weighted / total;
    }
  }
}

/** Kahan summation: totals over a million points should not drift in the last digits. */
function sum(values: readonly number[]): number {
  let total = 0;
  let carry = 0;
  for (const value of values) {
    const y = value - carry;
    const t = total + y;
    carry = t - total - y;
    total = t;
  }
  return total;
}

function argExtreme(timestamps: readonly number[], better: (a: number, b: number) => boolean): number {
  let best = 0;
  for (let i = 1; i < timestamps.length; i++) if (better(timestamps[i]!, timestamps[best]!)) best = i;
  return best;
}
