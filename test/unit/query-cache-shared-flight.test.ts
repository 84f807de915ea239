import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { queryCacheKey } from '../../src/cache/keys.js';
import { MemoryStore } from '../../src/cache/memory-store.js';
import { QueryCache } from '../../src/cache/query-cache.js';
import { sleep } from '../../src/core/sleep.js';
import { RequestDeadline } from '../../src/resilience/request-deadline.js';
import type { MetricQuery, MetricSource, QueryResult } from '../../src/sources/source.js';
import { GatewayMetrics } from '../../src/telemetry/metrics.js';

/** One store seen by two instances, with claims as Redis keeps them (SET NX PX). */
class SharedStore extends MemoryStore {
  readonly claims = new Map<string, number>();
  async claim(key: string, ttlMs: number): Promise<boolean> {
    const until = this.claims.get(key);
    if (until !== undefined && until > Date.now()) return false;
    this.claims.set(key, Date.now() + ttlMs);
    return true;
  }
  async release(key: string): Promise<void> {
    this.claims.delete(key);
  }
  /** As Redis's PEXPIRE: a claim already lapsed stays lapsed. (The store cannot tell instances apart; callers only renew their own.) */
  async extend(key: string, ttlMs: number): Promise<void> {
    const until = this.claims.get(key);
    if (until !== undefined && until > Date.now()) this.claims.set(key, Date.now() + ttlMs);
  }
}

function source(answerMs: number) {
  const counted = {
    calls: 0,
    value: 1,
    id: 'src',
    kind: 'native' as const,
    capabilities: { maxBatchSize: 10, cacheable: true, pushDownAggregation: false, writes: false },
    async query(queries: readonly MetricQuery[]): Promise<QueryResult[]> {
      counted.calls++;
      await sleep(answerMs);
      return queries.map(() => [{ source: 'src', metric: 'm', labels: {}, timestamps: [1], values: [counted.value] }]);
    },
    health: async () => ({ healthy: true }),
  };
  return counted;
}

const ctx = { log: pino({ level: 'silent' }) };
const query: MetricQuery = { metrics: ['m'], range: { from: 0, to: 1000 }, filters: [] };
const cacheOn = (store: SharedStore, options: { flightMs?: number; staleWhileRevalidateMs?: number; ttlMs?: number } = {}) =>
  new QueryCache({
    store,
    metrics: new GatewayMetrics(),
    flightMs: options.flightMs ?? 10_000,
    policyFor: () => ({ openTtlMs: options.ttlMs ?? 60_000, closedTtlMs: options.ttlMs ?? 60_000, settleMs: 0, staleWhileRevalidateMs: options.staleWhileRevalidateMs ?? 0 }),
  });
const valueOf = (answer: QueryResult | undefined) => (answer as Array<{ values: number[] }>)[0]!.values[0];

describe('QueryCache single flight across instances', () => {
  it.each([
    ['waits for the instance holding the key and reads its answer from the store', { flightMs: 10_000, answerMs: 100 }],
    ['waits for a holder whose call outlasts flightMs: the holder renews its claim while it asks', { flightMs: 100, answerMs: 350 }],
  ])('%s', async (_, { flightMs, answerMs }) => {
    const store = new SharedStore();
    const [one, two] = [cacheOn(store, { flightMs }), cacheOn(store, { flightMs })];
    const upstream = source(answerMs);
    const [first, second] = await Promise.all([one.query(upstream as MetricSource, '', [query], ctx), sleep(20).then(() => two.query(upstream as MetricSource, '', [query], ctx))]);
    expect(valueOf(first[0])).toBe(1);
    expect(valueOf(second[0])).toBe(1);
    expect(upstream.calls).toBe(1);
    expect(store.claims.size).toBe(0);
  });

  it('asks itself once a holder stops renewing its claim (gone or stuck)', async () => {
    const store = new SharedStore();
    const upstream = source(10);
    // A holder that died after claiming: nothing renews its claim, which lapses after flightMs.
    await store.claim(queryCacheKey('src', '', query), 150);
    const started = Date.now();
    const [answer] = await cacheOn(store, { flightMs: 150 }).query(upstream as MetricSource, '', [query], ctx);
    expect(valueOf(answer)).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(upstream.calls).toBe(1);
  });

  it('stops waiting when the request goes away', async () => {
    const store = new SharedStore();
    const upstream = source(10);
    await store.claim(queryCacheKey('src', '', query), 10_000);
    const caller = new AbortController();
    setTimeout(() => caller.abort(new Error('client left')), 50);
    const [answer] = await cacheOn(store).query(upstream as MetricSource, '', [query], { ...ctx, signal: caller.signal });
    expect((answer as Error).message).toBe('client left');
    expect(upstream.calls).toBe(0);
  });

  it('keeps serving an expired answer while another instance refreshes it', async () => {
    const store = new SharedStore();
    const upstream = source(10);
    const one = cacheOn(store, { ttlMs: 30, staleWhileRevalidateMs: 5_000 });
    await one.query(upstream as MetricSource, '', [query], ctx);
    await sleep(50);
    await store.claim(queryCacheKey('src', '', query), 10_000);
    upstream.value = 2;
    const [served] = await cacheOn(store, { ttlMs: 30, staleWhileRevalidateMs: 5_000 }).query(upstream as MetricSource, '', [query], ctx);
    expect(valueOf(served)).toBe(1);
    expect(upstream.calls).toBe(1);
  });

  it("answers GATEWAY_TIMEOUT for the source when the request's deadline passes while another instance holds the key", async () => {
    const store = new SharedStore();
    const upstream = source(10);
    // Another instance holds the key for longer than this request may wait.
    await store.claim(queryCacheKey('src', '', query), 60_000);
    const deadline = new RequestDeadline(50, () => new AbortController().signal);
    const [answer] = await cacheOn(store).query(upstream as MetricSource, '', [query], { ...ctx, signal: deadline.signal });
    expect(answer).toMatchObject({ code: 'GATEWAY_TIMEOUT', source: 'src', message: 'src did not answer within the request deadline (requestDeadlineMs: 50)' });
    expect(upstream.calls).toBe(0);
  });
});
