import type { AggregateGroup } from '../../core/aggregate.js';
import { MS } from '../../core/duration.js';
import { bucketCount } from '../../core/points.js';
import { labelsKey, type Labels } from '../../core/series.js';
import type { AggregatePlan, Statistic } from './aggregate-plan.js';
import { REMAINDER_LABEL, toSeries, type MetricSeriesCollection } from './response.js';
import { convert, NO_CONVERSION, type UnitConversion } from './units.js';

/**
 * Turns the answer to an aggregate plan into the groups the gateway's own aggregation would give:
 * one per label set, in label order, the whole-range value, UTC-aligned buckets (count 0 and
 * otherwise null where nothing fell), the number of series in each group, and with `limit` the
 * top groups by value followed by an "others" group.
 *
 * Dynatrace answers each statistic per group and slot, each slot stamped with its end; the
 * gateway's series are stamped with slot starts and only slots starting inside the range count,
 * so the same rule picks the slots here. Values are converted (microseconds to milliseconds) at
 * the end, as the gateway converts each point: sums, minima, maxima and averages scale with the
 * unit; counts do not.
 *
 * Resolves to undefined when the answer cannot give the gateway's numbers after all: slots longer
 * than a minute where they matter, a remainder series (Dynatrace kept only its top tuples), a
 * series without one of the groupBy dimensions (`:splitBy` leaves it out, the gateway would not),
 * or warnings (the gateway's own path passes them on to the client; this one cannot).
 */

export interface ExpressionAnswer {
  collection: MetricSeriesCollection;
  slotMs: number;
  warnings: readonly string[];
}

export interface AnswerShape {
  source: string;
  conversion: UnitConversion;
}

/** One slot's (or bucket's, or range's) statistics of one group, merged as values are. */
interface Stats {
  sum: number;
  count: number;
  min: number;
  max: number;
  /** Any value at all: a sum of nothing is null, not 0. */
  seen: boolean;
}

interface Group {
  labels: Record<string, string>;
  seriesCount: number;
  /** Stats per slot start. */
  slots: Map<number, Stats>;
}

export function groupsFromAnswer(
  plan: AggregatePlan,
  statistics: ReadonlyArray<ExpressionAnswer>,
  perSeries: ExpressionAnswer,
  shape: AnswerShape,
): AggregateGroup[] | undefined {
  const answers = [...statistics, perSeries];
  if (answers.some((answer) => answer.warnings.length > 0)) return undefined;
  const slotMs = perSeries.slotMs;
  if (answers.some((answer) => answer.slotMs !== slotMs)) return undefined;
  if (plan.needsMinuteSlots && slotMs !== MS.MINUTE) return undefined;

  const read = (answer: ExpressionAnswer) =>
    toSeries(answer.collection, slotMs, { source: shape.source, metric: plan.key, conversion: NO_CONVERSION, range: plan.range });

  const groups = new Map<string, Group>();
  for (const series of read(perSeries)) {
    if (REMAINDER_LABEL in series.labels) return undefined;
    const labels = pick(series.labels, plan.groupBy);
    if (labels === undefined) return undefined;
    const key = labelsKey(labels);
    const group = groups.get(key) ?? { labels, seriesCount: 0, slots: new Map() };
    group.seriesCount++;
    groups.set(key, group);
  }

  for (let i = 0; i < statistics.length; i++) {
    const statistic = plan.statistics[i]!.statistic;
    for (const series of read(statistics[i]!)) {
      if (REMAINDER_LABEL in series.labels) return undefined;
      const group = groups.get(labelsKey(series.labels));
      // A group without series: the two expressions disagree about what exists.
      if (!group) return undefined;
      series.timestamps.forEach((start, j) => {
        const value = series.values[j];
        if (value === null || value === undefined) return;
        let stats = group.slots.get(start);
        if (!stats) group.slots.set(start, (stats = empty()));
        record(stats, statistic, value);
      });
    }
  }
  return order([...groups.values()], plan, shape.conversion);
}

function order(groups: readonly Group[], plan: AggregatePlan, conversion: UnitConversion): AggregateGroup[] {
  const step = plan.intervalMs;
  const first = step ? Math.floor(plan.range.from / step) * step : 0;
  const buckets = step ? bucketCount(plan.range, step) : 0;

  const summarise = (labels: Record<string, string>, members: readonly Group[], others: boolean): AggregateGroup => {
    const whole = empty();
    const slots = Array.from({ length: buckets }, empty);
    for (const member of members) {
      for (const [start, stats] of member.slots) {
        merge(whole, stats);
        if (step) merge(slots[Math.floor((start - first) / step)]!, stats);
      }
    }
    const group: AggregateGroup = {
      labels,
      others,
      value: finish(plan.fn, whole, conversion),
      seriesCount: members.reduce((total, member) => total + member.seriesCount, 0),
    };
    if (step) {
      group.buckets = {
        timestamps: slots.map((_, i) => first + i * step),
        values: slots.map((stats) => finish(plan.fn, stats, conversion)),
      };
    }
    return group;
  };

  let kept = groups.map((group) => ({ group, summary: summarise(group.labels, [group], false) }));
  let others: AggregateGroup | undefined;
  const ranked = plan.limit !== undefined;
  if (ranked && kept.length > plan.limit!) {
    kept.sort((a, b) => (b.summary.value ?? -Infinity) - (a.summary.value ?? -Infinity) || labelsKey(a.group.labels).localeCompare(labelsKey(b.group.labels)));
    others = summarise({}, kept.slice(plan.limit).map((entry) => entry.group), true);
    kept = kept.slice(0, plan.limit);
  }
  const out = kept.map((entry) => entry.summary);
  out.sort((a, b) => labelsKey(a.labels).localeCompare(labelsKey(b.labels)));
  // A top-N answer reads in value order whether or not anything was left over for "others".
  if (ranked) {
    out.sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity));
    if (others) out.push(others);
  }
  return out;
}

function empty(): Stats {
  return { sum: 0, count: 0, min: Infinity, max: -Infinity, seen: false };
}

function record(stats: Stats, statistic: Statistic, value: number): void {
  stats.seen = true;
  if (statistic === 'sum') stats.sum += value;
  else if (statistic === 'count') stats.count += value;
  else if (statistic === 'min') stats.min = Math.min(stats.min, value);
  else stats.max = Math.max(stats.max, value);
}

function merge(into: Stats, from: Stats): void {
  if (!from.seen) return;
  into.seen = true;
  into.sum += from.sum;
  into.count += from.count;
  into.min = Math.min(into.min, from.min);
  into.max = Math.max(into.max, from.max);
}

function finish(fn: AggregatePlan['fn'], stats: Stats, conversion: UnitConversion): number | null {
  if (fn === 'count') return stats.count;
  if (!stats.seen) return null;
  switch (fn) {
    case 'sum':
      return convert(stats.sum, conversion);
    case 'avg':
      return stats.count === 0 ? null : convert(stats.sum, conversion) / stats.count;
    case 'min':
      return convert(stats.min, conversion);
    case 'max':
      return convert(stats.max, conversion);
  }
}

/** The groupBy labels of a series, or undefined when it lacks one of them. */
function pick(labels: Labels, keys: readonly string[]): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = labels[key];
    if (value === undefined) return undefined;
    out[key] = value;
  }
  return out;
}
