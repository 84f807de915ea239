import type { AggregateGroup } from '../core/aggregate.js';
import type { AggregateQuery, MetricSource, QueryContext } from '../sources/source.js';
import type { GatewayMetrics } from '../telemetry/metrics.js';
import { awaitHolder } from './claim-holder.js';
import { aggregateCacheKey } from './keys.js';
import { SingleFlight } from './single-flight.js';
import type { CacheStore } from './store.js';
import { cacheTtlMs, type CachePolicy } from './ttl.js';

/**
 * A push-down's answer as the cache hands it out. `groups` undefined: the source declined this
 * aggregation (the gateway computes it from raw series); a decline is kept like an answer, so a
 * refused push-down is not asked again on every request.
 */
export interface CachedAggregate {
  groups: AggregateGroup[] | undefined;
  /** Until when it may be served as fresh; absent when it did not come through the cache. */
  freshUntil?: number;
}

export interface AggregateCacheOptions {
  store: CacheStore;
  metrics: GatewayMetrics;
  policyFor: (source: MetricSource) => CachePolicy | undefined;
  now: () => number;
  /** Context for refreshes that belong to no request (stale while revalidate). */
  detached: (ctx: QueryContext) => QueryContext;
  /** With a shared store: how long one instance's fetch holds a key against the others (see QueryCache). */
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
    const kept = await awaitHolder(this.#options.store, key, this.#options.flightMs, this.#options.now, ctx.signal);
    return (kept !== undefined ? decode(kept) : undefined) ?? this.#fetch(source, key, query, ctx, policy);
  }

  /** Asks the source; the flight ends once the store holds the answer (stores never reject). */
  async #fetch(source: MetricSource, key: string, query: AggregateQuery, ctx: QueryContext, policy: CachePolicy): Promise<CachedAggregate> {
    try {
      const asked = this.#options.now();
      const groups = await source.aggregate!(query, ctx);
      const at = this.#options.now();
      const answer: CachedAggregate = { groups, freshUntil: at + cacheTtlMs(query.range, asked, policy) };
      const ttl = answer.freshUntil! - at;
      await this.#options.store.set(key, JSON.stringify({ groups: groups ?? null, freshUntil: answer.freshUntil }), ttl + (policy.staleWhileRevalidateMs ?? 0));
      return answer;
    } finally {
      // Written, or failed (never kept): either way other instances may go on.
      await this.#options.store.release?.(key);
    }
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
