import { BadUserInputError } from '../../core/errors.js';
import { labelsKey, matchesFilters, upperBound, type LabelFilter } from '../../core/series.js';
import type { MetricType, TrackedPoint } from './point.js';

/**
 * The native collector's bounded in-memory store. Bounds are hard: at most `maxSeries` series
 * (when full, the series whose newest point is oldest goes) and `maxPointsPerSeries` points per
 * series (oldest first). Every point that falls out is counted, so loss is visible in metrics.
 *
 * Counters are stored cumulatively: a pushed counter value is an increment, as in StatsD and the
 * OpenTelemetry delta model, and each stored point is the running total, as Prometheus expects.
 */

export interface StoredSeries {
  readonly key: string;
  readonly name: string;
  readonly type: MetricType;
  readonly labels: Readonly<Record<string, string>>;
  readonly timestamps: number[];
  readonly values: number[];
}

export interface MetricInfo {
  name: string;
  type: MetricType;
  unit?: string;
  help?: string;
  seriesCount: number;
}

export interface NativeStoreOptions {
  /** @default 10000 */
  maxSeries?: number;
  /** @default 1000 */
  maxPointsPerSeries?: number;
}

export interface StoreStats {
  series: number;
  points: number;
  collected: number;
  dropped: number;
}

export class NativeStore {
  readonly maxSeries: number;
  readonly maxPointsPerSeries: number;
  readonly #series = new Map<string, StoredSeries>();
  readonly #metrics = new Map<string, { type: MetricType; unit?: string; help?: string; series: Set<string> }>();
  #points = 0;
  #collected = 0;
  #dropped = 0;
  readonly #listeners = new Set<(series: StoredSeries, point: TrackedPoint) => void>();

  constructor(options: NativeStoreOptions = {}) {
    this.maxSeries = positive(options.maxSeries ?? 10_000, 'maxSeries');
    this.maxPointsPerSeries = positive(options.maxPointsPerSeries ?? 1_000, 'maxPointsPerSeries');
  }

  /** Stores a validated point and returns the series it landed in. */
  record(point: TrackedPoint): StoredSeries {
    const metric = this.#metrics.get(point.name);
    if (metric && metric.type !== point.type) {
      throw new BadUserInputError(
        `metric '${point.name}' is already a ${metric.type}; got type ${point.type} (one name, one type)`,
        { field: 'type' },
      );
    }
    const key = `${point.name}{${labelsKey(point.labels)}}`;
    let series = this.#series.get(key);
    if (!series) {
      if (this.#series.size >= this.maxSeries) this.#evictStalest();
      series = { key, name: point.name, type: point.type, labels: { ...point.labels }, timestamps: [], values: [] };
      this.#series.set(key, series);
      const info = metric ?? { type: point.type, series: new Set<string>() };
      info.series.add(key);
      this.#metrics.set(point.name, info);
    }
    const info = this.#metrics.get(point.name)!;
    if (point.unit !== undefined) info.unit = point.unit;
    if (point.help !== undefined) info.help = point.help;

    insert(series, point);
    this.#points++;
    this.#collected++;
    if (series.timestamps.length > this.maxPointsPerSeries) {
      const excess = series.timestamps.length - this.maxPointsPerSeries;
      series.timestamps.splice(0, excess);
      series.values.splice(0, excess);
      this.#points -= excess;
      this.#dropped += excess;
    }
    for (const listener of this.#listeners) listener(series, point);
    return series;
  }

  /** Series of one metric whose labels pass the filters. */
  select(name: string, filters: readonly LabelFilter[] = []): StoredSeries[] {
    const info = this.#metrics.get(name);
    if (!info) return [];
    const out: StoredSeries[] = [];
    for (const key of info.series) {
      const series = this.#series.get(key)!;
      if (matchesFilters(series.labels, filters)) out.push(series);
    }
    return out;
  }

  metrics(): MetricInfo[] {
    return [...this.#metrics.entries()].map(([name, info]) => {
      const out: MetricInfo = { name, type: info.type, seriesCount: info.series.size };
      if (info.unit !== undefined) out.unit = info.unit;
      if (info.help !== undefined) out.help = info.help;
      return out;
    });
  }

  metric(name: string): MetricInfo | undefined {
    return this.metrics().find((info) => info.name === name);
  }

  allSeries(): IterableIterator<StoredSeries> {
    return this.#series.values();
  }

  stats(): StoreStats {
    return { series: this.#series.size, points: this.#points, collected: this.#collected, dropped: this.#dropped };
  }

  /** Called after every stored point; returns the function that stops listening. */
  onRecord(listener: (series: StoredSeries, point: TrackedPoint) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #evictStalest(): void {
    let stalest: StoredSeries | undefined;
    for (const series of this.#series.values()) {
      const latest = series.timestamps[series.timestamps.length - 1] ?? -Infinity;
      const stalestLatest = stalest ? (stalest.timestamps[stalest.timestamps.length - 1] ?? -Infinity) : Infinity;
      if (latest < stalestLatest) stalest = series;
    }
    if (!stalest) return;
    this.#series.delete(stalest.key);
    const info = this.#metrics.get(stalest.name)!;
    info.series.delete(stalest.key);
    if (info.series.size === 0) this.#metrics.delete(stalest.name);
    this.#points -= stalest.timestamps.length;
    this.#dropped += stalest.timestamps.length;
  }
}

/** Keeps points in timestamp order; a late point slots in where it belongs. */
function insert(series: StoredSeries, point: TrackedPoint): void {
  const { timestamps, values } = series;
  const at = timestamps.length === 0 || timestamps[timestamps.length - 1]! <= point.timestamp
    ? timestamps.length
    : upperBound(timestamps, point.timestamp);
  if (series.type === 'counter') {
    const before = at > 0 ? values[at - 1]! : 0;
    // A late increment also raises every running total after it.
    for (let i = at; i < values.length; i++) values[i] = values[i]! + point.value;
    timestamps.splice(at, 0, point.timestamp);
    values.splice(at, 0, before + point.value);
    return;
  }
  timestamps.splice(at, 0, point.timestamp);
  values.splice(at, 0, point.value);
}

function positive(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${what} must be a positive integer; got ${value}`);
  return value;
}

