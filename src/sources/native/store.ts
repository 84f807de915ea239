import { formatDuration } from '../../core/duration.js';
import { BadUserInputError } from '../../core/errors.js';
import type { LabelFilter, Labels } from '../../core/series.js';
import type { MetricType, TrackedPoint } from './point.js';

/**
 * The contract of the native collector's store, with two implementations: memory-store.ts (the
 * embedded default, one gateway's own view) and redis-store.ts (shared by every gateway instance
 * that points at the same Redis). Both keep the same bounds, the same counter semantics and the
 * same counts, so the REST API, the Prometheus scrape and GraphQL read the same numbers whichever
 * store is configured.
 *
 * Every series belongs to one tenant (the `tenant_id` it was pushed with; none is its own
 * partition). Reads take a scope: with a tenant in it, nothing of another tenant is visible.
 *
 * Counters are stored cumulatively: a pushed counter value is an increment (as in StatsD and the
 * OpenTelemetry delta model) and reads return running totals, as Prometheus expects. Histogram
 * and summary series also keep cumulative `count` and `sum` (and bucket counts) since the series
 * was created; trimming old points never lowers them.
 */

export type StoreKind = 'memory' | 'redis';

/** Who may see what. No tenant: every tenant (today's unauthenticated gateway). */
export interface StoreScope {
  tenantId?: string | undefined;
}

/** Which series a read wants; every given condition must hold (AND). */
export interface SeriesSelector extends StoreScope {
  name?: string | undefined;
  service?: string | undefined;
  filters?: readonly LabelFilter[] | undefined;
}

export interface HistogramState {
  /** Upper bounds, ascending, without +Inf. */
  bounds: number[];
  /** Observations per bucket (not cumulative); one more entry than `bounds`, the last for +Inf. */
  counts: number[];
  count: number;
  sum: number;
}

/** A series as reads describe it: identity, size and current value, without its points. */
export interface SeriesState {
  /** Stable id, unique across tenants. */
  id: string;
  name: string;
  type: MetricType;
  /** Every label, `service` and `tenant_id` included. */
  labels: Labels;
  service?: string;
  tenantId?: string;
  pointCount: number;
  latestTimestamp: number;
  /** For a counter, the running total. */
  latestValue: number;
  histogram?: HistogramState;
  /** For summaries: observations since the series was created. */
  summary?: { count: number; sum: number };
}

/** Points of one series in time order; counter values are running totals. */
export interface PointColumns {
  timestamps: number[];
  values: number[];
  /** For a counter, the running total just before the first point returned (0 when none). */
  before: number;
}

export interface MetricInfo {
  name: string;
  type: MetricType;
  unit?: string;
  help?: string;
  seriesCount: number;
}

export type DropReason = 'point_limit' | 'series_limit' | 'retention';

export interface StoreStats {
  series: number;
  points: number;
  /** Points accepted since the store began (shared across instances in Redis). */
  collected: number;
  /** Points that fell out of the store, for any reason. */
  dropped: number;
  droppedBy: Record<DropReason, number>;
  /** Distinct metric names. */
  metrics: number;
  /** Series whose newest point is at or after the `activeSince` asked for. */
  active: number;
  /** When the last point was accepted (epoch ms), if ever. */
  lastCollection?: number;
}

export interface NativeLimits {
  /** @default 10000 (ACCESS_MAX_METRIC_SERIES) */
  maxSeries: number;
  /** @default 1000 (ACCESS_MAX_POINTS_PER_SERIES) */
  maxPointsPerSeries: number;
  /** Points older than this are dropped (and refused when pushed). @default 24h */
  retentionMs: number;
}

export interface NativeStore {
  readonly kind: StoreKind;
  readonly limits: NativeLimits;
  /**
   * Stores validated points in order. One entry per point: undefined when stored, an Error
   * (a BadUserInputError) when this point alone was refused. Rejects only when the store itself
   * failed (Redis down), in which case nothing is known to be stored.
   */
  record(points: readonly TrackedPoint[], now: number): Promise<Array<Error | undefined>>;
  /** Series matching the selector, sorted by name then labels. */
  series(selector: SeriesSelector): Promise<SeriesState[]>;
  /**
   * Points of the given series at or after `from`; unknown ids are left out. The columns are
   * read-only: a store may hand out its own arrays (it copies them before it next changes them).
   */
  points(ids: readonly string[], from?: number): Promise<Map<string, PointColumns>>;
  /** Metric names with at least one series in the scope. */
  metrics(scope?: StoreScope): Promise<MetricInfo[]>;
  stats(activeSince: number): Promise<StoreStats>;
  /** Drops points older than the retention horizon. Runs on a timer; exposed for tests. */
  sweep(now: number): Promise<void>;
  health(): Promise<{ healthy: boolean; message: string }>;
  close(): Promise<void>;
}

export const DEFAULT_LIMITS: NativeLimits = {
  maxSeries: 10_000,
  maxPointsPerSeries: 1_000,
  retentionMs: 24 * 3_600_000,
};

/**
 * The identity of a series: tenant, name and every label; equal label sets in any key order
 * agree. Values are length-prefixed, so no value can forge a separator (and no JSON encoding is
 * paid on the ingest path: this runs once per stored point).
 */
export function seriesKey(point: Pick<TrackedPoint, 'name' | 'labels' | 'tenantId'>): string {
  const tenant = point.tenantId ?? '';
  let key = `${tenant.length}:${tenant}\u0000${point.name}`;
  const names = Object.keys(point.labels);
  if (names.length > 1) names.sort();
  for (const name of names) {
    const value = point.labels[name]!;
    key += `\u0000${name}=${value.length}:${value}`;
  }
  return key;
}

/** Series order of every read: by name, then by id (stable, so pages and scrapes do not shuffle). */
export function bySeriesOrder(a: { name: string; id: string }, b: { name: string; id: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function emptyDrops(): Record<DropReason, number> {
  return { point_limit: 0, series_limit: 0, retention: 0 };
}

export function checkLimits(limits: NativeLimits): NativeLimits {
  positive(limits.maxSeries, 'maxSeries');
  positive(limits.maxPointsPerSeries, 'maxPointsPerSeries');
  positive(limits.retentionMs, 'retention (ms)');
  return limits;
}

function positive(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${what} must be a positive integer; got ${value}`);
}

/** How far ahead of the gateway's clock a pushed timestamp may be (clock skew between hosts). */
export const MAX_FUTURE_MS = 10 * 60_000;

/** Why a point with this timestamp cannot be stored, or undefined when it can. */
export function timestampProblem(point: TrackedPoint, now: number, limits: NativeLimits): BadUserInputError | undefined {
  if (!Number.isFinite(point.timestamp)) {
    return new BadUserInputError(`timestamp must be a finite epoch-milliseconds number; got ${point.timestamp}`, { field: 'timestamp' });
  }
  const horizon = now - limits.retentionMs;
  if (point.timestamp < horizon) {
    return new BadUserInputError(
      `timestamp ${iso(point.timestamp)} is older than the retention of ${formatDuration(limits.retentionMs)} (the oldest kept is ${iso(horizon)}); the point would be dropped at once`,
      { field: 'timestamp' },
    );
  }
  if (point.timestamp > now + MAX_FUTURE_MS) {
    return new BadUserInputError(
      `timestamp ${iso(point.timestamp)} is more than ${formatDuration(MAX_FUTURE_MS)} ahead of the gateway's clock (${iso(now)})`,
      { field: 'timestamp' },
    );
  }
  return undefined;
}

export function typeConflict(name: string, existing: string, got: string): BadUserInputError {
  return new BadUserInputError(`metric '${name}' is already a ${existing}; got type ${got} (one name, one type)`, { field: 'type' });
}

export function exposedNameConflict(name: string, exposed: string, owner: string | undefined): BadUserInputError {
  const who = owner === undefined ? "the gateway's own metrics" : `metric '${owner}'`;
  return new BadUserInputError(
    `metric '${name}' would appear in the Prometheus scrape as '${exposed}', which ${who} already uses; pick another name`,
    { field: 'name' },
  );
}

function iso(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : String(ms);
}
