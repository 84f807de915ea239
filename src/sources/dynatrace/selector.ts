import { BadUserInputError } from '../../core/errors.js';
import { formatDuration, MS } from '../../core/duration.js';
import type { LabelFilter } from '../../core/series.js';

/**
 * Builds what goes into GET /api/v2/metrics/query: one metric expression per metric
 * (`key:filter(...):splitBy(...):aggregation`), joined into a `metricSelector` of at most ten,
 * and the `resolution` for an interval. Quoting follows the metric selector reference: a quote or
 * tilde inside a quoted string is escaped with a tilde.
 */

/** Dynatrace reads at most ten metrics per metricSelector. */
export const MAX_METRICS_PER_CALL = 10;
/** Longest metricSelector the API documents (5,000 characters in the v2 spec). */
export const MAX_SELECTOR_CHARS = 5000;

const PLAIN_KEY = /^[A-Za-z][A-Za-z0-9_-]*(?::[A-Za-z][A-Za-z0-9_-]*)?(?:\.[A-Za-z_][A-Za-z0-9_-]*)*$/;

export function quoteString(value: string): string {
  return `"${value.replace(/~/g, '~~').replace(/"/g, '~"')}"`;
}

/** A metric key as a selector needs it: bare when it is plain, quoted when it has symbols. */
export function selectorKey(key: string): string {
  return PLAIN_KEY.test(key) ? key : quoteString(key);
}

/**
 * One label filter as a filter condition. Dynatrace's `in` takes an entity selector, not a list
 * of values, so several values become `or(eq(..),eq(..))`, and excluding them `and(ne(..),..)`.
 * Returns undefined for a filter that keeps everything (exclude nothing).
 */
export function filterCondition(filter: LabelFilter): string | undefined {
  const key = quoteString(filter.key);
  const values = [...new Set(filter.values)];
  if (values.length === 0) return undefined;
  const op = filter.exclude ? 'ne' : 'eq';
  const conditions = values.map((value) => `${op}(${key},${quoteString(value)})`);
  if (conditions.length === 1) return conditions[0];
  return `${filter.exclude ? 'and' : 'or'}(${conditions.join(',')})`;
}

export interface ExpressionParts {
  key: string;
  filters: readonly LabelFilter[];
  /** Dimension keys to keep; [] merges every series into one; undefined keeps all. */
  splitBy?: readonly string[];
  /** An aggregation transformation (`avg`, `percentile(95)`), already validated. */
  aggregation?: string;
}

export function metricExpression(parts: ExpressionParts): string {
  let expression = selectorKey(parts.key);
  const conditions = parts.filters.map(filterCondition).filter((condition): condition is string => condition !== undefined);
  // Conditions listed in one :filter must all match, which is how label filters combine.
  if (conditions.length > 0) expression += `:filter(${conditions.join(',')})`;
  if (parts.splitBy !== undefined) expression += `:splitBy(${parts.splitBy.map(quoteString).join(',')})`;
  if (parts.aggregation !== undefined) expression += `:${parts.aggregation}`;
  return expression;
}

const RESOLUTION_UNITS: ReadonlyArray<[number, string]> = [[MS.WEEK, 'w'], [MS.DAY, 'd'], [MS.HOUR, 'h'], [MS.MINUTE, 'm']];

/**
 * The `resolution` for an interval: a timespan in Dynatrace's units. Dynatrace stores time slots
 * of whole minutes, one minute at the finest, so other intervals cannot be honoured.
 */
export function resolutionFor(intervalMs: number): string {
  if (intervalMs < MS.MINUTE || intervalMs % MS.MINUTE !== 0) {
    throw new BadUserInputError(
      `interval for a Dynatrace source must be a whole number of minutes (Dynatrace's finest time slot is 1m), like 1m, 5m, 1h or 1d; got ${formatDuration(intervalMs)}`,
      { field: 'interval' },
    );
  }
  for (const [size, unit] of RESOLUTION_UNITS) if (intervalMs % size === 0) return `${intervalMs / size}${unit}`;
  return `${intervalMs / MS.MINUTE}m`;
}

const RESOLUTION_PATTERN = /^(\d+)([mhdw])$/;
const RESOLUTION_MS: Readonly<Record<string, number>> = { m: MS.MINUTE, h: MS.HOUR, d: MS.DAY, w: MS.WEEK };

/**
 * The slot size of a `resolution` Dynatrace answered with ("1h"); `Infinity` for "Inf" (one
 * point for the whole timeframe); undefined for calendar slots (months and longer) that have no
 * fixed length.
 */
export function parseResolution(resolution: string): number | undefined {
  if (resolution === 'Inf') return Infinity;
  const match = RESOLUTION_PATTERN.exec(resolution);
  if (!match) return undefined;
  return Number(match[1]) * RESOLUTION_MS[match[2]!]!;
}

export interface QueryCallParams {
  selector: string;
  from: number;
  to: number;
  resolution?: string;
  entitySelector?: string;
  mzSelector?: string;
}

/** The query string of one /metrics/query call. `from` and `to` always go: the default `from` changed between versions. */
export function queryString(params: QueryCallParams): string {
  const pairs: Array<[string, string]> = [
    ['metricSelector', params.selector],
    ['from', String(params.from)],
    ['to', String(params.to)],
  ];
  if (params.resolution !== undefined) pairs.push(['resolution', params.resolution]);
  if (params.entitySelector !== undefined) pairs.push(['entitySelector', params.entitySelector]);
  if (params.mzSelector !== undefined) pairs.push(['mzSelector', params.mzSelector]);
  return pairs.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&');
}
