import type { GraphQLResolveInfo } from 'graphql';
import { restrictQuery } from '../../auth/access.js';
import { countBuckets } from '../../core/points.js';
import type { Series } from '../../core/series.js';
import type { DemandHint, MetricQuery, MetricSource } from '../../sources/source.js';
import type { GatewayContext } from '../context.js';
import type { FieldDemand } from './demand-meter.js';

/**
 * The cost model's inputs for one root field, before any source is asked: what the source can say
 * about the query (series it will answer with, its own raw resolution; see `demandHint`), and
 * what follows from the arguments (range / interval). What cannot be known is assumed: one series
 * per metric, raw points every `limits.demand.assumedRawIntervalMs`.
 */
export interface QueryShape {
  series: number;
  pointsPerSeries: number;
  rangeMs: number;
  stepMs?: number;
}

export async function shapeOf(ctx: GatewayContext, source: MetricSource, query: MetricQuery): Promise<QueryShape> {
  const hint = await hintFor(ctx, source, query);
  const rangeMs = query.range.to - query.range.from;
  const series = hint.series ?? query.metrics.length;
  if (query.intervalMs !== undefined) return { series, pointsPerSeries: countBuckets(query.range, query.intervalMs), rangeMs, stepMs: query.intervalMs };
  const assumed = Math.ceil(rangeMs / ctx.demand.budgets.assumedRawIntervalMs) + 1;
  return { series, pointsPerSeries: hint.rawPointsPerSeries ?? assumed, rangeMs };
}

async function hintFor(ctx: GatewayContext, source: MetricSource, query: MetricQuery): Promise<DemandHint> {
  if (!source.demandHint) return {};
  // The count covers only what the caller may see, as the answer will.
  const scoped = restrictQuery(source, ctx.caller, query);
  return source.demandHint(scoped, { log: ctx.log, ...(ctx.caller.tenant !== undefined ? { tenantId: ctx.caller.tenant } : {}) });
}

/** Charges a field whose answer is series of points (metricData, expression-like reads). */
export async function chargeSeriesField(ctx: GatewayContext, info: GraphQLResolveInfo, source: MetricSource, query: MetricQuery): Promise<void> {
  const shape = await shapeOf(ctx, source, query);
  ctx.demand.estimate({ field: fieldKey(info), ...shape });
}

/**
 * Charges a field whose answer is groups of buckets (aggregate, trend, allocation). The answer is
 * one group without `groupBy`, otherwise one per series at most (`limit` keeps the top N and one
 * "others"), each with its buckets, a whole-range value and `extraPerGroup` (trend's forecast).
 * With `input: 'resampled'` (trend reads every series at the interval, arrays sized by the
 * interval) the points read count too, when they are more. Raw points read for an aggregation in
 * the gateway do not: they are bounded by the source (the native store's maxPointsPerSeries), not
 * by the range and interval, and reducing them costs far less than sending points.
 */
export async function chargeGroupField(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  source: MetricSource,
  query: MetricQuery,
  options: {
    groupBy: readonly string[];
    limit?: number | null;
    extraPerGroup?: number;
    intervalFixes?: boolean;
    argument?: string;
    input: 'resampled' | 'none';
  },
): Promise<void> {
  const field = fieldKey(info);
  const shape = await shapeOf(ctx, source, query);
  const buckets = query.intervalMs !== undefined ? shape.pointsPerSeries : 0;
  const groups = options.groupBy.length === 0 ? Math.min(1, shape.series) : options.limit != null ? Math.min(shape.series, options.limit + 1) : shape.series;
  const output: FieldDemand = { field, series: groups, pointsPerSeries: buckets + 1 + (options.extraPerGroup ?? 0), rangeMs: shape.rangeMs };
  if (query.intervalMs !== undefined) output.stepMs = query.intervalMs;
  if (options.intervalFixes !== undefined) output.intervalFixes = options.intervalFixes;
  if (options.argument !== undefined) output.argument = options.argument;
  let demand = output;
  if (options.input === 'resampled' && shape.series * shape.pointsPerSeries > groups * output.pointsPerSeries) {
    demand = { ...output, series: shape.series, pointsPerSeries: shape.pointsPerSeries };
  }
  ctx.demand.estimate(demand);
}

export function fieldKey(info: GraphQLResolveInfo): string {
  return String(info.path.key);
}

export function pointsInSeries(series: readonly Series[]): number {
  let points = 0;
  for (const one of series) points += one.timestamps.length;
  return points;
}
