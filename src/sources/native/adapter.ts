import { BadUserInputError } from '../../core/errors.js';
import { METRIC_NAME } from '../../core/metric-name.js';
import { countBuckets, POINTS_BACKSTOP, PointTally } from '../../core/points.js';
import { bucketize, lowerBound, reducers, type Series } from '../../core/series.js';
import type { DemandHint, MetricDescriptor, MetricQuery, MetricSource, QueryContext, QueryResult, SourceHealth } from '../source.js';
import { toTrackedPoint, type RawTrack, type TrackedPoint } from './point.js';
import { MemoryNativeStore } from './memory-store.js';
import type { NativeStore, PointColumns, SeriesState, StoreScope } from './store.js';

export interface NativeSourceOptions {
  cacheable?: boolean;
  /** Window of the aggregated export and of trends. @default 300000 */
  aggregationWindowMs?: number;
  /** Largest REST request body. @default 4 MiB */
  maxBodyBytes?: number;
  /** A trend changing less than this percentage is stable. @default 5 */
  trendThresholdPercent?: number;
  /** Quantiles a summary exposes. @default [0.5, 0.9, 0.99] */
  summaryQuantiles?: number[];
}

/** The outcome of one pushed point: the stored point, or why it was refused. */
export type WriteResult = TrackedPoint | BadUserInputError;

/**
 * The native collector as a source: services push points in (`write`, `writeMany`), queries read
 * them back as series. Resampling picks the reducer from the metric type: a counter bucket shows
 * its running total at the end of the bucket; gauges and observations show the bucket's mean.
 * The REST API (src/http/collector-routes.ts), the GraphQL mutations and `metricData` all go
 * through this one object, so they see one store.
 */
export class NativeSource implements MetricSource {
  readonly kind = 'native' as const;
  readonly capabilities;
  readonly aggregationWindowMs: number;
  readonly maxBodyBytes: number;
  readonly trendThresholdPercent: number;
  readonly summaryQuantiles: readonly number[];
  /**
   * New points as they are stored, for live streams. Only with the memory store: with Redis,
   * points tracked through another gateway instance never pass here, so streams must poll.
   */
  readonly watch?: (listener: (series: Series) => void) => () => void;

  constructor(
    readonly id: string,
    readonly store: NativeStore,
    options: NativeSourceOptions = {},
  ) {
    this.capabilities = { maxBatchSize: 1000, cacheable: options.cacheable ?? false, pushDownAggregation: false, writes: true };
    this.aggregationWindowMs = options.aggregationWindowMs ?? 300_000;
    this.maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
    this.trendThresholdPercent = options.trendThresholdPercent ?? 5;
    this.summaryQuantiles = options.summaryQuantiles ?? [0.5, 0.9, 0.99];
    if (store instanceof MemoryNativeStore) {
      this.watch = (listener) =>
        store.onStored((point, value) => {
          listener({ source: this.id, metric: point.name, labels: point.labels, timestamps: [point.timestamp], values: [value] });
        });
    }
  }

  async query(queries: readonly MetricQuery[], ctx?: Pick<QueryContext, 'tenantId' | 'maxPoints'>): Promise<QueryResult[]> {
    // A caller bound to a tenant sees that tenant's series only.
    const scope: StoreScope = ctx?.tenantId !== undefined ? { tenantId: ctx.tenantId } : {};
    return Promise.all(
      queries.map(async (query) => {
        try {
          return await this.#answer(query, scope, new PointTally(ctx?.maxPoints ?? POINTS_BACKSTOP, 'resampled answer'));
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      }),
    );
  }

  /** Validates and stores one point; rejects with BadUserInputError for a bad one. */
  async write(raw: RawTrack, now = Date.now()): Promise<TrackedPoint> {
    const [result] = await this.writeMany([raw], now);
    if (result instanceof Error) throw result;
    return result!;
  }

  /**
   * Validates and stores many points: one result per input, in order. A bad point fails alone;
   * the good ones are stored. Rejects only when the store itself failed.
   */
  async writeMany(raws: readonly RawTrack[], now = Date.now()): Promise<WriteResult[]> {
    const results: WriteResult[] = new Array(raws.length);
    const valid: TrackedPoint[] = [];
    const at: number[] = [];
    raws.forEach((raw, i) => {
      try {
        const point = toTrackedPoint(raw, now);
        valid.push(point);
        at.push(i);
        results[i] = point;
      } catch (error) {
        if (!(error instanceof BadUserInputError)) throw error;
        results[i] = error;
      }
    });
    if (valid.length > 0) {
      const stored = await this.store.record(valid, now);
      stored.forEach((problem, j) => {
        if (problem) results[at[j]!] = problem instanceof BadUserInputError ? problem : new BadUserInputError(problem.message);
      });
    }
    return results;
  }

  async listMetrics(search: string | undefined, scope: StoreScope = {}): Promise<MetricDescriptor[]> {
    const needle = search?.toLowerCase();
    return (await this.store.metrics(scope))
      .filter((info) => !needle || info.name.toLowerCase().includes(needle) || info.help?.toLowerCase().includes(needle))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((info) => {
        const descriptor: MetricDescriptor = { source: this.id, name: info.name, type: info.type };
        if (info.unit !== undefined) descriptor.unit = info.unit;
        if (info.help !== undefined) descriptor.description = info.help;
        return descriptor;
      });
  }

  /** The store counts matching series cheaply; raw series never hold more than maxPointsPerSeries points. */
  async demandHint(query: MetricQuery, ctx?: Pick<QueryContext, 'tenantId'>): Promise<DemandHint> {
    const scope: StoreScope = ctx?.tenantId !== undefined ? { tenantId: ctx.tenantId } : {};
    let series = 0;
    for (const metric of query.metrics) {
      if (METRIC_NAME.test(metric)) series += (await this.store.series({ name: metric, filters: query.filters, ...scope })).length;
    }
    return { series, rawPointsPerSeries: this.store.limits.maxPointsPerSeries };
  }

  async health(): Promise<SourceHealth> {
    return this.store.health();
  }

  async close(): Promise<void> {
    await this.store.close();
  }

  async #answer(query: MetricQuery, scope: StoreScope, tally: PointTally): Promise<Series[]> {
    for (const metric of query.metrics) {
      if (!METRIC_NAME.test(metric)) {
        throw new BadUserInputError(`metric '${metric}' is not a valid metric name`, { field: 'metric', source: this.id });
      }
    }
    const infos = new Map((await this.store.metrics(scope)).map((info) => [info.name, info]));
    const out: Series[] = [];
    for (const metric of query.metrics) {
      if (!infos.has(metric)) continue;
      const unit = infos.get(metric)!.unit;
      const states = await this.store.series({ name: metric, filters: query.filters, ...scope });
      // Resampled answers start at the bucket boundary at or before `from` (as bucketize does).
      const from = query.intervalMs === undefined ? query.range.from : Math.floor(query.range.from / query.intervalMs) * query.intervalMs;
      const points = await this.store.points(states.map((state) => state.id), from);
      for (const state of states) {
        const columns = points.get(state.id);
        if (!columns) continue;
        const series = this.#toSeries(state, columns, query, tally);
        if (series.values.some((value) => value !== null)) {
          if (unit !== undefined) series.unit = unit;
          out.push(series);
        }
      }
    }
    return out;
  }

  #toSeries(state: SeriesState, columns: PointColumns, query: MetricQuery, tally: PointTally): Series {
    // A counter's running total before the first point given is known here (the store keeps
    // counting trimmed increments), so aggregation can take the first point as an increment too.
    const base = {
      source: this.id,
      metric: state.name,
      labels: state.labels,
      type: state.type,
      ...(state.type === 'counter' ? { counterBase: columns.before } : {}),
    };
    if (query.intervalMs === undefined) {
      // Raw points are the store's own, bounded by maxPointsPerSeries: not sized by the query.
      const end = lowerBound(columns.timestamps, query.range.to);
      // The store's columns are read-only and may be its own: passed on as they are, cut (copied)
      // only when the range ends early.
      if (end === columns.timestamps.length) return { ...base, timestamps: columns.timestamps, values: columns.values };
      return { ...base, timestamps: columns.timestamps.slice(0, end), values: columns.values.slice(0, end) };
    }
    const reduce = state.type === 'counter' ? reducers.last : reducers.avg;
    // Counted before the buckets are made: a wrong series estimate stops here, not in the heap.
    tally.add(countBuckets(query.range, query.intervalMs));
    const resampled = bucketize(columns.timestamps, columns.values, query.range, query.intervalMs, reduce, tally.limit);
    return { ...base, intervalMs: query.intervalMs, ...resampled };
  }
}
