import { BadUserInputError } from '../../core/errors.js';
import { METRIC_NAME } from '../../core/metric-name.js';
import { bucketize, lowerBound, reducers, type Series } from '../../core/series.js';
import type { MetricDescriptor, MetricQuery, MetricSource, QueryResult, SourceHealth } from '../source.js';
import { toTrackedPoint, type RawTrack, type TrackedPoint } from './point.js';
import type { NativeStore, StoredSeries } from './store.js';

/**
 * The native collector as a source: services push points in (`write`), queries read them back as
 * series. Resampling picks the reducer from the metric type: a counter bucket shows its running
 * total at the end of the bucket; gauges and observations show the bucket's mean.
 */
export class NativeSource implements MetricSource {
  readonly kind = 'native' as const;
  readonly capabilities;

  constructor(
    readonly id: string,
    readonly store: NativeStore,
    options: { cacheable?: boolean } = {},
  ) {
    this.capabilities = { maxBatchSize: 1000, cacheable: options.cacheable ?? false, pushDownAggregation: false, writes: true };
  }

  async query(queries: readonly MetricQuery[]): Promise<QueryResult[]> {
    return queries.map((query) => {
      try {
        return this.#answer(query);
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    });
  }

  /** Validates and stores one point; throws BadUserInputError for a bad one. */
  write(raw: RawTrack, now = Date.now()): TrackedPoint {
    const point = toTrackedPoint(raw, now);
    this.store.record(point);
    return point;
  }

  async listMetrics(search: string | undefined): Promise<MetricDescriptor[]> {
    const needle = search?.toLowerCase();
    return this.store
      .metrics()
      .filter((info) => !needle || info.name.toLowerCase().includes(needle) || info.help?.toLowerCase().includes(needle))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((info) => {
        const descriptor: MetricDescriptor = { source: this.id, name: info.name, type: info.type };
        if (info.unit !== undefined) descriptor.unit = info.unit;
        if (info.help !== undefined) descriptor.description = info.help;
        return descriptor;
      });
  }

  async health(): Promise<SourceHealth> {
    const stats = this.store.stats();
    return { healthy: true, message: `${stats.series} series, ${stats.points} points in memory` };
  }

  #answer(query: MetricQuery): Series[] {
    const out: Series[] = [];
    for (const metric of query.metrics) {
      if (!METRIC_NAME.test(metric)) {
        throw new BadUserInputError(`metric '${metric}' is not a valid metric name`, { field: 'metric', source: this.id });
      }
      const unit = this.store.metric(metric)?.unit;
      for (const stored of this.store.select(metric, query.filters)) {
        const series = this.#toSeries(stored, query);
        if (series.values.some((value) => value !== null)) {
          if (unit !== undefined) series.unit = unit;
          out.push(series);
        }
      }
    }
    return out;
  }

  /** Native counters start at zero, so the total before any given point is always known. */
  #counterBase(stored: StoredSeries, start: number): { counterBase?: number } {
    if (stored.type !== 'counter') return {};
    return { counterBase: start > 0 ? stored.values[start - 1]! : 0 };
  }

  #toSeries(stored: StoredSeries, query: MetricQuery): Series {
    const base = { source: this.id, metric: stored.name, labels: stored.labels, type: stored.type };
    if (query.intervalMs === undefined) {
      const start = lowerBound(stored.timestamps, query.range.from);
      const end = lowerBound(stored.timestamps, query.range.to);
      return { ...base, ...this.#counterBase(stored, start), timestamps: stored.timestamps.slice(start, end), values: stored.values.slice(start, end) };
    }
    const reduce = stored.type === 'counter' ? reducers.last : reducers.avg;
    const resampled = bucketize(stored.timestamps, stored.values, query.range, query.intervalMs, reduce);
    const start = lowerBound(stored.timestamps, Math.floor(query.range.from / query.intervalMs) * query.intervalMs);
    return { ...base, ...this.#counterBase(stored, start), intervalMs: query.intervalMs, ...resampled };
  }
}
