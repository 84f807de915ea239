import { BadUserInputError } from './errors.js';
import { bucketCount, POINTS_BACKSTOP, PointTally } from './points.js';
import { reduce, type AggregateFunction, type BucketPoints } from './reduce.js';
import { labelsKey, type Labels, type Series } from './series.js';
import type { TimeRange } from './time.js';

/**
 * Aggregation computed in the gateway, for sources that cannot do it upstream: series are grouped
 * by a label set, each group's points are reduced per UTC-aligned bucket and over the whole range.
 * Counters (cumulative totals) are turned into increments first, with resets handled, so `sum` is
 * "how many" and `rate` is "how many per second". Gaps are not points.
 */

export interface AggregateSpec {
  fn: AggregateFunction;
  /** 0..100 for `percentile`. */
  percentile?: number;
  groupBy: readonly string[];
  /** Keep the top `limit` groups by value; the rest merge into one "others" group. */
  limit?: number;
  range: TimeRange;
  /** Bucket length; absent means one value over the whole range. */
  intervalMs?: number;
  /** Weight of a point, for wavg: by the point's series labels and timestamp. */
  weight?: (labels: Labels, timestamp: number) => number | undefined;
  /**
   * Most buckets over all groups (groups x buckets per group); one more group is refused before
   * its buckets are made. Absent: POINTS_BACKSTOP.
   */
  maxPoints?: number;
}

export interface AggregateGroup {
  labels: Record<string, string>;
  /** True for the group that collects everything beyond `limit`. */
  others: boolean;
  value: number | null;
  buckets?: { timestamps: number[]; values: Array<number | null> };
  seriesCount: number;
}

interface GroupState {
  labels: Record<string, string>;
  seriesCount: number;
  all: BucketPoints;
  buckets: BucketPoints[];
}

export function validateAggregateSpec(spec: Pick<AggregateSpec, 'fn' | 'percentile' | 'limit' | 'weight'>): void {
  if (spec.fn === 'percentile') {
    if (spec.percentile === undefined) {
      throw new BadUserInputError('percentile is required with function PERCENTILE (0..100, e.g. 95)', { field: 'percentile' });
    }
    if (!(spec.percentile >= 0 && spec.percentile <= 100)) {
      throw new BadUserInputError(`percentile must be between 0 and 100; got ${spec.percentile}`, { field: 'percentile' });
    }
  }
  if (spec.fn === 'wavg' && !spec.weight) {
    throw new BadUserInputError('function WAVG needs weightBy: a weight metric of the same source, or a number', { field: 'weightBy' });
  }
  if (spec.limit !== undefined && (!Number.isInteger(spec.limit) || spec.limit < 1)) {
    throw new BadUserInputError(`limit must be a positive whole number; got ${spec.limit}`, { field: 'limit' });
  }
}

export function aggregate(series: readonly Series[], spec: AggregateSpec): AggregateGroup[] {
  validateAggregateSpec(spec);
  const { range, intervalMs } = spec;
  const first = intervalMs ? Math.floor(range.from / intervalMs) * intervalMs : range.from;
  const buckets = intervalMs ? bucketCount(range, intervalMs, spec.maxPoints) : 0;
  // Every group holds its buckets plus its whole-range value.
  const tally = new PointTally(spec.maxPoints ?? POINTS_BACKSTOP, 'aggregation');
  const groups = new Map<string, GroupState>();

  for (const one of series) {
    const labels = pick(one.labels, spec.groupBy);
    const key = labelsKey(labels);
    let group = groups.get(key);
    if (!group) {
      tally.add(buckets + 1);
      group = { labels, seriesCount: 0, all: emptyPoints(spec), buckets: Array.from({ length: buckets }, () => emptyPoints(spec)) };
      groups.set(key, group);
    }
    group.seriesCount++;
    forEachPoint(one, range, (timestamp, value) => {
      const weight = spec.weight?.(one.labels, timestamp);
      push(group.all, timestamp, value, weight);
      if (intervalMs) push(group.buckets[Math.floor((timestamp - first) / intervalMs)]!, timestamp, value, weight);
    });
  }

  let states = [...groups.values()];
  let others: GroupState | undefined;
  const valueOf = (state: GroupState) => reduce(spec.fn, state.all, { percentile: spec.percentile, spanMs: range.to - range.from });
  if (spec.limit !== undefined && spec.groupBy.length > 0 && states.length > spec.limit) {
    const ranked = states.map((state) => ({ state, value: valueOf(state) }));
    ranked.sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity) || labelsKey(a.state.labels).localeCompare(labelsKey(b.state.labels)));
    states = ranked.slice(0, spec.limit).map((entry) => entry.state);
    others = merge(ranked.slice(spec.limit).map((entry) => entry.state), buckets, spec);
  }

  const toGroup = (state: GroupState, isOthers: boolean): AggregateGroup => {
    const group: AggregateGroup = { labels: state.labels, others: isOthers, value: valueOf(state), seriesCount: state.seriesCount };
    if (intervalMs) {
      group.buckets = {
        timestamps: state.buckets.map((_, i) => first + i * intervalMs),
        values: state.buckets.map((bucket) => reduce(spec.fn, bucket, { percentile: spec.percentile, spanMs: intervalMs })),
      };
    }
    return group;
  };
  const out = states.map((state) => toGroup(state, false));
  out.sort((a, b) => labelsKey(a.labels).localeCompare(labelsKey(b.labels)));
  // A top-N answer reads in value order whether or not anything was left over for "others".
  if (spec.limit !== undefined && spec.groupBy.length > 0) {
    out.sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity));
    if (others) out.push(toGroup(others, true));
  }
  return out;
}

/**
 * Calls `visit` for each real point of a series inside the range. For counters the visited value
 * is the increment since the previous point; a drop means the counter restarted, and the new
 * total is the increment since the restart (as Prometheus's `increase` reads resets).
 */
export function forEachPoint(series: Series, range: TimeRange, visit: (timestamp: number, value: number) => void): void {
  const { timestamps, values } = series;
  const counter = series.type === 'counter';
  let previous: number | undefined = counter ? series.counterBase : undefined;
  for (let i = 0; i < timestamps.length; i++) {
    const value = values[i];
    if (value === null || value === undefined || !Number.isFinite(value)) continue;
    const timestamp = timestamps[i]!;
    if (!counter) {
      if (timestamp >= range.from && timestamp < range.to) visit(timestamp, value);
      continue;
    }
    const increment = previous === undefined ? undefined : value >= previous ? value - previous : value;
    previous = value;
    if (increment !== undefined && timestamp >= range.from && timestamp < range.to) visit(timestamp, increment);
  }
}

function pick(labels: Labels, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = labels[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function emptyPoints(spec: AggregateSpec): BucketPoints {
  return spec.fn === 'wavg' ? { values: [], timestamps: [], weights: [] } : { values: [], timestamps: [] };
}

function push(points: BucketPoints, timestamp: number, value: number, weight: number | undefined): void {
  if (points.weights) {
    // A point without a weight cannot take part in a weighted average.
    if (weight === undefined) return;
    points.weights.push(weight);
  }
  points.values.push(value);
  points.timestamps.push(timestamp);
}

function merge(states: GroupState[], bucketCount: number, spec: AggregateSpec): GroupState {
  const merged: GroupState = { labels: {}, seriesCount: 0, all: emptyPoints(spec), buckets: Array.from({ length: bucketCount }, () => emptyPoints(spec)) };
  for (const state of states) {
    merged.seriesCount += state.seriesCount;
    append(merged.all, state.all);
    state.buckets.forEach((bucket, i) => append(merged.buckets[i]!, bucket));
  }
  return merged;
}

function append(into: BucketPoints, from: BucketPoints): void {
  for (let i = 0; i < from.values.length; i++) {
    into.values.push(from.values[i]!);
    into.timestamps.push(from.timestamps[i]!);
    if (into.weights && from.weights) into.weights.push(from.weights[i]!);
  }
}
