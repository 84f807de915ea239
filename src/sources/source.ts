import type { Logger } from 'pino';
import { BadUserInputError } from '../core/errors.js';
import type { AggregateGroup } from '../core/aggregate.js';
import type { AggregateFunction } from '../core/reduce.js';
import type { LabelFilter, Series } from '../core/series.js';
import type { TimeRange } from '../core/time.js';

/**
 * The contract every metric source implements, shaped like a Grafana data source: a small required
 * surface (`query`, `health`), batch-first, with per-item errors. Optional capabilities are found by
 * presence. Adapters never import GraphQL; resolvers never talk HTTP.
 */

export const SOURCE_KINDS = ['darktrace', 'argus', 'dynatrace', 'native'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** One `metricData`-shaped request, already normalised: times resolved, interval in ms. */
export interface MetricQuery {
  /** One or more metric names in the source's vocabulary; at least one. */
  metrics: readonly string[];
  range: TimeRange;
  /** Step for regular series; absent means the source's raw or default resolution. */
  intervalMs?: number;
  filters: readonly LabelFilter[];
  /** Kind-specific parameters (`darktrace: {...}`), passed through as the client gave them. */
  params?: Readonly<Record<string, unknown>>;
}

export interface QueryContext {
  /** Aborts when the client goes away or the request deadline passes. */
  signal?: AbortSignal;
  log: Logger;
  /** Passes an answer's warnings on to the client (GraphQL `extensions.warnings`). */
  warn?(warning: SourceWarning): void;
  /**
   * The tenant the caller is bound to (authentication on). Sources that keep per-tenant data (the
   * native collector) answer from that tenant only; absent: every tenant.
   */
  tenantId?: string;
  /**
   * Most points one query's answer may hold (the request's per-field demand budget). Adapters that
   * build arrays themselves (the native collector's resampling) stop and refuse past it; absent,
   * the core's POINTS_BACKSTOP applies.
   */
  maxPoints?: number;
}

/** Something the upstream said about an answer that the client should see, though nothing failed. */
export interface SourceWarning {
  source: string;
  message: string;
  /** The metric the warning is about, when it is about one. */
  metric?: string;
  /** Set when the warning has a code clients branch on (STALE_DATA: an older cached answer was served). */
  code?: 'STALE_DATA';
}

export interface SourceCapabilities {
  /** Largest number of queries the adapter wants in one `query` call. */
  maxBatchSize: number;
  /**
   * Whether answers may be cached across requests. Remote sources: yes. The native collector
   * answers from memory and changes with every push, so caching it gains nothing by default.
   */
  cacheable: boolean;
  /** The adapter computes aggregates upstream (`aggregate()` is present). */
  pushDownAggregation: boolean;
  /** The adapter accepts writes (`write()` is present). */
  writes: boolean;
}

export interface SourceHealth {
  healthy: boolean;
  /** Why it is unhealthy, or a short status line; never a credential or a full upstream URL. */
  message?: string;
  latencyMs?: number;
}

export interface MetricDescriptor {
  source: string;
  name: string;
  upstreamName?: string;
  unit?: string;
  description?: string;
  type?: string;
}

/** Series, with the upstream's warnings about them; the warnings are cached with the series. */
export type SeriesAnswer = Series[] & { warnings?: SourceWarning[] };

export type QueryResult = SeriesAnswer | Error;

/** An aggregation a source may compute upstream (Argus aggregate, Dynatrace transformations). */
export interface AggregateQuery {
  metric: string;
  fn: AggregateFunction;
  /** 0..100 for `percentile`. */
  percentile?: number;
  /** For wavg: a weight metric (or value field) name, or a number given as text. */
  weightBy?: string;
  groupBy: readonly string[];
  limit?: number;
  /** Exact range; aligned to `intervalMs` when that is given. */
  range: TimeRange;
  /**
   * The range the gateway's own computation reads raw series over (`query()` without an interval),
   * which may be wider than `range`. A push-down that must see the same upstream slots as that
   * read (Dynatrace picks its default resolution from the range) asks for this one. Absent: `range`.
   */
  readRange?: TimeRange;
  /** Bucket length; absent means one value over the whole range. */
  intervalMs?: number;
  filters: readonly LabelFilter[];
  params?: Readonly<Record<string, unknown>>;
}

export interface MetricSource {
  readonly id: string;
  readonly kind: SourceKind;
  readonly capabilities: SourceCapabilities;
  /**
   * Answers a batch: one entry per query, in order. A failed query is an Error in its slot, never a
   * rejection of the whole batch. The adapter merges what its upstream can merge.
   */
  query(queries: readonly MetricQuery[], ctx: QueryContext): Promise<QueryResult[]>;
  health(): Promise<SourceHealth>;
  /**
   * `scope.tenantId`: list only what that tenant can see (sources with per-tenant data).
   * `scope.signal`: the asking request's; a list read upstream stops being waited for when it aborts.
   */
  listMetrics?(search: string | undefined, scope?: { tenantId?: string | undefined; signal?: AbortSignal | undefined }): Promise<MetricDescriptor[]>;
  /**
   * Push-down aggregation. Resolves to undefined when this particular aggregation is beyond what
   * the upstream can compute; the gateway then computes it from `query()` results, and both ways
   * must give the same answer for the same data.
   */
  aggregate?(query: AggregateQuery, ctx: QueryContext): Promise<AggregateGroup[] | undefined>;
  /**
   * Push sources (the native collector) report new points as they arrive, so live streams need
   * no polling. The listener gets one-point series; the return value stops the watch.
   */
  watch?(listener: (series: Series) => void): () => void;
  /**
   * Changes whenever answers about a past window may have changed for a reason other than time
   * passing (Dynatrace export files ingested). It is part of every cache key of the source, so
   * such answers are not served stale. Absent: only time changes answers.
   */
  dataVersion?(): string;
  /**
   * What can be known about a query's size before it is asked (the demand check's estimate): the
   * series it will answer with and at most how many raw points each holds. Must be cheap: a local
   * count, never an upstream call. Absent or partial: one series per metric, and raw points at
   * `limits.demand.assumedRawIntervalMs`.
   */
  demandHint?(query: MetricQuery, ctx: QueryContext): Promise<DemandHint> | DemandHint;
  close?(): Promise<void>;
}

export interface DemandHint {
  series?: number;
  /** Most points a series holds when the query names no interval (the source's own resolution). */
  rawPointsPerSeries?: number;
}

/** The configured sources by id; the one place that turns an unknown id into a clear error. */
export class SourceRegistry {
  readonly #sources = new Map<string, MetricSource>();

  constructor(sources: Iterable<MetricSource>) {
    for (const source of sources) {
      if (this.#sources.has(source.id)) throw new Error(`duplicate source id '${source.id}'`);
      this.#sources.set(source.id, source);
    }
  }

  get(id: string): MetricSource {
    const source = this.#sources.get(id);
    if (!source) {
      const known = [...this.#sources.keys()].join(', ') || 'none';
      throw new BadUserInputError(`unknown source '${id}'; configured sources: ${known}`, { field: 'source' });
    }
    return source;
  }

  /** The source of a kind when exactly one is configured (writes name no source by default). */
  only(kind: SourceKind): MetricSource {
    const matches = this.list().filter((source) => source.kind === kind);
    if (matches.length === 1) return matches[0]!;
    const ids = matches.map((source) => source.id).join(', ');
    throw new BadUserInputError(
      matches.length === 0
        ? `no ${kind} source is configured`
        : `several ${kind} sources are configured (${ids}); name one with the source argument`,
      { field: 'source' },
    );
  }

  list(): MetricSource[] {
    return [...this.#sources.values()];
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.list().map((source) => source.close?.()));
  }
}
