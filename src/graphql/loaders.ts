import DataLoader from 'dataloader';
import { stableStringify } from '../cache/keys.js';
import type { CachedAggregate } from '../cache/aggregate-cache.js';
import type { CachedAnswer } from '../cache/answer-codec.js';
import type { QueryCache } from '../cache/query-cache.js';
import type { Series } from '../core/series.js';
import type { AggregateQuery, MetricQuery, MetricSource, QueryContext, QueryResult } from '../sources/source.js';

/**
 * One DataLoader per source, per request. Every `metricData` field of a request that reaches the
 * same source in the same tick lands in one batch, and the batch goes through the cache to the
 * adapter as one `query(queries[])` call. Identical fields in one request are asked once.
 */
export class SeriesLoaders {
  readonly #loaders = new Map<string, DataLoader<MetricQuery, Series[], string>>();
  /** Earliest `freshUntil` of the answers loaded so far. */
  #freshUntil = Infinity;
  /** Every answer so far came from the cache with a `freshUntil`. */
  #allCached = true;

  constructor(
    private readonly cache: QueryCache,
    private readonly identity: string,
    private readonly ctx: QueryContext,
    /** Narrows a query to what the caller may see (src/auth/access.ts); throws FORBIDDEN. */
    private readonly restrict: (source: MetricSource, query: MetricQuery) => MetricQuery = (_, query) => query,
  ) {}

  /** The request's signal: aborts when the client leaves or the request deadline passes. */
  get signal(): AbortSignal | undefined {
    return this.ctx.signal;
  }

  /**
   * Until when a response built only from this request's loaded answers may be kept: undefined
   * when nothing was loaded, or when anything was not a cacheable answer (an error, an uncached
   * source, a stale stand-in).
   */
  get freshUntil(): number | undefined {
    return this.#allCached && this.#freshUntil !== Infinity ? this.#freshUntil : undefined;
  }

  load(source: MetricSource, query: MetricQuery): Promise<Series[]> {
    try {
      query = this.restrict(source, query);
    } catch (error) {
      return Promise.reject(error);
    }
    let loader = this.#loaders.get(source.id);
    if (!loader) {
      loader = new DataLoader<MetricQuery, Series[], string>(
        (queries) => this.cache.query(source, this.identity, queries, this.ctx).then((answers) => this.#note(answers)),
        { cacheKeyFn: stableStringify, maxBatchSize: source.capabilities.maxBatchSize },
      );
      this.#loaders.set(source.id, loader);
    }
    return loader.load(query);
  }

  /**
   * An aggregation the source computes itself, through the cache. `groups` undefined: the source
   * declined it, and the caller computes it from `load()`ed series.
   */
  async aggregate(source: MetricSource, query: AggregateQuery): Promise<CachedAggregate> {
    const answer = await this.cache.aggregates.aggregate(source, this.identity, query, this.ctx);
    if (answer.freshUntil === undefined) this.#allCached = false;
    else this.#freshUntil = Math.min(this.#freshUntil, answer.freshUntil);
    for (const warning of answer.warnings ?? []) this.ctx.warn?.(warning);
    return answer;
  }

  /** An answer's warnings (fresh or from cache) go to the client once per distinct query; its freshness is noted. */
  #note(answers: QueryResult[]): QueryResult[] {
    for (const answer of answers as Array<CachedAnswer | Error>) {
      if (answer instanceof Error || answer.freshUntil === undefined) this.#allCached = false;
      else this.#freshUntil = Math.min(this.#freshUntil, answer.freshUntil);
      if (answer instanceof Error || !answer.warnings) continue;
      for (const warning of answer.warnings) this.ctx.warn?.(warning);
    }
    return answers;
  }
}
