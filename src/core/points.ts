import { formatDuration, MS } from './duration.js';
import { BadUserInputError } from './errors.js';
import type { TimeRange } from './time.js';

/**
 * Counting points before they exist. Every array the gateway sizes from a client's range and
 * interval (resampled series, aggregation buckets, trend buckets) is sized by `bucketCount`, which
 * refuses a count above the limit it is given before anything is allocated. The demand check
 * (src/graphql/cost) passes the configured budget; `POINTS_BACKSTOP` stands behind it for any
 * caller that passes none, so a forgotten budget costs a refused query, never the process.
 */

/**
 * The most points one array may hold whatever the configuration says: some 10 times the default
 * per-field budget, and far below where V8 refuses an array ("Invalid array length").
 */
export const POINTS_BACKSTOP = 5_000_000;

/**
 * Buckets of `stepMs` covering `range`, the first starting on the UTC step boundary at or before
 * `range.from` (as bucketize and aggregate lay them out). Plain arithmetic: nothing is allocated,
 * so a one-millisecond step over a year is just a large number.
 */
export function countBuckets(range: TimeRange, stepMs: number): number {
  if (!(stepMs > 0)) return Infinity;
  const first = Math.floor(range.from / stepMs) * stepMs;
  return Math.max(0, Math.ceil((range.to - first) / stepMs));
}

/**
 * `countBuckets`, refused with BAD_USER_INPUT when over `maxPoints`. The message names the step,
 * the count and the smallest round step that fits, so the client can fix the query at once.
 */
export function bucketCount(range: TimeRange, stepMs: number, maxPoints = POINTS_BACKSTOP): number {
  return checkBuckets(countBuckets(range, stepMs), range, stepMs, maxPoints);
}

/** A bucket count laid out some other way (from `range.from` itself), refused as `bucketCount` refuses. */
export function checkBuckets(count: number, range: TimeRange, stepMs: number, maxPoints = POINTS_BACKSTOP): number {
  if (!(count <= Math.min(maxPoints, POINTS_BACKSTOP))) {
    const limit = Math.min(maxPoints, POINTS_BACKSTOP);
    throw new BadUserInputError(
      `interval ${formatDuration(stepMs)} over ${formatDuration(range.to - range.from)} gives ${count} points per series; ` +
        `at most ${limit} fit, so use an interval of at least ${formatDuration(smallestFittingStep(range.to - range.from, 1, limit))} ` +
        'or a shorter range',
      { field: 'interval' },
    );
  }
  return count;
}

/**
 * Round steps a suggestion picks from (the ones people type and every source takes: whole
 * minutes for Dynatrace, whole seconds for Darktrace).
 */
const ROUND_STEPS = [
  MS.SECOND, 5 * MS.SECOND, 10 * MS.SECOND, 15 * MS.SECOND, 30 * MS.SECOND,
  MS.MINUTE, 5 * MS.MINUTE, 10 * MS.MINUTE, 15 * MS.MINUTE, 30 * MS.MINUTE,
  MS.HOUR, 2 * MS.HOUR, 3 * MS.HOUR, 6 * MS.HOUR, 12 * MS.HOUR, MS.DAY, MS.WEEK, 30 * MS.DAY,
];

/**
 * The smallest round step at which `series` series over `rangeMs` stay within `maxPoints` points
 * (one bucket of slack for a range that does not start on a step boundary). Falls back to the
 * exact step when no round one fits, and to the whole range when even one point per series is
 * too many (then only a shorter range or fewer series helps, and the message says so).
 */
export function smallestFittingStep(rangeMs: number, series: number, maxPoints: number): number {
  const perSeries = Math.floor(maxPoints / Math.max(1, series));
  if (perSeries < 2) return Math.max(rangeMs, MS.SECOND);
  const round = ROUND_STEPS.find((step) => Math.ceil(rangeMs / step) + 1 <= perSeries);
  if (round !== undefined) return round;
  return Math.ceil(rangeMs / (perSeries - 1) / MS.SECOND) * MS.SECOND;
}

/**
 * A running count of points a piece of work has built, refused once over its limit: the hard
 * guard behind the estimate, for when the estimate was wrong (more series than assumed, denser
 * raw points). Callers add as they build, so the refusal comes before the memory is spent.
 */
export class PointTally {
  #count = 0;

  constructor(
    readonly limit: number,
    /** What is being built, for the message: "metricData answer", "aggregate buckets". */
    private readonly what: string,
  ) {}

  get count(): number {
    return this.#count;
  }

  add(points: number): void {
    this.#count += points;
    if (this.#count > this.limit) {
      throw new BadUserInputError(
        `the ${this.what} holds more than ${this.limit} points (the per-field budget); ` +
          'use a coarser interval, a shorter range or filters that match fewer series',
        { field: 'interval' },
      );
    }
  }
}
