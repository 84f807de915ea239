import { lowerBound, type Series } from '../../core/series.js';
import type { TimeRange } from '../../core/time.js';
import { resolveFor } from '../errors.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { chargeSeriesField, fieldKey, pointsInSeries } from '../cost/estimate.js';
import { buildMetricQuery } from '../metric-query.js';

export const metricDataResolvers: Resolvers = {
  Query: {
    metricData: (_, args, ctx, info) =>
      resolveFor(args.source, async () => {
        const source = ctx.registry.get(args.source);
        const { query, requested } = buildMetricQuery(source, args, ctx.now);
        await chargeSeriesField(ctx, info, source, query);
        const series = await ctx.loaders.load(source, query);
        // Raw points were fetched for the aligned (cache-friendly) range; give back what was asked.
        const answer = query.intervalMs === undefined ? series.map((s) => trim(s, requested)) : series;
        ctx.demand.actual(fieldKey(info), pointsInSeries(answer));
        return answer;
      }),
  },
  Series: {
    upstreamMetric: (series) => series.upstreamMetric ?? null,
    unit: (series) => series.unit ?? null,
    interval: (series) => series.intervalMs ?? null,
    labels: (series) => Object.entries(series.labels).map(([key, value]) => ({ key, value })),
    label: (series, { key }) => series.labels[key] ?? null,
    timestamps: (series, _, ctx) => ctx.pacer.pace(series.timestamps),
    values: (series, _, ctx) => ctx.pacer.pace(series.values),
    points: (series, _, ctx) => ctx.pacer.pace(series.timestamps.map((timestamp, i) => ({ timestamp, value: series.values[i] ?? null }))),
  },
};

function trim(series: Series, range: TimeRange): Series {
  const start = lowerBound(series.timestamps, range.from);
  const end = lowerBound(series.timestamps, range.to);
  if (start === 0 && end === series.timestamps.length) return series;
  return { ...series, timestamps: series.timestamps.slice(start, end), values: series.values.slice(start, end) };
}
