import type { AggregateGroup } from '../../core/aggregate.js';
import { UpstreamUnavailableError } from '../../core/errors.js';
import { bucketCount } from '../../core/points.js';
import { labelsKey } from '../../core/series.js';
import { deadlineOf, markDeadline } from '../../resilience/signal-deadline.js';
import { metricPath, type ArgusClient } from './client.js';
import { CUSTOMER_LABEL } from './descriptors.js';
import { relabelField } from './envelope.js';
import { GROUP_FETCH_LIMIT, type AggregateBody, type AggregatePlan } from './aggregate-plan.js';
import { customerName, fieldEntries } from './records.js';

/**
 * Runs an aggregate plan against `POST /metrics/v1/metric/{descriptor}/aggregate` and shapes the
 * answer exactly as the gateway's own aggregation would: one group per label set, the whole-range
 * value, buckets on UTC-aligned interval boundaries (null where Argus had no record), the number
 * of series in each group, and with `limit` the top groups by value plus an "others" group.
 *
 * Argus answers one item per group (and per bucket): `{customer?, keys:[{name, value}],
 * metricTimestamp?, values:[{name, value}], metricDescriptorID}`. A bucketed answer has no
 * whole-range value; sums, minimums and maximums of buckets are exact, averages of averages are
 * not, so for avg and wavg the plan carries a second, unbucketed request, sent alongside.
 */

interface Point {
  timestamp?: number;
  value: number | null;
  /** Sum of the weight value, for wavg with a limit. */
  weight: number | null;
}

interface Row {
  labels: Record<string, string>;
  points: Point[];
}

interface Working extends AggregateGroup {
  weight: number | null;
  bucketWeights?: Array<number | null>;
}

export async function runAggregate(client: ArgusClient, plan: AggregatePlan, signal: AbortSignal | undefined): Promise<AggregateGroup[] | undefined> {
  // The requests of one plan stand or fall together: when one fails, the others stop.
  const together = new AbortController();
  const shared = signal ? AbortSignal.any([signal, together.signal]) : together.signal;
  // The request's end travels with its signal; the combined one keeps it, so waits are measured against it.
  const requestEnd = deadlineOf(signal);
  if (requestEnd) markDeadline(shared, requestEnd);
  const send = async (body: AggregateBody): Promise<unknown[]> => {
    try {
      const envelope = await client.post(metricPath(plan.descriptor.shortName, 'aggregate'), body, { idempotent: true, signal: shared });
      if (!Array.isArray(envelope.data)) {
        throw new UpstreamUnavailableError(`${client.sourceId} answered an aggregate without a list of results`, { source: client.sourceId, upstreamStatus: 200 });
      }
      return envelope.data as unknown[];
    } catch (error) {
      together.abort();
      throw relabelField(error, aggregateField);
    }
  };
  const [main, totals, perSeries] = await Promise.all([
    send(plan.body),
    plan.totals ? send(plan.totals) : undefined,
    plan.seriesCount ? send(plan.seriesCount) : undefined,
  ]);
  // Argus stopped at the group limit: some groups are missing, so the gateway computes it instead.
  if (truncated(main, plan.body) || (perSeries && truncated(perSeries, plan.seriesCount!))) return undefined;

  const totalsByGroup = totals ? new Map(rowsOf(totals, plan).map((row) => [labelsKey(row.labels), row.points[0]!])) : undefined;
  const seriesByGroup = perSeries ? countSeries(perSeries, plan) : undefined;
  const step = plan.intervalMs;
  const first = step ? Math.floor(plan.range.from / step) * step : 0;
  const count = step ? bucketCount(plan.range, step) : 0;
  const combinable = plan.fn === 'sum' || plan.fn === 'min' || plan.fn === 'max';

  const groups: Working[] = rowsOf(main, plan).map(({ labels, points }) => {
    const key = labelsKey(labels);
    const group: Working = { labels, others: false, value: null, weight: null, seriesCount: seriesByGroup?.get(key) ?? 1 };
    if (!step) {
      group.value = points[0]?.value ?? null;
      group.weight = points[0]?.weight ?? null;
      return group;
    }
    const values = new Array<number | null>(count).fill(null);
    const weights = new Array<number | null>(count).fill(null);
    for (const point of points) {
      const index = Math.floor(((point.timestamp ?? first) - first) / step);
      if (index < 0 || index >= count) continue;
      values[index] = point.value;
      weights[index] = point.weight;
    }
    group.buckets = { timestamps: Array.from({ length: count }, (_, i) => first + i * step), values };
    group.bucketWeights = weights;
    const total = totalsByGroup?.get(key);
    group.value = combinable ? combine(plan.fn, values) : (total?.value ?? null);
    group.weight = total?.weight ?? null;
    return group;
  });

  return order(groups, plan);
}

/**
 * The same order and top-N as the gateway's own aggregation: groups by label set; with a limit,
 * the top `limit` by value (ties by labels) in value order, then the rest merged into "others".
 */
function order(groups: Working[], plan: AggregatePlan): AggregateGroup[] | undefined {
  let kept = groups;
  let others: Working | undefined;
  const ranked = plan.limit !== undefined && plan.groupBy.length > 0;
  if (ranked && groups.length > plan.limit!) {
    // An "others" average needs record counts Argus does not give; the gateway computes that one.
    if (plan.fn === 'avg' || (plan.fn === 'wavg' && !plan.weightSum)) return undefined;
    const sorted = groups
      .map((group) => ({ group, value: group.value }))
      .sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity) || labelsKey(a.group.labels).localeCompare(labelsKey(b.group.labels)));
    kept = sorted.slice(0, plan.limit).map((entry) => entry.group);
    others = merge(sorted.slice(plan.limit).map((entry) => entry.group), plan);
  }
  const out = kept.map(strip);
  out.sort((a, b) => labelsKey(a.labels).localeCompare(labelsKey(b.labels)));
  if (ranked) {
    out.sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity));
    if (others) out.push(strip(others));
  }
  return out;
}

function merge(rest: readonly Working[], plan: AggregatePlan): Working {
  const merged: Working = {
    labels: {},
    others: true,
    value: mergeValues(plan, rest.map((group) => [group.value, group.weight])),
    weight: null,
    seriesCount: rest.reduce((total, group) => total + group.seriesCount, 0),
  };
  const template = rest[0]?.buckets;
  if (template) {
    merged.buckets = {
      timestamps: [...template.timestamps],
      values: template.timestamps.map((_, i) => mergeValues(plan, rest.map((group) => [group.buckets!.values[i] ?? null, group.bucketWeights?.[i] ?? null]))),
    };
  }
  return merged;
}

/** Values of several groups as one: exact for sum, min, max, and for wavg given each group's weight sum. */
function mergeValues(plan: AggregatePlan, entries: ReadonlyArray<readonly [number | null, number | null]>): number | null {
  if (plan.fn !== 'wavg') return combine(plan.fn, entries.map(([value]) => value));
  let weighted = 0;
  let total = 0;
  for (const [value, weight] of entries) {
    if (value === null || weight === null) continue;
    weighted += value * weight;
    total += weight;
  }
  return total === 0 ? null : weighted / total;
}

function combine(fn: string, values: ReadonlyArray<number | null>): number | null {
  const present = values.filter((value): value is number => value !== null);
  if (present.length === 0) return null;
  if (fn === 'min') return present.reduce((low, value) => (value < low ? value : low), Infinity);
  if (fn === 'max') return present.reduce((high, value) => (value > high ? value : high), -Infinity);
  return present.reduce((total, value) => total + value, 0);
}

function strip(group: Working): AggregateGroup {
  const out: AggregateGroup = { labels: group.labels, others: group.others, value: group.value, seriesCount: group.seriesCount };
  if (group.buckets) out.buckets = group.buckets;
  return out;
}

/** Items of one group (one per bucket when bucketed) gathered in answer order, labelled by the plan's groupBy. */
function rowsOf(items: readonly unknown[], plan: AggregatePlan): Row[] {
  const rows = new Map<string, Row>();
  for (const raw of items) {
    const item = (raw ?? {}) as { metricTimestamp?: unknown; values?: unknown };
    const labels = labelsOf(raw, plan.groupBy);
    const entries = fieldEntries(item.values);
    const point: Point = {
      value: numberOrNull(entries.find(([name]) => name === plan.value)?.[1]),
      weight: plan.weightSum ? numberOrNull(entries.find(([name]) => name === plan.weightValue)?.[1]) : null,
    };
    if (typeof item.metricTimestamp === 'number') point.timestamp = item.metricTimestamp;
    const key = labelsKey(labels);
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { labels, points: [] }));
    row.points.push(point);
  }
  return [...rows.values()];
}

/** Each item of the per-series request is one series; counts them into the plan's groups. */
function countSeries(items: readonly unknown[], plan: AggregatePlan): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = labelsKey(labelsOf(item, plan.groupBy));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function labelsOf(raw: unknown, groupBy: readonly string[]): Record<string, string> {
  const item = (raw ?? {}) as { customer?: unknown; keys?: unknown };
  const found: Record<string, string> = {};
  for (const [name, value] of fieldEntries(item.keys)) {
    if (value !== null && value !== undefined) found[name] = String(value);
  }
  const customer = customerName(item.customer);
  const labels: Record<string, string> = {};
  for (const label of groupBy) {
    // The owner customer is the label unless the descriptor has a key of that name.
    const value = found[label] ?? (label === CUSTOMER_LABEL ? customer : undefined);
    if (value !== undefined) labels[label] = value;
  }
  return labels;
}

/** Whether Argus may have cut a groupBy key at its limit. */
function truncated(items: readonly unknown[], body: AggregateBody): boolean {
  for (const { key } of body.groupBy ?? []) {
    const values = new Set<string>();
    for (const item of items) {
      const found = fieldEntries((item as { keys?: unknown } | null)?.keys).find(([name]) => name === key);
      if (found) values.add(String(found[1]));
    }
    if (values.size >= GROUP_FETCH_LIMIT) return true;
  }
  return false;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function aggregateField(field: string): string {
  if (field === 'startTimestamp') return 'from';
  if (field === 'endTimestamp') return 'to';
  if (/^values\[\d+\]\.valueAsWeight$/.test(field)) return 'weightBy';
  if (/^values\[\d+\]\.aggregationFunction$/.test(field)) return 'function';
  if (field.startsWith('values')) return 'metric';
  if (field.startsWith('groupBy')) return 'groupBy';
  if (field === 'resolution' || field === 'resolutionUnit') return 'interval';
  return `argus.${field}`;
}
