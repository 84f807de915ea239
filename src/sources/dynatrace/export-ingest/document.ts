import type { Labels } from '../../../core/series.js';
import type { TimeRange } from '../../../core/time.js';
import { fail, isObject, shown } from './problem.js';

/**
 * An export document after its shape was checked, before mappings and units apply. Both formats
 * end up here: slots are stamped with their START, values are Dynatrace's, nulls are gaps.
 */
export type ExportFormat = 'export' | 'query-response';

export interface ParsedSeries {
  path: string;
  labels: Labels;
  /** [slot start, value] in time order; null values are gaps. */
  points: Array<[number, number | null]>;
}

export interface ParsedMetric {
  /** The Dynatrace key, transformations stripped. */
  key: string;
  path: string;
  /** The unit the file states for this metric's values, if it states one. */
  unit?: string;
  series: ParsedSeries[];
}

export interface ParsedExport {
  format: ExportFormat;
  /** What the document covers; undefined when it holds no points to tell (an empty saved answer). */
  timeframe: TimeRange | undefined;
  metrics: ParsedMetric[];
  /** Things worth reporting that do not make the document unusable. */
  notes: string[];
}

/** Latest epoch ms a timestamp may have (year 9999), so typos like an extra digit are caught. */
const MAX_EPOCH_MS = 253_402_300_799_999;

/** Reads `timestamps` and `values` of one series: equal length, integer ms ascending, numbers or null. */
export function readPoints(item: Record<string, unknown>, path: string): Array<{ at: number; value: number | null }> {
  const { timestamps, values } = item;
  if (!Array.isArray(timestamps)) fail(`${path}.timestamps`, `must be a list of epoch milliseconds; got ${shown(timestamps)}`);
  if (!Array.isArray(values)) fail(`${path}.values`, `must be a list of numbers or nulls; got ${shown(values)}`);
  if (timestamps.length !== values.length) {
    fail(path, `timestamps and values must have the same length; got ${timestamps.length} timestamps and ${values.length} values`);
  }
  const points: Array<{ at: number; value: number | null }> = [];
  let previous = -Infinity;
  timestamps.forEach((at, i) => {
    if (typeof at !== 'number' || !Number.isInteger(at) || at < 0 || at > MAX_EPOCH_MS) {
      fail(`${path}.timestamps[${i}]`, `must be epoch milliseconds (an integer); got ${shown(at)}`);
    }
    if (at <= previous) fail(`${path}.timestamps[${i}]`, `must be later than the timestamp before it (${previous}); got ${at}`);
    previous = at;
    const value = values[i];
    if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
      fail(`${path}.values[${i}]`, `must be a number or null (a gap); got ${shown(value)}`);
    }
    points.push({ at, value });
  });
  return points;
}

/** A dimension object `{key: "value"}` as labels; nulls mean the dimension has no value. */
export function readDimensionObject(value: unknown, path: string): Labels {
  if (!isObject(value)) fail(path, `must be an object of dimension keys to values; got ${shown(value)}`);
  const labels: Record<string, string> = {};
  for (const [key, dimension] of Object.entries(value)) {
    if (key === '') fail(path, 'dimension keys must not be empty');
    if (dimension === null) continue;
    if (typeof dimension !== 'string') fail(`${path}.${key}`, `must be a string (or null); got ${shown(dimension)}`);
    labels[key] = dimension;
  }
  return labels;
}

/**
 * A metric id as it comes in a saved answer: the key with its transformations
 * (`builtin:service.response.time:splitBy("dt.entity.service"):avg`). The key ends at the first
 * colon that is not the namespace separator.
 */
export function keyOfMetricId(metricId: string): string {
  const quoted = /^"((?:[^"~]|~.)*)"/.exec(metricId);
  if (quoted) return quoted[1]!.replace(/~(.)/g, '$1');
  const namespaced = /^([A-Za-z][A-Za-z0-9_-]*:[^:()]+)/.exec(metricId);
  if (namespaced && /^(builtin|ext|calc|func|appmon|dsfm|custom|legacy):/.test(metricId)) return namespaced[1]!;
  return metricId.split(':')[0]!;
}

const DAY_MS = 86_400_000;

/** A note when the timeframe does not start and end on UTC midnights; the data is not shifted. */
export function dayAlignmentNote(timeframe: TimeRange): string | undefined {
  if (timeframe.from % DAY_MS === 0 && timeframe.to % DAY_MS === 0) return undefined;
  const partial = [timeframe.from, timeframe.to - 1]
    .filter((edge, i) => (i === 0 ? timeframe.from : timeframe.to) % DAY_MS !== 0 && edge >= 0)
    .map((edge) => new Date(Math.floor(edge / DAY_MS) * DAY_MS).toISOString().slice(0, 10));
  return (
    `timeframe ${new Date(timeframe.from).toISOString()} to ${new Date(timeframe.to).toISOString()} is not aligned to UTC days; ` +
    `${[...new Set(partial)].join(' and ')} ${partial.length > 1 && partial[0] !== partial[1] ? 'are' : 'is'} only partly covered by this document, and no value was moved to another day`
  );
}
