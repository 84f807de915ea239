import type { GraphQLResolveInfo } from 'graphql';
import { aggregate } from '../../core/aggregate.js';
import { BadUserInputError } from '../../core/errors.js';
import type { AggregateFunction } from '../../core/reduce.js';
import { autoStep, alignRange } from '../../core/time.js';
import { analyzeTrend } from '../../core/trend.js';
import type { MetricSource } from '../../sources/source.js';
import type { GatewayContext } from '../context.js';
import { resolveFor } from '../errors.js';
import type { QueryAggregateArgs, QueryTrendArgs, Resolvers } from '../generated/resolvers-types.js';
import type { AggregateGroupModel, TrendModel } from '../mappers.js';
import { chargeGroupField, fieldKey } from '../cost/estimate.js';
import { buildMetricQuery } from '../metric-query.js';
import { runAggregate } from '../run-aggregate.js';

const MAX_GROUP_BY = 10;
/** Trend buckets when no interval is given. */
const TREND_STEPS = 100;

export const analyticsResolvers: Resolvers = {
  Query: {
    aggregate: (_, args, ctx, info) => resolveFor(args.source, () => resolveAggregate(args, ctx, info)),
    trend: (_, args, ctx, info) => resolveFor(args.source, () => resolveTrend(args, ctx, info)),
  },
  AggregateGroup: {
    labels: (group) => toLabels(group.labels),
    label: (group, { key }) => group.labels[key] ?? null,
    buckets: (group) => group.buckets ? group.buckets.timestamps.map((timestamp, i) => ({ timestamp, value: group.buckets!.values[i] ?? null })) : null,
  },
  Trend: {
    labels: (trend) => toLabels(trend.labels),
    label: (trend, { key }) => trend.labels[key] ?? null,
    direction: (trend) => trend.result.direction.toUpperCase() as 'STABLE',
    changePercent: (trend) => trend.result.changePercent,
    slopePerHour: (trend) => trend.result.slopePerHour,
    first: (trend) => trend.result.first,
    last: (trend) => trend.result.last,
    min: (trend) => trend.result.min,
    max: (trend) => trend.result.max,
    mean: (trend) => trend.result.mean,
    points: (trend) => trend.result.points,
    interval: (trend) => trend.intervalMs,
    series: (trend) => trend.timestamps.map((timestamp, i) => ({ timestamp, value: trend.values[i] ?? null })),
    anomalies: (trend) => trend.result.anomalies,
    forecast: (trend) => trend.result.forecast,
  },
};

async function resolveAggregate(args: QueryAggregateArgs, ctx: GatewayContext, info: GraphQLResolveInfo): Promise<AggregateGroupModel[]> {
  const source = ctx.registry.get(args.source);
  const groupBy = checkGroupBy(args.groupBy);
  let costPerPoint = 1;
  const groups = await runAggregate(ctx, source, { ...args, fn: args.function.toLowerCase() as AggregateFunction, groupBy }, (query) =>
    chargeGroupField(ctx, info, source, query, { groupBy, limit: args.limit, input: 'none', pointObjects: ['buckets'] }).then((cost) => {
      costPerPoint = cost;
    }),
  );
  ctx.demand.actual(fieldKey(info), pointsInGroups(groups), costPerPoint);
  return groups;
}

async function resolveTrend(args: QueryTrendArgs, ctx: GatewayContext, info: GraphQLResolveInfo): Promise<TrendModel[]> {
  const source: MetricSource = ctx.registry.get(args.source);
  const groupBy = checkGroupBy(args.groupBy);
  if (args.forecastIntervals != null && (args.forecastIntervals < 0 || args.forecastIntervals > 1000)) {
    throw new BadUserInputError(`forecastIntervals must be between 0 and 1000; got ${args.forecastIntervals}`, { field: 'forecastIntervals' });
  }
  if (args.stableBand != null && !(args.stableBand >= 0)) {
    throw new BadUserInputError(`stableBand must be a percentage >= 0; got ${args.stableBand}`, { field: 'stableBand' });
  }
  if (args.anomalyThreshold != null && !(args.anomalyThreshold > 0)) {
    throw new BadUserInputError(`anomalyThreshold must be > 0; got ${args.anomalyThreshold}`, { field: 'anomalyThreshold' });
  }
  const probe = buildMetricQuery(source, { ...args, metrics: undefined }, ctx.now);
  const intervalMs = args.interval ?? autoStep(probe.requested, TREND_STEPS);
  const query = { ...probe.query, range: alignRange(probe.requested, intervalMs), intervalMs };
  const forecastIntervals = args.forecastIntervals ?? 6;
  const costPerPoint = await chargeGroupField(ctx, info, source, query, {
    groupBy,
    extraPerGroup: forecastIntervals,
    input: 'resampled',
    pointObjects: ['series', 'forecast', 'anomalies'],
  });
  const series = await ctx.loaders.load(source, query);
  const combine = (args.combine?.toLowerCase() as AggregateFunction | undefined) ?? (series.some((s) => s.type === 'counter') ? 'sum' : 'avg');
  if (combine === 'wavg' || combine === 'percentile') {
    throw new BadUserInputError(`combine takes SUM, AVG, MIN, MAX, COUNT, FIRST, LAST, MEDIAN, RATE or STDDEV; got ${combine.toUpperCase()}`, { field: 'combine' });
  }
  const groups = aggregate(series, { fn: combine, groupBy, range: query.range, intervalMs, maxPoints: ctx.demand.budgets.maxPointsPerField });
  const trends = groups.map((group): TrendModel => {
    const { timestamps, values } = group.buckets!;
    return {
      labels: group.labels,
      intervalMs,
      timestamps,
      values,
      result: analyzeTrend(timestamps, values, {
        intervalMs,
        stableBandPercent: args.stableBand ?? 1,
        anomalies: { threshold: args.anomalyThreshold ?? 3.5 },
        forecastIntervals,
      }),
    };
  });
  ctx.demand.actual(fieldKey(info), trends.reduce((sum, trend) => sum + trend.timestamps.length + trend.result.forecast.length, 0), costPerPoint);
  return trends;
}

function pointsInGroups(groups: readonly AggregateGroupModel[]): number {
  return groups.reduce((sum, group) => sum + 1 + (group.buckets?.timestamps.length ?? 0), 0);
}

function checkGroupBy(groupBy: readonly string[] | null | undefined): string[] {
  const keys = [...new Set(groupBy ?? [])];
  if (keys.length > MAX_GROUP_BY) throw new BadUserInputError(`groupBy takes at most ${MAX_GROUP_BY} labels; got ${keys.length}`, { field: 'groupBy' });
  if (keys.some((key) => key.trim() === '')) throw new BadUserInputError('groupBy label names must not be empty', { field: 'groupBy' });
  return keys;
}

function toLabels(labels: Record<string, string>) {
  return Object.entries(labels).map(([key, value]) => ({ key, value }));
}
