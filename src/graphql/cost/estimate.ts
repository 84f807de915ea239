import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { restrictQuery } from '../../auth/access.js';
import { countBuckets } from '../../core/points.js';
import type { Series } from '../../core/series.js';
import type { DemandHint, MetricQuery, MetricSource } from '../../sources/source.js';
import type { GatewayContext } from '../context.js';
import { POINT_OBJECT_COST, type FieldDemand } from './demand-meter.js';

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
  ctx.demand.estimate({ field: fieldKey(info), ...shape, costPerPoint: seriesPointCost(info, []) });
}

/**
 * What a point of the Series under `path` (field names below the root field) counts: a Point
 * object when the document selects `points` there, in any fragment; 1 when only the columns are.
 */
export function seriesPointCost(info: GraphQLResolveInfo, path: readonly string[]): number {
  return selects(info, [...path, 'points']) ? POINT_OBJECT_COST : 1;
}

/**
 * Answers per field node and path: a cached document (yoga's parse cache) brings the same nodes
 * back on every request, so a dashboard's panel is walked once, not once per refresh.
 */
const selected = new WeakMap<object, Map<string, boolean>>();

/** Whether the root field's selection reaches the object field at `path`, through any fragments (by field name, not alias). */
function selects(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  // Fragments are part of the answer, and they belong to the same document as the node.
  const node = info.fieldNodes.length === 1 && Object.keys(info.fragments).length === 0 ? info.fieldNodes[0]! : undefined;
  const key = path.join('.');
  const known = node && selected.get(node)?.get(key);
  if (known !== undefined) return known;
  const found = walk(info, path);
  if (node) {
    let byPath = selected.get(node);
    if (!byPath) selected.set(node, (byPath = new Map()));
    byPath.set(key, found);
  }
  return found;
}

function walk(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  let level: SelectionSetNode[] = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  for (const name of path) {
    const next: SelectionSetNode[] = [];
    const pending = [...level];
    const seen = new Set<string>();
    for (let set = pending.pop(); set; set = pending.pop()) {
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value === name && selection.selectionSet) next.push(selection.selectionSet);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          pending.push(selection.selectionSet);
        } else if (!seen.has(selection.name.value)) {
          seen.add(selection.name.value);
          const fragment = info.fragments[selection.name.value];
          if (fragment) pending.push(fragment.selectionSet);
        }
      }
    }
    if (next.length === 0) return false;
    level = next;
  }
  return true;
}

/**
 * Charges a field whose answer is groups of buckets (aggregate, trend, allocation). The answer is
 * one group without `groupBy`, otherwise one per series at most (`limit` keeps the top N and one
 * "others"), each with its buckets, a whole-range value and `extraPerGroup` (trend's forecast).
 * With `input: 'resampled'` (trend reads every series at the interval, arrays sized by the
 * interval) the points read count too, when they are more. Raw points read for an aggregation in
 * the gateway do not: they are bounded by the source (the native store's maxPointsPerSeries), not
 * by the range and interval, and reducing them costs far less than sending points. Resolves to
 * what a point of the answer counts, for the field's actual count.
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
    /** Fields of a group whose selection sends its points as Point objects (aggregate `buckets`). */
    pointObjects: readonly string[] | 'always';
  },
): Promise<number> {
  const field = fieldKey(info);
  const shape = await shapeOf(ctx, source, query);
  const buckets = query.intervalMs !== undefined ? shape.pointsPerSeries : 0;
  const groups = options.groupBy.length === 0 ? Math.min(1, shape.series) : options.limit != null ? Math.min(shape.series, options.limit + 1) : shape.series;
  const costPerPoint = options.pointObjects === 'always' || options.pointObjects.some((name) => selects(info, [name])) ? POINT_OBJECT_COST : 1;
  const output: FieldDemand = {
    field,
    series: groups,
    pointsPerSeries: buckets + 1 + (options.extraPerGroup ?? 0),
    rangeMs: shape.rangeMs,
    costPerPoint,
  };
  if (query.intervalMs !== undefined) output.stepMs = query.intervalMs;
  if (options.intervalFixes !== undefined) output.intervalFixes = options.intervalFixes;
  if (options.argument !== undefined) output.argument = options.argument;
  let demand = output;
  // The series read are arrays inside the gateway, never sent: a point of theirs counts 1.
  if (options.input === 'resampled' && shape.series * shape.pointsPerSeries > groups * output.pointsPerSeries * costPerPoint) {
    demand = { ...output, series: shape.series, pointsPerSeries: shape.pointsPerSeries, costPerPoint: 1 };
  }
  ctx.demand.estimate(demand);
  return costPerPoint;
}

export function fieldKey(info: GraphQLResolveInfo): string {
  return String(info.path.key);
}

export function pointsInSeries(series: readonly Series[]): number {
  let points = 0;
  for (const one of series) points += one.timestamps.length;
  return points;
}
