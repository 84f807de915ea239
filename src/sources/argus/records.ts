import { UpstreamUnavailableError } from '../../core/errors.js';
import { bucketize, labelsKey, matchesFilters, type LabelFilter, type Reducer, type Series } from '../../core/series.js';
import type { TimeRange } from '../../core/time.js';
import type { DefaultFunction } from './config.js';
import { CUSTOMER_LABEL, customerIsOwner, defaultFunction, type MetricTarget } from './descriptors.js';

/**
 * Search records into series. A record is one measurement: a timestamp, the owner customer, the
 * descriptor's keys and its values. Records with the same customer and key values form one series
 * per value field; the labels are the key values and the customer's shortName.
 *
 * The record shape is not published (the submit body is `{timestamp, keys:{..}, values:{..}}`, the
 * aggregate answer lists keys and values as `[{name, value}]`), so both forms are read, and the
 * customer may be an object (`{id, shortName, name}`), a shortName or an id.
 */

export interface RecordView {
  timestamp: number;
  customer?: string;
  keys: Record<string, string>;
  values: Record<string, number | null>;
}

const REDUCERS: Record<DefaultFunction, Reducer> = {
  sum: (values) => values.reduce((total, value) => total + value, 0),
  avg: (values) => values.reduce((total, value) => total + value, 0) / values.length,
  min: (values) => values.reduce((low, value) => (value < low ? value : low), Infinity),
  max: (values) => values.reduce((high, value) => (value > high ? value : high), -Infinity),
};

export function readRecord(raw: unknown, source: string): RecordView {
  const record = raw as { timestamp?: unknown; customer?: unknown; keys?: unknown; values?: unknown } | null;
  const timestamp = record?.timestamp;
  if (record === null || typeof record !== 'object' || typeof timestamp !== 'number' || !Number.isFinite(timestamp)) {
    throw new UpstreamUnavailableError(`${source} answered with a metric record the gateway cannot read (no numeric timestamp): ${preview(raw)}`, {
      source,
      upstreamStatus: 200,
    });
  }
  const view: RecordView = { timestamp, keys: {}, values: {} };
  const customer = customerName(record.customer);
  if (customer !== undefined) view.customer = customer;
  for (const [name, value] of fieldEntries(record.keys)) {
    if (value !== null && value !== undefined) view.keys[name] = String(value);
  }
  for (const [name, value] of fieldEntries(record.values)) {
    view.values[name] = typeof value === 'number' && Number.isFinite(value) ? value : null;
  }
  return view;
}

/** The shortName of a customer as Argus writes it in answers; undefined for global records. */
export function customerName(raw: unknown): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number') return String(raw);
  if (typeof raw === 'object') {
    const customer = raw as { shortName?: unknown; name?: unknown; id?: unknown };
    for (const candidate of [customer.shortName, customer.name, customer.id]) {
      if (typeof candidate === 'string' && candidate !== '') return candidate;
      if (typeof candidate === 'number') return String(candidate);
    }
  }
  return undefined;
}

/** `{a: 1}` or `[{name: 'a', value: 1}]` as entries. */
export function fieldEntries(raw: unknown): Array<[string, unknown]> {
  if (Array.isArray(raw)) {
    return raw
      .filter((item): item is { name: string; value?: unknown } => item !== null && typeof item === 'object' && typeof item.name === 'string')
      .map((item) => [item.name, item.value]);
  }
  if (raw !== null && typeof raw === 'object') return Object.entries(raw);
  return [];
}

export interface SeriesOptions {
  source: string;
  range: TimeRange;
  intervalMs?: number;
  /** Filters Argus could not apply; matched against each series' labels. */
  filters: readonly LabelFilter[];
}

export function recordsToSeries(records: readonly RecordView[], target: MetricTarget, options: SeriesOptions): Series[] {
  const { descriptor } = target;
  const keyNames = descriptor.keys.map((key) => key.name);
  const withOwner = customerIsOwner(descriptor);
  const groups = new Map<string, { labels: Record<string, string>; records: RecordView[] }>();
  for (const record of records) {
    const labels: Record<string, string> = {};
    if (withOwner && record.customer !== undefined) labels[CUSTOMER_LABEL] = record.customer;
    for (const name of keyNames) {
      const value = record.keys[name];
      if (value !== undefined) labels[name] = value;
    }
    if (!matchesFilters(labels, options.filters)) continue;
    const key = labelsKey(labels);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { labels, records: [] }));
    group.records.push(record);
  }

  const out: Series[] = [];
  for (const key of [...groups.keys()].sort()) {
    const group = groups.get(key)!;
    group.records.sort((a, b) => a.timestamp - b.timestamp);
    for (const value of target.values) {
      const reduce = REDUCERS[defaultFunction(descriptor, value)];
      const series: Series = {
        source: options.source,
        metric: `${descriptor.shortName}.${value}`,
        upstreamMetric: descriptor.shortName,
        labels: group.labels,
        ...pointsOf(group.records, value, reduce, options),
      };
      const unit = descriptor.units[value];
      if (unit !== undefined) series.unit = unit;
      out.push(series);
    }
  }
  return out;
}

/**
 * Raw: one point per distinct timestamp (records that share one are combined with the value's
 * default function, as Argus would). With an interval: that function over every record in each
 * UTC-aligned bucket (not over already combined points, so an average stays an average).
 */
function pointsOf(
  records: readonly RecordView[],
  value: string,
  reduce: Reducer,
  options: SeriesOptions,
): { timestamps: number[]; values: Array<number | null>; intervalMs?: number } {
  if (options.intervalMs !== undefined) {
    const present = records.filter((record) => typeof record.values[value] === 'number');
    const resampled = bucketize(
      present.map((record) => record.timestamp),
      present.map((record) => record.values[value]!),
      options.range,
      options.intervalMs,
      reduce,
    );
    return { ...resampled, intervalMs: options.intervalMs };
  }
  const timestamps: number[] = [];
  const values: Array<number | null> = [];
  let pending: number[] = [];
  const flush = () => {
    values[values.length - 1] = pending.length > 0 ? reduce(pending) : null;
    pending = [];
  };
  for (const record of records) {
    if (timestamps[timestamps.length - 1] !== record.timestamp) {
      if (timestamps.length > 0) flush();
      timestamps.push(record.timestamp);
      values.push(null);
    }
    const point = record.values[value];
    if (point !== null && point !== undefined) pending.push(point);
  }
  if (timestamps.length > 0) flush();
  return { timestamps, values };
}

function preview(value: unknown): string {
  try {
    return (JSON.stringify(value) ?? String(value)).slice(0, 160);
  } catch {
    return String(value);
  }
}
