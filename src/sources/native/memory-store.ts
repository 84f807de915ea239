import { matchesFilters } from '../../core/series.js';
import { PROMETHEUS_BUCKETS } from './config.js';
import { EvictionHeap } from './eviction-heap.js';
import { exposedNames } from './exposed-names.js';
import type { MetricType, TrackedPoint } from './point.js';
import {
  bySeriesOrder,
  checkLimits,
  DEFAULT_LIMITS,
  emptyDrops,
  exposedNameConflict,
  seriesKey,
  timestampProblem,
  typeConflict,
  type DropReason,
  type HistogramState,
  type MetricInfo,
  type NativeLimits,
  type NativeStore,
  type PointColumns,
  type SeriesSelector,
  type SeriesState,
  type StoreScope,
  type StoreStats,
} from './store.js';

/**
 * The embedded store: everything in this process, gone on restart, one gateway's own view.
 * Series live in per-tenant maps so a scoped read never walks another tenant's series. Points
 * are columnar JS arrays (packed doubles), kept in timestamp order.
 */

export interface MemoryStoreOptions {
  limits?: Partial<NativeLimits>;
  /** Histogram bucket bounds for a new series. @default Prometheus's default buckets */
  bucketsFor?: (name: string, unit: string | undefined) => number[];
  /** Exposed names that belong to the gateway itself and may not be pushed. */
  reservedNames?: ReadonlySet<string>;
  /** How often old points are swept out; 0 turns the timer off (tests sweep by hand). @default 60000 */
  sweepEveryMs?: number;
}

interface MemorySeries {
  id: string;
  name: string;
  type: MetricType;
  labels: Readonly<Record<string, string>>;
  service?: string;
  tenantId?: string;
  /** Points live at [head, length); the ones before head are trimmed, awaiting compaction. */
  timestamps: number[];
  /** Running totals for counters; values as pushed otherwise. */
  values: number[];
  head: number;
  /**
   * The arrays were handed to a reader as they are (see `points`): the next change copies them
   * first, so what the reader holds never moves under it.
   */
  lent: boolean;
  /** Counters: the running total before the oldest kept point (the trimmed increments). */
  base: number;
  histogram?: HistogramState;
  summary?: { count: number; sum: number };
}

interface MetricEntry {
  type: MetricType;
  unit?: string;
  help?: string;
  exposed: string[];
  series: number;
}

export class MemoryNativeStore implements NativeStore {
  readonly kind = 'memory' as const;
  readonly limits: NativeLimits;
  readonly #bucketsFor: (name: string, unit: string | undefined) => number[];
  readonly #reserved: ReadonlySet<string>;
  readonly #series = new Map<string, MemorySeries>();
  /** tenant ('' = none) -> metric name -> series ids */
  readonly #tenants = new Map<string, Map<string, Set<string>>>();
  readonly #metrics = new Map<string, MetricEntry>();
  /** exposed name -> metric name */
  readonly #exposed = new Map<string, string>();
  readonly #heap = new EvictionHeap();
  readonly #timer: NodeJS.Timeout | undefined;
  #points = 0;
  #collected = 0;
  #lastCollection: number | undefined;
  readonly #dropped = emptyDrops();
  readonly #listeners = new Set<(point: TrackedPoint, value: number) => void>();

  constructor(options: MemoryStoreOptions = {}) {
    this.limits = checkLimits({ ...DEFAULT_LIMITS, ...options.limits });
    this.#bucketsFor = options.bucketsFor ?? (() => PROMETHEUS_BUCKETS);
    this.#reserved = options.reservedNames ?? new Set();
    const every = options.sweepEveryMs ?? 60_000;
    if (every > 0) {
      this.#timer = setInterval(() => void this.sweep(Date.now()), every);
      this.#timer.unref();
    }
  }

  async record(points: readonly TrackedPoint[], now: number): Promise<Array<Error | undefined>> {
    return points.map((point) => this.recordOne(point, now));
  }

  /** Synchronous core of `record`, for callers that hold the memory store directly. */
  recordOne(point: TrackedPoint, now: number): Error | undefined {
    const problem = timestampProblem(point, now, this.limits) ?? this.#admitMetric(point);
    if (problem) return problem;
    const id = seriesKey(point);
    let series = this.#series.get(id);
    if (!series) series = this.#create(id, point);
    const metric = this.#metrics.get(point.name)!;
    if (point.unit !== undefined) metric.unit = point.unit;
    if (point.help !== undefined) metric.help = point.help;

    const created = series.timestamps.length === series.head;
    insert(series, point);
    observe(series, point.value);
    if (created) this.#heap.push(point.timestamp, id);
    this.#points++;
    this.#collected++;
    this.#lastCollection = now;
    const excess = series.timestamps.length - series.head - this.limits.maxPointsPerSeries;
    if (excess > 0) this.#trim(series, excess, 'point_limit');
    if (this.#listeners.size > 0) this.#announce(series, point);
    return undefined;
  }

  /**
   * Calls `listener` after every stored point with the value stored for it (the running total for
   * a counter). Returns the function that stops listening.
   */
  onStored(listener: (point: TrackedPoint, value: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async series(selector: SeriesSelector): Promise<SeriesState[]> {
    return this.#select(selector).map(state);
  }

  async points(ids: readonly string[], from = -Infinity): Promise<Map<string, PointColumns>> {
    const out = new Map<string, PointColumns>();
    for (const id of ids) {
      const series = this.#series.get(id);
      if (!series) continue;
      const start = firstAtOrAfter(series.timestamps, from, series.head);
      const before = series.type !== 'counter' ? 0 : start > series.head ? series.values[start - 1]! : series.base;
      if (start > series.head) {
        out.set(id, { timestamps: series.timestamps.slice(start), values: series.values.slice(start), before });
        continue;
      }
      // The whole series: lent, not copied. A 10,000-point series read by every dashboard refresh
      // would otherwise be copied on each read; now it is copied at most once per change after one.
      if (series.head > 0) compact(series);
      series.lent = true;
      out.set(id, { timestamps: series.timestamps, values: series.values, before });
    }
    return out;
  }

  async metrics(scope: StoreScope = {}): Promise<MetricInfo[]> {
    const counts = new Map<string, number>();
    for (const [tenant, names] of this.#tenants) {
      if (scope.tenantId !== undefined && tenant !== scope.tenantId) continue;
      for (const [name, ids] of names) counts.set(name, (counts.get(name) ?? 0) + ids.size);
    }
    return [...counts].map(([name, seriesCount]) => {
      const entry = this.#metrics.get(name)!;
      const info: MetricInfo = { name, type: entry.type, seriesCount };
      if (entry.unit !== undefined) info.unit = entry.unit;
      if (entry.help !== undefined) info.help = entry.help;
      return info;
    });
  }

  async stats(activeSince: number): Promise<StoreStats> {
    let active = 0;
    for (const series of this.#series.values()) {
      if (series.timestamps[series.timestamps.length - 1]! >= activeSince) active++;
    }
    const dropped = this.#dropped.point_limit + this.#dropped.series_limit + this.#dropped.retention;
    const stats: StoreStats = {
      series: this.#series.size,
      points: this.#points,
      collected: this.#collected,
      dropped,
      droppedBy: { ...this.#dropped },
      metrics: this.#metrics.size,
      active,
    };
    if (this.#lastCollection !== undefined) stats.lastCollection = this.#lastCollection;
    return stats;
  }

  async sweep(now: number): Promise<void> {
    const horizon = now - this.limits.retentionMs;
    for (const series of [...this.#series.values()]) {
      const old = firstAtOrAfter(series.timestamps, horizon, series.head) - series.head;
      if (series.head + old === series.timestamps.length) this.#remove(series, 'retention');
      else if (old > 0) this.#trim(series, old, 'retention');
    }
  }

  async health(): Promise<{ healthy: boolean; message: string }> {
    return { healthy: true, message: `${this.#series.size} series, ${this.#points} points in memory` };
  }

  async close(): Promise<void> {
    this.#listeners.clear();
    clearInterval(this.#timer);
  }

  #announce(series: MemorySeries, point: TrackedPoint): void {
    const at = firstAfter(series.timestamps, point.timestamp, series.head) - 1;
    if (at < series.head) return; // older than every kept point: trimmed as it came
    const value = series.values[at]!;
    for (const listener of this.#listeners) {
      try {
        listener(point, value);
      } catch {
        // A broken listener must not fail the write that fed it.
      }
    }
  }

  /** One name, one type; and the names it would take in a scrape must be free. */
  #admitMetric(point: TrackedPoint): Error | undefined {
    const metric = this.#metrics.get(point.name);
    if (metric) return metric.type === point.type ? undefined : typeConflict(point.name, metric.type, point.type);
    for (const exposed of exposedNames(point.name, point.type)) {
      if (this.#reserved.has(exposed)) return exposedNameConflict(point.name, exposed, undefined);
      const owner = this.#exposed.get(exposed);
      if (owner !== undefined) return exposedNameConflict(point.name, exposed, owner);
    }
    return undefined;
  }

  #create(id: string, point: TrackedPoint): MemorySeries {
    if (this.#series.size >= this.limits.maxSeries) this.#evictStalest();
    const series: MemorySeries = { id, name: point.name, type: point.type, labels: { ...point.labels }, timestamps: [], values: [], head: 0, lent: false, base: 0 };
    if (point.service !== undefined) series.service = point.service;
    if (point.tenantId !== undefined) series.tenantId = point.tenantId;
    if (point.type === 'histogram') {
      const bounds = this.#bucketsFor(point.name, point.unit ?? this.#metrics.get(point.name)?.unit);
      series.histogram = { bounds, counts: new Array<number>(bounds.length + 1).fill(0), count: 0, sum: 0 };
    } else if (point.type === 'summary') {
      series.summary = { count: 0, sum: 0 };
    }
    this.#series.set(id, series);
    const tenant = point.tenantId ?? '';
    let names = this.#tenants.get(tenant);
    if (!names) this.#tenants.set(tenant, (names = new Map()));
    let ids = names.get(point.name);
    if (!ids) names.set(point.name, (ids = new Set()));
    ids.add(id);
    let metric = this.#metrics.get(point.name);
    if (!metric) {
      metric = { type: point.type, exposed: exposedNames(point.name, point.type), series: 0 };
      this.#metrics.set(point.name, metric);
      for (const exposed of metric.exposed) this.#exposed.set(exposed, point.name);
    }
    metric.series++;
    return series;
  }

  #evictStalest(): void {
    // Removed series leave entries behind until they surface; rebuild when they pile up.
    if (this.#heap.size > 2 * this.#series.size + 1024) {
      this.#heap.rebuild([...this.#series.values()].map((s) => [s.timestamps[s.timestamps.length - 1]!, s.id]));
    }
    const id = this.#heap.popCurrent((candidate) => {
      const series = this.#series.get(candidate);
      return series ? series.timestamps[series.timestamps.length - 1] : undefined;
    });
    const series = id === undefined ? undefined : this.#series.get(id);
    if (series) this.#remove(series, 'series_limit');
  }

  /** Drops the `count` oldest points; a counter's running totals keep counting them. */
  #trim(series: MemorySeries, count: number, reason: DropReason): void {
    if (series.type === 'counter') series.base = series.values[series.head + count - 1]!;
    series.head += count;
    // Moving the arrays on every trimmed point would cost O(points) per point at the cap; the
    // trimmed prefix is cut off once it is as long as the rest.
    if (series.head >= 64 && series.head * 2 >= series.timestamps.length) compact(series);
    this.#points -= count;
    this.#dropped[reason] += count;
  }

  #remove(series: MemorySeries, reason: DropReason): void {
    this.#series.delete(series.id);
    const tenant = series.tenantId ?? '';
    const names = this.#tenants.get(tenant)!;
    const ids = names.get(series.name)!;
    ids.delete(series.id);
    if (ids.size === 0) names.delete(series.name);
    if (names.size === 0) this.#tenants.delete(tenant);
    const metric = this.#metrics.get(series.name)!;
    if (--metric.series === 0) {
      this.#metrics.delete(series.name);
      for (const exposed of metric.exposed) this.#exposed.delete(exposed);
    }
    this.#points -= series.timestamps.length - series.head;
    this.#dropped[reason] += series.timestamps.length - series.head;
  }

  #select(selector: SeriesSelector): MemorySeries[] {
    const out: MemorySeries[] = [];
    const tenants = selector.tenantId !== undefined ? [this.#tenants.get(selector.tenantId)] : [...this.#tenants.values()];
    for (const names of tenants) {
      if (!names) continue;
      const groups = selector.name !== undefined ? [names.get(selector.name)] : [...names.values()];
      for (const ids of groups) {
        if (!ids) continue;
        for (const id of ids) {
          const series = this.#series.get(id)!;
          if (selector.service !== undefined && series.service !== selector.service) continue;
          if (selector.filters && !matchesFilters(series.labels, selector.filters)) continue;
          out.push(series);
        }
      }
    }
    return out.sort(bySeriesOrder);
  }
}

function state(series: MemorySeries): SeriesState {
  const last = series.timestamps.length - 1;
  const out: SeriesState = {
    id: series.id,
    name: series.name,
    type: series.type,
    labels: series.labels,
    pointCount: series.timestamps.length - series.head,
    latestTimestamp: series.timestamps[last]!,
    latestValue: series.values[last]!,
  };
  if (series.service !== undefined) out.service = series.service;
  if (series.tenantId !== undefined) out.tenantId = series.tenantId;
  if (series.histogram) out.histogram = { ...series.histogram, counts: [...series.histogram.counts] };
  if (series.summary) out.summary = { ...series.summary };
  return out;
}

/** Takes lent arrays back as copies of the kept points (the trimmed prefix left behind). */
function own(series: MemorySeries): void {
  series.timestamps = series.timestamps.slice(series.head);
  series.values = series.values.slice(series.head);
  series.head = 0;
  series.lent = false;
}

/** Cuts off the trimmed prefix; lent arrays stay as the reader has them. */
function compact(series: MemorySeries): void {
  if (series.lent) return own(series);
  series.timestamps.splice(0, series.head);
  series.values.splice(0, series.head);
  series.head = 0;
}

/** Keeps points in timestamp order; a late point slots in where it belongs. */
function insert(series: MemorySeries, point: TrackedPoint): void {
  if (series.lent) own(series);
  const { timestamps, values } = series;
  const at = timestamps.length === series.head || timestamps[timestamps.length - 1]! <= point.timestamp
    ? timestamps.length
    : firstAfter(timestamps, point.timestamp, series.head);
  if (series.type === 'counter') {
    const before = at > series.head ? values[at - 1]! : series.base;
    // A late increment also raises every running total after it.
    for (let i = at; i < values.length; i++) values[i] = values[i]! + point.value;
    if (at === timestamps.length) {
      timestamps.push(point.timestamp);
      values.push(before + point.value);
    } else {
      timestamps.splice(at, 0, point.timestamp);
      values.splice(at, 0, before + point.value);
    }
    return;
  }
  if (at === timestamps.length) {
    timestamps.push(point.timestamp);
    values.push(point.value);
  } else {
    timestamps.splice(at, 0, point.timestamp);
    values.splice(at, 0, point.value);
  }
}

/** Cumulative histogram and summary state: every observation counts, trimmed or not. */
function observe(series: MemorySeries, value: number): void {
  const histogram = series.histogram;
  if (histogram) {
    let i = 0;
    while (i < histogram.bounds.length && value > histogram.bounds[i]!) i++;
    histogram.counts[i]!++;
    histogram.count++;
    histogram.sum += value;
  } else if (series.summary) {
    series.summary.count++;
    series.summary.sum += value;
  }
}

/** Index of the first timestamp >= target at or after `lo` (the sorted live part). */
function firstAtOrAfter(sorted: readonly number[], target: number, lo: number): number {
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first timestamp > target at or after `lo`. */
function firstAfter(sorted: readonly number[], target: number, lo: number): number {
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
