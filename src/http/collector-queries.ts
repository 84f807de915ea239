import { clip } from '../core/echo.js';
import { BadUserInputError } from '../core/errors.js';
import { METRIC_NAME, sanitizeMetricName } from '../core/metric-name.js';
import type { NativeSource } from '../sources/native/adapter.js';
import type { SeriesState, StoreScope, StoreStats } from '../sources/native/store.js';
import { trendOf } from '../sources/native/trend.js';
import { valuesByWindow, windowStart } from '../sources/native/windows.js';
import type { GatewayMetrics } from '../telemetry/metrics.js';
import { HttpProblem } from './http-problem.js';
import type { QueryParams } from './query-params.js';

/**
 * The collector's read routes: GET /metrics/series, GET /metrics/trends/{name} and
 * GET /metrics/stats, with the 254Carbon Metrics Service's JSON field names. Where its code and
 * its documentation disagree, the documentation wins (filters combine with AND, `limit` exists,
 * series carry their points, trends say `stable`, unknown metrics are a 404).
 */

export interface ReadContext {
  source: NativeSource;
  metrics: GatewayMetrics;
  now: number;
  /** The tenant the caller is bound to; with one, nothing of another tenant is visible. */
  scope: StoreScope;
}

/** Longest trend period: a year; the retention bounds what is really there. */
const MAX_TREND_HOURS = 8_784;

export async function listSeries(params: QueryParams, ctx: ReadContext): Promise<Record<string, unknown>> {
  const service = params.string('service');
  const tenantId = scopedTenant(params.string('tenant_id'), ctx.scope);
  const rawName = params.string('name');
  const name = rawName === undefined ? undefined : metricName(rawName, 'name');
  const limit = params.integer('limit', 1, 1_000_000);
  const pointsWanted = params.integer('points', 0, 1_000_000);
  if (tenantId === null) return { series: [], total: 0, timestamp: iso(ctx.now) };

  const states = await ctx.source.store.series({ name, service, tenantId });
  const chosen = limit === undefined ? states : states.slice(0, limit);
  const points = pointsWanted === 0 ? new Map() : await ctx.source.store.points(chosen.map((state) => state.id));
  const series = chosen.map((state) => {
    const item = describeSeries(state);
    const columns = points.get(state.id);
    if (pointsWanted !== 0) {
      const count = columns?.timestamps.length ?? 0;
      const start = pointsWanted === undefined ? 0 : Math.max(0, count - pointsWanted);
      item.points = (columns?.timestamps.slice(start) ?? []).map((timestamp: number, i: number) => ({
        value: columns!.values[start + i]!,
        timestamp: iso(timestamp),
      }));
    }
    return item;
  });
  const body: Record<string, unknown> = { series, total: states.length, timestamp: iso(ctx.now) };
  if (limit !== undefined) body.limit = limit;
  return body;
}

export async function metricTrend(rawName: string, params: QueryParams, ctx: ReadContext): Promise<Record<string, unknown>> {
  const name = metricName(rawName, 'metric_name');
  const hours = params.number('hours', 0, MAX_TREND_HOURS, true) ?? 24;
  const service = params.string('service');
  const tenantId = scopedTenant(params.string('tenant_id'), ctx.scope);
  const threshold = params.number('threshold', 0, 1_000_000) ?? ctx.source.trendThresholdPercent;
  const states = tenantId === null ? [] : await ctx.source.store.series({ name, service, tenantId });
  if (states.length === 0) {
    const where = [service && `service '${clip(service)}'`, tenantId && `tenant '${clip(tenantId)}'`].filter(Boolean).join(' and ');
    throw new HttpProblem(404, `metric '${clip(name)}' does not exist in native source '${ctx.source.id}'${where ? ` for ${where}` : ''}`, 'NOT_FOUND', 'metric_name');
  }

  const windowMs = ctx.source.aggregationWindowMs;
  const to = ctx.now;
  const from = windowStart(to - hours * 3_600_000, windowMs);
  const columns = await ctx.source.store.points(states.map((state) => state.id), from);
  // Per window: counters add up their increments over every series; other types take the mean
  // of every point in the window (all series together).
  const windows = new Map<number, { sum: number; count: number }>();
  for (const state of states) {
    const series = columns.get(state.id);
    if (!series) continue;
    for (const [start, values] of valuesByWindow(state.type, series, windowMs, from, to)) {
      const window = windows.get(start) ?? { sum: 0, count: 0 };
      for (const value of values) window.sum += value;
      window.count += values.length;
      windows.set(start, window);
    }
  }
  const counter = states[0]!.type === 'counter';
  const dataPoints = [...windows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([start, window]) => ({ timestamp: start, value: counter ? window.sum : window.sum / window.count }));
  const figures = trendOf(dataPoints, threshold);
  const body: Record<string, unknown> = {
    metric_name: name,
    trend: figures.trend,
    change_percent: figures.changePercent,
    data_points: dataPoints.map((point) => ({ timestamp: iso(point.timestamp), value: point.value })),
    period_hours: hours,
    window_seconds: windowMs / 1000,
    threshold_percent: threshold,
    series_count: states.length,
    first_value: figures.first ?? null,
    last_value: figures.last ?? null,
    min_value: figures.min ?? null,
    max_value: figures.max ?? null,
    avg_value: figures.avg ?? null,
    start_time: iso(from),
    end_time: iso(to),
  };
  if (figures.note) body.message = figures.note;
  return body;
}

/**
 * The collector's figures. A caller bound to a tenant sees its own tenant's series, points and
 * metrics only; the store-wide running totals (collected, dropped) and the last collection time
 * are not kept per tenant, so for it they are null rather than another tenant's activity.
 */
export async function collectorStats(ctx: ReadContext & { lastExport: number | undefined }): Promise<Record<string, unknown>> {
  const windowMs = ctx.source.aggregationWindowMs;
  const stats = ctx.scope.tenantId === undefined ? await ctx.source.store.stats(ctx.now - windowMs) : await tenantStats(ctx, ctx.scope.tenantId, ctx.now - windowMs);
  const limits = ctx.source.store.limits;
  return {
    collector: {
      total_points: stats.points,
      total_series: stats.series,
      dropped_points: stats.dropped,
      dropped_by_reason: stats.droppedBy,
      collected_points: stats.collected,
      rejected_points: await ctx.metrics.count(ctx.metrics.collectorRejected, { source: ctx.source.id }),
      last_collection: stats.lastCollection === undefined ? null : iso(stats.lastCollection),
      active_series: stats.active,
      // Points are stored as the request is answered; there is no queue to back up.
      queue_size: 0,
      running: true,
      store: ctx.source.store.kind,
      max_series: limits.maxSeries,
      max_points_per_series: limits.maxPointsPerSeries,
      retention_seconds: limits.retentionMs / 1000,
    },
    aggregator: {
      window_size_seconds: windowMs / 1000,
      total_aggregated_series: stats.series,
      total_aggregated_metrics: stats.metrics,
      running: true,
    },
    exporter: {
      exporter_type: 'prometheus',
      supported_formats: ['prometheus', 'aggregated'],
      total_exports: await ctx.metrics.count(ctx.metrics.collectorExports, { source: ctx.source.id }),
      last_export: ctx.lastExport === undefined ? null : iso(ctx.lastExport),
      timestamp: iso(ctx.now),
    },
    timestamp: iso(ctx.now),
  };
}

type ScopedStats = Omit<StoreStats, 'collected' | 'dropped' | 'droppedBy' | 'lastCollection'> &
  { collected: number | null; dropped: number | null; droppedBy: StoreStats['droppedBy'] | null; lastCollection?: number };

/** The figures of one tenant's series, counted from the series themselves. */
async function tenantStats(ctx: ReadContext, tenantId: string, activeSince: number): Promise<ScopedStats> {
  const states = await ctx.source.store.series({ tenantId });
  let points = 0;
  let active = 0;
  for (const state of states) {
    points += state.pointCount;
    if (state.latestTimestamp >= activeSince) active++;
  }
  return { series: states.length, points, active, metrics: new Set(states.map((state) => state.name)).size, collected: null, dropped: null, droppedBy: null };
}

function describeSeries(state: SeriesState): Record<string, unknown> {
  // service and tenant_id have fields of their own; the labels are the rest.
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(state.labels)) {
    if (key !== 'service' && key !== 'tenant_id') labels[key] = value;
  }
  return {
    name: state.name,
    type: state.type,
    labels,
    service: state.service ?? null,
    tenant_id: state.tenantId ?? null,
    point_count: state.pointCount,
    latest_value: state.latestValue,
    latest_timestamp: iso(state.latestTimestamp),
  };
}

/**
 * The tenant a read is about: the caller's own when it is bound to one (asking for another
 * gives nothing, `null`), else the `tenant_id` filter, else every tenant.
 */
function scopedTenant(asked: string | undefined, scope: StoreScope): string | undefined | null {
  if (scope.tenantId === undefined) return asked;
  return asked === undefined || asked === scope.tenantId ? scope.tenantId : null;
}

/** Names are looked up the way they were stored: sanitised like a pushed name. */
function metricName(raw: string, field: string): string {
  const name = sanitizeMetricName(raw.trim());
  if (raw.trim() === '' || !METRIC_NAME.test(name)) {
    throw new BadUserInputError(`${field} must be a metric name (letters, digits and _); got '${clip(raw)}'`, { field });
  }
  return name;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
