import DataLoader from 'dataloader';
import { stableStringify } from '../cache/keys.js';
import type { QueryCache } from '../cache/query-cache.js';
import type { Series } from '../core/series.js';
import type { MetricQuery, MetricSource, QueryContext, QueryResult } from '../sources/source.js';

/**
 * One DataLoader per source, per request. Every `metricData` field of a request that reaches the
 * same source in the same tick lands in one batch, and the batch goes through the cache to the
 * adapter as one `query(queries[])` call. Identical fields in one request are asked once.
 */
export class SeriesLoaders {
  readonly #loaders = new Map<string, DataLoader<MetricQuery, Series[], string>>();

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

  load(source: MetricSource, query: MetricQuery): Promise<Series[]> {
    try {
      query = this.restrict(source, query);
    } catch (error) {
      return Promise.reject(error);
    }
    let loader = this.#loaders.get(source.id);
    if (!loader) {
      loader = new DataLoader<MetricQuery, Series[], string>(
        (queries) => this.cache.query(source, this.identity, queries, this.ctx).then((answers) => this.#passWarnings(answers)),
        { cacheKeyFn: stableStringify, maxBatchSize: source.capabilities.maxBatchSize },
      );
      this.#loaders.set(source.id, loader);
    }
    return loader.load(query);
  }

  /** An answer's warnings (fresh or from cache) go to the client once per distinct query. */
  #passWarnings(answers: QueryResult[]): QueryResult[] {
    for (const answer of answers) {
      if (answer instanceof Error || !answer.warnings) continue;
      for (const warning of answer.warnings) this.ctx.warn?.(warning);
    }
    return answers;
  }
}
