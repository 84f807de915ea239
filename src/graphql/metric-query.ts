import { BadUserInputError } from '../core/errors.js';
import type { LabelFilter } from '../core/series.js';
import { alignRange, autoStep, resolveRange, type TimeRange, type TimeSpec } from '../core/time.js';
import type { MetricQuery, MetricSource, SourceKind } from '../sources/source.js';

/** The arguments every metric-reading field shares (metricData, and later aggregate and trend). */
export interface MetricArgs {
  metric?: string | null;
  metrics?: readonly string[] | null;
  from?: TimeSpec | null;
  to?: TimeSpec | null;
  interval?: number | null;
  filters?: ReadonlyArray<{ key: string; values: readonly string[]; exclude?: boolean | null }> | null;
  darktrace?: object | null;
  argus?: object | null;
  dynatrace?: object | null;
}

export interface BuiltQuery {
  query: MetricQuery;
  /** The range the client asked for, before alignment widened it for the cache. */
  requested: TimeRange;
}

const PARAM_KINDS: ReadonlyArray<SourceKind & keyof MetricArgs> = ['darktrace', 'argus', 'dynatrace'];
const MAX_METRICS = 100;

/**
 * Normalises GraphQL arguments into the adapter contract's MetricQuery: one `now` per request,
 * the range aligned to the interval (so nearby requests share cache entries), filters with
 * defaults applied, and only the per-kind parameters that belong to this source's kind.
 */
export function buildMetricQuery(source: MetricSource, args: MetricArgs, now: number): BuiltQuery {
  const metrics = metricNames(args);
  const requested = resolveRange(args.from, args.to, now);
  const step = args.interval ?? autoStep(requested);
  const query: MetricQuery = {
    metrics,
    range: alignRange(requested, step),
    filters: (args.filters ?? []).map(toFilter),
  };
  if (args.interval != null) query.intervalMs = args.interval;
  for (const kind of PARAM_KINDS) {
    const params = args[kind];
    if (params == null) continue;
    if (kind !== source.kind) {
      throw new BadUserInputError(`${kind} parameters apply to ${kind} sources; '${source.id}' is a ${source.kind} source`, { field: kind });
    }
    query.params = { ...params };
  }
  return { query, requested };
}

function metricNames(args: MetricArgs): string[] {
  const hasOne = args.metric != null;
  const hasMany = args.metrics != null;
  if (hasOne === hasMany) {
    throw new BadUserInputError('give exactly one of metric or metrics', { field: hasOne ? 'metrics' : 'metric' });
  }
  const names = hasOne ? [args.metric!] : [...new Set(args.metrics!)];
  if (names.length === 0) throw new BadUserInputError('metrics must name at least one metric', { field: 'metrics' });
  if (names.length > MAX_METRICS) {
    throw new BadUserInputError(`metrics may name at most ${MAX_METRICS} metrics; got ${names.length}`, { field: 'metrics' });
  }
  for (const name of names) {
    if (name.trim() === '') throw new BadUserInputError('metric names must not be empty', { field: hasOne ? 'metric' : 'metrics' });
  }
  return names;
}

function toFilter(filter: { key: string; values: readonly string[]; exclude?: boolean | null }): LabelFilter {
  if (filter.key === '') throw new BadUserInputError('filters[].key must not be empty', { field: 'filters' });
  return { key: filter.key, values: [...filter.values], exclude: filter.exclude ?? false };
}
