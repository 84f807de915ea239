import { setMaxListeners } from 'node:events';
import { requestTimeoutError } from '../resilience/signal-deadline.js';
import type { MetricQuery, MetricSource, QueryContext, QueryResult, SeriesAnswer } from '../sources/source.js';
import type { GatewayMetrics } from '../telemetry/metrics.js';
import { AggregateCache } from './aggregate-cache.js';
import { decodeAnswer, encodeAnswer, type CachedAnswer } from './answer-codec.js';
import { awaitHolder, holdClaims } from './claim-holder.js';
import { DecodedAnswers } from './decoded-answers.js';
import { queryCacheKey } from './keys.js';
import { SingleFlight } from './single-flight.js';
import { isSourceFailure, staleKey, staleWarning } from './stale-answers.js';
import type { CacheStore } from './store.js';
import { cacheTtlMs, type CachePolicy } from './ttl.js';

export interface QueryCacheOptions {
  store: CacheStore;
  metrics: GatewayMetrics;
  /** The policy for a source, or undefined when its answers must not be cached. */
  policyFor: (source: MetricSource) => CachePolicy | undefined;
  now?: () => number;
  /**
   * With a shared store: how long one instance's claim on a key lasts unless renewed. The holder
   * renews it while its call runs; a claim left unrenewed (its holder gone or stuck) lapses within
   * this, and another instance asks. @default 10000
   */
  flightMs?: number;
}

/**
 * Sits between the per-request loaders and the adapters. For a batch of queries to one source it
 * answers what it can from the store, joins identical queries already on their way upstream
 * (single-flight across requests), and sends only the rest to the adapter, in one call. Errors are
 * never cached. Every answer it caches carries `freshUntil` (see answer-codec.ts).
 */
export class QueryCache {
  readonly store: CacheStore;
  readonly #metrics: GatewayMetrics;
  readonly #policyFor: (source: MetricSource) => CachePolicy | undefined;
  readonly #now: () => number;
  readonly #flightMs: number;
  readonly #flight = new SingleFlight<QueryResult>();
  readonly #decoded = new DecodedAnswers();
  /** Ends refreshes that belong to no request (stale while revalidate) when the gateway stops. */
  readonly #background = new AbortController();
  /** Aggregations computed upstream, kept in the same store under the same policies. */
  readonly aggregates: AggregateCache;

  constructor(options: QueryCacheOptions) {
    this.store = options.store;
    this.#metrics = options.metrics;
    this.#policyFor = options.policyFor;
    this.#now = options.now ?? Date.now;
    this.#flightMs = options.flightMs ?? 10_000;
    // Every refresh in flight listens; many at once are expected, not a leak.
    setMaxListeners(0, this.#background.signal);
    this.aggregates = new AggregateCache({ store: this.store, metrics: this.#metrics, policyFor: this.#policyFor, now: this.#now, flightMs: this.#flightMs, detached: (ctx) => this.#detached(ctx) });
  }

  /** Stops the refreshes still running in the background, so a shutdown does not wait on them. */
  close(): void {
    this.#background.abort(new Error('the gateway is shutting down'));
  }

  async query(source: MetricSource, identity: string, queries: readonly MetricQuery[], ctx: QueryContext): Promise<QueryResult[]> {
    const policy = this.#policyFor(source);
    if (!policy) return callSource(source, queries, ctx);

    const version = source.dataVersion?.();
    const keys = queries.map((query) => queryCacheKey(source.id, identity, query, version));
    const results = new Array<QueryResult | Promise<QueryResult> | undefined>(queries.length);
    const swrMs = policy.staleWhileRevalidateMs ?? 0;

    // While a key is being fetched its entry is missing or expired, so the store is skipped, unless
    // an expired entry is still good to serve during its refresh.
    const cached = await Promise.all(keys.map((key) => (swrMs === 0 && this.#flight.peek(key) ? undefined : this.store.get(key))));
    const lookedUp = this.#now();
    /** Queries sent upstream: misses, and expired answers served while they are refreshed. */
    const misses: number[] = [];
    const settlers: Array<(outcome: Promise<QueryResult>) => void> = [];
    keys.forEach((key, i) => {
      const hit = cached[i];
      if (hit !== undefined) {
        const answer = this.#decoded.decode(key, hit, decodeAnswer) as CachedAnswer;
        results[i] = answer;
        if (swrMs === 0 || answer.freshUntil === undefined || answer.freshUntil > lookedUp) {
          this.#count(source, 'hit');
          return;
        }
        // Past its TTL, within the revalidate window: served as it is; the first to see it refreshes it.
        this.#count(source, 'revalidate');
        const settle = this.#flight.claim(key);
        if (settle) {
          misses.push(i);
          settlers.push(settle);
        }
        return;
      }
      const settle = this.#flight.claim(key);
      if (settle) {
        misses.push(i);
        settlers.push(settle);
        this.#count(source, 'miss');
      } else {
        results[i] = this.#flight.peek(key)!;
        this.#count(source, 'coalesced');
      }
    });

    if (misses.length > 0) {
      // With a shared store, a key another instance is already fetching is not asked again here.
      const claim = this.store.claim?.bind(this.store);
      const ours = claim ? await Promise.all(misses.map((i) => claim(keys[i]!, this.#flightMs))) : undefined;
      const fetches: Fetch[] = [];
      misses.forEach((queryIndex, j) => {
        const key = keys[queryIndex]!;
        if (ours?.[j] === false) {
          // Being served stale, it stays served (the other instance refreshes it); a miss waits for that instance's answer.
          const served = results[queryIndex];
          const outcome = served !== undefined ? Promise.resolve(served) : this.#fromElsewhere(source, key, queries[queryIndex]!, ctx, policy);
          settlers[j]!(outcome);
          results[queryIndex] = outcome;
          return;
        }
        fetches.push({ key, query: queries[queryIndex]!, settle: settlers[j]!, refresh: results[queryIndex] !== undefined, index: queryIndex });
      });
      if (fetches.length > 0) {
        this.#fetch(source, fetches, ctx, policy).forEach((outcome, f) => (results[fetches[f]!.index] ??= outcome));
      }
    }
    return Promise.all(results as Array<QueryResult | Promise<QueryResult>>);
  }

  /**
   * One upstream call for `fetches` (keys this instance holds), each answer written to the store
   * before its flight ends and its claim goes. Returns each one's outcome, which the request that
   * asked gets without waiting for the write.
   */
  #fetch(source: MetricSource, fetches: readonly Fetch[], ctx: QueryContext, policy: CachePolicy): Array<Promise<QueryResult>> {
    const swrMs = policy.staleWhileRevalidateMs ?? 0;
    const now = this.#now();
    // When every query is a refresh, this request already has its answers: the refresh must not
    // end with it (client gone, deadline released), so only the source's own timeouts and the
    // gateway's shutdown bound it. Refreshes sent along with misses share the request's call.
    const background = fetches.every((fetch) => fetch.refresh);
    const call = callSource(source, fetches.map((fetch) => fetch.query), background ? this.#detached(ctx) : ctx);
    // An answer is fresh for its TTL from when it arrived, as its store entry lives: a refresh
    // never goes out sooner than a TTL after the upstream answered the previous one.
    const fresh = call.then((answers) => ({ answers, at: this.#now() }));
    // Other instances wait on these keys for as long as this call runs, however long the vendor takes.
    const stopHolding = holdClaims(this.store, fetches.map((fetch) => fetch.key), this.#flightMs);
    fresh.then(stopHolding, stopHolding);
    return fetches.map(({ key, query, settle }, j) => {
      const ttl = cacheTtlMs(query.range, now, policy);
      const outcome = fresh.then(({ answers, at }): QueryResult | Promise<QueryResult> => {
        const answer = answers[j]!;
        if (!(answer instanceof Error)) return fresher(answer, at + ttl);
        return policy.maxStaleMs && isSourceFailure(answer) ? this.#stale(source, key, answer) : answer;
      });
      const written = fresh.then(async ({ answers, at }) => {
        const answer = answers[j]!;
        if (!(answer instanceof Error)) {
          const encoded = encodeAnswer(answer, at + ttl);
          // Kept past its freshness for the revalidate window; `freshUntil` inside says when it expires.
          await this.store.set(key, encoded, ttl + swrMs);
          // A longer-lived copy, served only when the source fails.
          if (policy.maxStaleMs) void this.store.set(staleKey(key), JSON.stringify({ at, answer: encoded }), ttl + policy.maxStaleMs);
        }
        // Written, or failed (never kept): either way other instances may go on.
        await this.store.release?.(key);
      });
      // The flight lasts until the store holds the answer (stores never reject), so a request
      // arriving between the upstream's answer and the write joins it instead of calling again.
      settle(outcome.then((answer) => written.then(() => answer)));
      return outcome;
    });
  }

  /**
   * Another instance holds `key`: its answer is read from the store once written. When that
   * instance lets go without one (its call failed) or takes longer than `flightMs`, this one asks.
   */
  async #fromElsewhere(source: MetricSource, key: string, query: MetricQuery, ctx: QueryContext, policy: CachePolicy): Promise<QueryResult> {
    let kept: string | undefined;
    try {
      kept = await awaitHolder(this.store, key, this.#flightMs, ctx.signal);
    } catch (reason) {
      // The request's deadline passed while another instance held the key: a timeout of this source.
      return requestTimeoutError(ctx.signal, source.id, reason) ?? (reason instanceof Error ? reason : new Error(String(reason)));
    }
    if (kept !== undefined) return this.#decoded.decode(key, kept, decodeAnswer) as CachedAnswer;
    return this.#fetch(source, [{ key, query, settle: () => {}, refresh: false, index: 0 }], ctx, policy)[0]!;
  }

  /** The last good answer for a failed query, with a STALE_DATA warning; the failure when there is none. */
  async #stale(source: MetricSource, key: string, failure: Error): Promise<QueryResult> {
    const kept = await this.store.get(staleKey(key)).catch(() => undefined);
    if (kept === undefined) return failure;
    const { at, answer } = JSON.parse(kept) as { at: number; answer: string };
    const series = decodeAnswer(answer);
    // Served in place of a failure: good for this request only, never the base of a kept response.
    delete series.freshUntil;
    const warning = staleWarning(source.id, failure, at);
    this.#metrics.cacheLookups.inc({ source: source.id, result: 'stale' });
    // The warning travels with the answer, so every request joined to this flight sees it.
    return Object.assign(series, { warnings: [...(series.warnings ?? []), warning] });
  }

  /** A refresh's context: the request's log and tenant; not its signal, deadline or warnings. */
  #detached(ctx: QueryContext): QueryContext {
    return { log: ctx.log, signal: this.#background.signal, ...(ctx.tenantId !== undefined ? { tenantId: ctx.tenantId } : {}) };
  }

  #count(source: MetricSource, result: 'hit' | 'miss' | 'coalesced' | 'revalidate'): void {
    this.#metrics.cacheLookups.inc({ source: source.id, result });
  }
}

/** A query this instance sends upstream, and the in-process flight waiting on it. */
interface Fetch {
  key: string;
  query: MetricQuery;
  settle: (outcome: Promise<QueryResult>) => void;
  /** An expired answer is being served meanwhile (stale while revalidate). */
  refresh: boolean;
  /** Its place in the request's batch. */
  index: number;
}

/**
 * Calls the adapter and holds it to its contract: exactly one answer per query. An adapter that
 * throws, or miscounts, fails every query of the batch with an error instead of hanging them.
 */
async function callSource(source: MetricSource, queries: readonly MetricQuery[], ctx: QueryContext): Promise<QueryResult[]> {
  try {
    const answers = await source.query(queries, ctx);
    if (answers.length !== queries.length) {
      const error = new Error(`source ${source.id} answered ${answers.length} of ${queries.length} queries`);
      return queries.map(() => error);
    }
    return answers;
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    return queries.map(() => failure);
  }
}

/** The adapter's answer as the cache hands it out; a copy, in case the adapter keeps its own. */
function fresher(answer: SeriesAnswer, freshUntil: number): CachedAnswer {
  const kept: CachedAnswer = Object.assign([...answer], { freshUntil });
  if (answer.warnings) kept.warnings = answer.warnings;
  return kept;
}
