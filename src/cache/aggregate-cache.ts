import type { AggregateGroup } from '../core/aggregate.js';
import { requestTimeoutError } from '../resilience/signal-deadline.js';
import type { AggregateQuery, MetricSource, QueryContext, SourceWarning } from '../sources/source.js';
import type { GatewayMetrics } from '../telemetry/metrics.js';
import { awaitHolder, holdClaims } from './claim-holder.js';
import { aggregateCacheKey } from './keys.js';
import { SingleFlight } from './single-flight.js';
import { isSourceFailure, staleKey, staleWarning } from './stale-answers.js';
import type { CacheStore } from './store.js';
import { cacheTtlMs, type CachePolicy } from './ttl.js';

/**
 * A push-down's answer as the cache hands it out. `groups` undefined: the source declined this
 * aggregation (the gateway computes it from raw series); a decline is kept like an answer, so a
 * refused push-down is not asked again on every request.
 */
export interface CachedAggregate {
  groups: AggregateGroup[] | undefined;
  /** Until when it may be served as fresh; absent when it did not come through the cache, or is stale. */
  freshUntil?: number;
  /** STALE_DATA: the source failed and this is its last good answer (the source's `maxStaleMs`). */
  warnings?: SourceWarning[];
}

export interface AggregateCacheOptions {
  store: CacheStore;
  metrics: GatewayMetrics;
  policyFor: (source: MetricSource) => CachePolicy | undefined;
  now: () => number;
  /** Context for refreshes that belong to no request (stale while revalidate). */
  detached: (ctx: QueryContext) => QueryContext;
  /** With a shared store: how long a claim on a key lasts unless its holder renews it (see QueryCache). */
  flightMs: number;
}

/**
 * Aggregations computed upstream (Argus, Dynatrace), kept like metricData answers: the same store,
 * TTLs (open or closed window) and stale-while-revalidate window, one upstream call per key at a
 * time across requests (and across instances sharing Redis), errors never kept. Without it, every
 * `aggregate` and `allocation` a dashboard refreshed went to the vendor, however many screens
 * asked the same thing.
 */
export class AggregateCache {
  readonly #options: AggregateCacheOptions;
  readonly #flight = new SingleFlight<CachedAggregate>();

  constructor(options: AggregateCacheOptions) {
    this.#options = options;
  }

  async aggregate(source: MetricSource, identity: string, query: AggregateQuery, ctx: QueryContext): Promise<CachedAggregate> {
    const policy = this.#options.policyFor(source);
    if (!policy || !source.aggregate) return { groups: source.aggregate ? await source.aggregate(query, ctx) : undefined };

    const key = aggregateCacheKey(source.id, identity, query, source.dataVersion?.());
    const swrMs = policy.staleWhileRevalidateMs ?? 0;
    const running = this.#flight.peek(key);
    const kept = swrMs === 0 && running ? undefined : await this.#options.store.get(key);
    if (kept !== undefined) {
      const answer = decode(kept);
      if (answer) {
        if (swrMs === 0 || answer.freshUntil! > this.#options.now()) {
          this.#count(source, 'hit');
          return answer;
        }
        // Past its TTL, within the revalidate window: served as it is; the first to see it refreshes it.
        this.#count(source, 'revalidate');
        const settle = this.#flight.claim(key);
        // Another instance holding the key refreshes it; until then the expired answer stands.
        if (settle) settle((await this.#claim(key)) ? this.#fetch(source, key, query, this.#options.detached(ctx), policy) : Promise.resolve(answer));
        return answer;
      }
    }
    const settle = this.#flight.claim(key);
    if (!settle) {
      this.#count(source, 'coalesced');
      return this.#flight.peek(key)!;
    }
    this.#count(source, 'miss');
    const outcome = (await this.#claim(key)) ? this.#fetch(source, key, query, ctx, policy) : this.#fromElsewhere(source, key, query, ctx, policy);
    settle(outcome);
    return outcome;
  }

  /** Whether this instance may ask for `key`: always, unless a shared store says another instance is. */
  async #claim(key: string): Promise<boolean> {
    return (await this.#options.store.claim?.(key, this.#options.flightMs)) ?? true;
  }

  /** Another instance holds `key`: its answer is read from the store, or this one asks when it lets go or takes too long. */
  async #fromElsewhere(source: MetricSource, key: string, query: AggregateQuery, ctx: QueryContext, policy: CachePolicy): Promise<CachedAggregate> {
    const kept = await awaitHolder(this.#options.store, key, this.#options.flightMs, ctx.signal).catch((reason: unknown) => {
      // The request's deadline passed while another instance held the key: a timeout of this source.
      throw requestTimeoutError(ctx.signal, source.id, reason) ?? reason;
    });
    return (kept !== undefined ? decode(kept) : undefined) ?? this.#fetch(source, key, query, ctx, policy);
  }

  /**
   * Asks the source; the flight ends once the store holds the answer (stores never reject). With
   * `maxStaleMs`, a longer-lived copy is kept too, and stands in when the source fails.
   */
  async #fetch(source: MetricSource, key: string, query: AggregateQuery, ctx: QueryContext, policy: CachePolicy): Promise<CachedAggregate> {
    const { store, now, flightMs } = this.#options;
    try {
      const asked = now();
      let groups: AggregateGroup[] | undefined;
      // Other instances wait on this key for as long as the call runs, however long the vendor takes.
      const stopHolding = holdClaims(store, [key], flightMs);
      try {
        groups = await source.aggregate!(query, ctx);
      } catch (failure) {
        if (policy.maxStaleMs && isSourceFailure(failure)) return await this.#stale(source, key, failure);
        throw failure;
      } finally {
        stopHolding();
      }
      const at = now();
      const answer: CachedAggregate = { groups, freshUntil: at + cacheTtlMs(query.range, asked, policy) };
      const ttl = answer.freshUntil! - at;
      const encoded = JSON.stringify({ groups: groups ?? null, freshUntil: answer.freshUntil });
      await store.set(key, encoded, ttl + (policy.staleWhileRevalidateMs ?? 0));
      if (policy.maxStaleMs) void store.set(staleKey(key), JSON.stringify({ at, answer: encoded }), ttl + policy.maxStaleMs);
      return answer;
    } finally {
      // Written, or failed (never kept): either way other instances may go on.
      await this.#options.store.release?.(key);
    }
  }

  /** The last good answer in place of `failure`, with a STALE_DATA warning; `failure` itself when there is none. */
  async #stale(source: MetricSource, key: string, failure: Error): Promise<CachedAggregate> {
    const kept = await this.#options.store.get(staleKey(key)).catch(() => undefined);
    const entry = kept === undefined ? undefined : readStale(kept);
    if (!entry) throw failure;
    this.#options.metrics.cacheLookups.inc({ source: source.id, result: 'stale' });
    // Good for this request only: no freshness, so no whole response is kept from it.
    return { groups: entry.groups, warnings: [staleWarning(source.id, failure, entry.at)] };
  }

  #count(source: MetricSource, result: 'hit' | 'miss' | 'coalesced' | 'revalidate'): void {
    this.#options.metrics.cacheLookups.inc({ source: source.id, result });
  }
}

/** A kept entry, or undefined when it is not one this version wrote (a miss, not a failure). */
function decode(text: string): CachedAggregate | undefined {
  try {
    const entry = JSON.parse(text) as { groups?: AggregateGroup[] | null; freshUntil?: number };
    if (typeof entry.freshUntil !== 'number' || (entry.groups !== null && !Array.isArray(entry.groups))) return undefined;
    return { groups: entry.groups ?? undefined, freshUntil: entry.freshUntil };
  } catch {
    return undefined;
  }
}

/** The longer-lived copy written next to an answer: when it arrived, and the answer as kept. */
function readStale(text: string): { at: number; groups: AggregateGroup[] | undefined } | undefined {
  try {
    const { at, answer } = JSON.parse(text) as { at: number; answer: string };
    const decoded = typeof at === 'number' && typeof answer === 'string' ? decode(answer) : undefined;
    return decoded ? { at, groups: decoded.groups } : undefined;
  } catch {
    return undefined;
  }
}
