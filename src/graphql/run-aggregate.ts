import { restrictQuery } from '../auth/access.js';
import { aggregate, validateAggregateSpec, type AggregateSpec } from '../core/aggregate.js';
import type { AggregateFunction } from '../core/reduce.js';
import { labelsKey, type Labels, type Series } from '../core/series.js';
import type { TimeRange } from '../core/time.js';
import type { MetricQuery, MetricSource } from '../sources/source.js';
import type { GatewayContext } from './context.js';
import type { AggregateGroupModel } from './mappers.js';
import { buildMetricQuery, type MetricArgs } from './metric-query.js';

export interface AggregateRequest extends Omit<MetricArgs, 'metric' | 'metrics'> {
  metric: string;
  fn: AggregateFunction;
  percentile?: number | null;
  weightBy?: string | null;
  groupBy: string[];
  limit?: number | null;
  /** An exact range that replaces from/to (allocation passes whole days). */
  range?: TimeRange;
}

const NUMBER = /^\s*[+-]?\d+(\.\d+)?\s*$/;

/**
 * One aggregation, whichever way it is computed: pushed down to the source when the adapter can
 * do this one, otherwise computed here from the source's raw series, fetched through the request's
 * loaders and the cache like any metricData field. Used by `aggregate`, and by `allocation` for
 * usage per segment per day.
 */
export async function runAggregate(
  ctx: GatewayContext,
  source: MetricSource,
  request: AggregateRequest,
  /** The demand check, given the query as it will be asked, before any source is asked. */
  charge: (query: MetricQuery) => Promise<unknown>,
): Promise<AggregateGroupModel[]> {
  const built = buildMetricQuery(source, { ...request, metric: request.metric, metrics: undefined }, ctx.now);
  const requested = built.requested;
  // Pushed down or not, the aggregation only sees what the caller may see.
  const query = restrictQuery(source, ctx.caller, built.query);
  const range = request.range ?? (request.interval != null ? query.range : requested);
  if (request.range) query.range = request.range;
  const weightBy = request.weightBy?.trim() || undefined;
  validateAggregateSpec({
    fn: request.fn,
    percentile: request.percentile ?? undefined,
    limit: request.limit ?? undefined,
    weight: weightBy ? () => undefined : undefined,
  });
  await charge({ ...query, range, ...(request.interval != null ? { intervalMs: request.interval } : {}) });

  if (source.aggregate) {
    const pushed = await ctx.loaders.aggregate(source, {
      metric: request.metric,
      fn: request.fn,
      ...(request.percentile != null ? { percentile: request.percentile } : {}),
      ...(weightBy ? { weightBy } : {}),
      groupBy: request.groupBy,
      ...(request.limit != null ? { limit: request.limit } : {}),
      range,
      readRange: query.range,
      ...(request.interval != null ? { intervalMs: request.interval } : {}),
      filters: query.filters,
      ...(query.params ? { params: query.params } : {}),
    });
    if (pushed.groups) return pushed.groups.map((group) => ({ ...group, pushedDown: true }));
  }

  // Raw points (the source's own resolution), so medians and percentiles see every point.
  const raw = { ...query };
  delete raw.intervalMs;
  const series = await ctx.loaders.load(source, raw);
  const spec: AggregateSpec = { fn: request.fn, groupBy: request.groupBy, range, maxPoints: ctx.demand.budgets.maxPointsPerField };
  if (request.fn === 'wavg') {
    spec.weight = NUMBER.test(weightBy!) ? constant(Number(weightBy)) : weightLookup(await ctx.loaders.load(source, { ...raw, metrics: [weightBy!] }));
  }
  if (request.percentile != null) spec.percentile = request.percentile;
  if (request.limit != null) spec.limit = request.limit;
  if (request.interval != null) spec.intervalMs = request.interval;
  return aggregate(series, spec).map((group) => ({ ...group, pushedDown: false }));
}

function constant(weight: number): AggregateSpec['weight'] {
  return () => weight;
}

/** Weight of a point: the weight metric's value for the same label set at the same timestamp. */
function weightLookup(weights: readonly Series[]): AggregateSpec['weight'] {
  const table = new Map<string, number>();
  for (const series of weights) {
    const key = labelsKey(series.labels);
    series.timestamps.forEach((timestamp, i) => {
      const value = series.values[i];
      if (value !== null && value !== undefined) table.set(`${key}@${timestamp}`, value);
    });
  }
  return (labels: Labels, timestamp: number) => table.get(`${labelsKey(labels)}@${timestamp}`);
}
