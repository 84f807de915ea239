import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/cache/memory-store.js';
import { QueryCache } from '../../src/cache/query-cache.js';
import type { AggregateGroup } from '../../src/core/aggregate.js';
import { sleep } from '../../src/core/sleep.js';
import type { AggregateQuery, MetricQuery, MetricSource, QueryContext, QueryResult } from '../../src/sources/source.js';
import { GatewayMetrics } from '../../src/telemetry/metrics.js';

const TTL_MS = 40;
const log = pino({ level: 'silent' });
const request: AggregateQuery = { metric: 'm', fn: 'sum', groupBy: ['host'], range: { from: 0, to: 1000 }, filters: [{ key: 'host', values: ['b', 'a'], exclude: false }] };

/** A source whose every aggregate answers the next number, or declines, or fails, as told. */
class AggregatingSource implements MetricSource {
  readonly id = 'src';
  readonly kind = 'native' as const;
  readonly capabilities = { maxBatchSize: 10, cacheable: true, pushDownAggregation: true, writes: false };
  calls = 0;
  contexts: QueryContext[] = [];
  mode: 'answer' | 'decline' | 'fail' = 'answer';

  async query(queries: readonly MetricQuery[]): Promise<QueryResult[]> {
    return queries.map(() => []);
  }

  async aggregate(_: AggregateQuery, ctx: QueryContext): Promise<AggregateGroup[] | undefined> {
    const value = ++this.calls;
    this.contexts.push(ctx);
    await sleep(5);
    if (this.mode === 'fail') throw new Error('upstream down');
    return this.mode === 'decline' ? undefined : [{ labels: { host: 'a' }, others: false, value, seriesCount: 1 }];
  }

  async health() {
    return { healthy: true };
  }
}

function setup(policy: { staleWhileRevalidateMs?: number } | false = {}) {
  const source = new AggregatingSource();
  const cache = new QueryCache({ store: new MemoryStore(), metrics: new GatewayMetrics(), policyFor: () => (policy ? { openTtlMs: TTL_MS, closedTtlMs: TTL_MS, settleMs: 0, ...policy } : undefined) });
  const ask = (query: AggregateQuery = request, identity = 'anon') => cache.aggregates.aggregate(source, identity, query, { log });
  return { source, ask };
}

describe('AggregateCache', () => {
  it('answers from the store within the TTL, with when the answer stops being fresh', async () => {
    const { source, ask } = setup();
    const first = await ask();
    expect(first.groups![0]!.value).toBe(1);
    expect(first.freshUntil).toBeGreaterThan(Date.now());
    const again = await ask({ ...request, filters: [{ key: 'host', values: ['a', 'b'], exclude: false }] });
    expect(again).toEqual(first);
    expect(source.calls).toBe(1);
  });

  it('keys by everything asked and by identity', async () => {
    const { source, ask } = setup();
    await ask();
    await ask({ ...request, fn: 'max' });
    await ask({ ...request, groupBy: [] });
    await ask(request, 'tenant-b');
    expect(source.calls).toBe(4);
  });

  it('asks again once the TTL is over', async () => {
    const { source, ask } = setup();
    await ask();
    await sleep(TTL_MS + 20);
    expect((await ask()).groups![0]!.value).toBe(2);
    expect(source.calls).toBe(2);
  });

  it('keeps a decline, so a push-down the source refuses is not asked again', async () => {
    const { source, ask } = setup();
    source.mode = 'decline';
    expect((await ask()).groups).toBeUndefined();
    expect((await ask()).groups).toBeUndefined();
    expect(source.calls).toBe(1);
  });

  it('keeps no failure, and every request waiting on it gets it', async () => {
    const { source, ask } = setup();
    source.mode = 'fail';
    const failures = await Promise.all([ask(), ask(), ask()].map((call) => call.catch((error: Error) => error.message)));
    expect(failures).toEqual(['upstream down', 'upstream down', 'upstream down']);
    expect(source.calls).toBe(1);
    source.mode = 'answer';
    expect((await ask()).groups![0]!.value).toBe(2);
  });

  it('serves an expired answer within the revalidate window while one background call refreshes it', async () => {
    const { source, ask } = setup({ staleWhileRevalidateMs: 1000 });
    await ask();
    await sleep(TTL_MS + 20);
    const served = await Promise.all([ask(), ask(), ask()]);
    expect(served.map((answer) => answer.groups![0]!.value)).toEqual([1, 1, 1]);
    await sleep(20);
    expect(source.calls).toBe(2);
    // The refresh belongs to no request: it runs on the cache's own signal, not the first caller's.
    expect(source.contexts[1]!.signal).toBeDefined();
    expect((await ask()).groups![0]!.value).toBe(2);
  });

  it('goes to the source every time when the source is not cached', async () => {
    const { source, ask } = setup(false);
    expect((await ask()).freshUntil).toBeUndefined();
    await ask();
    expect(source.calls).toBe(2);
  });
});

describe('AggregateCache across instances sharing a store', () => {
  /** One store seen by two instances, with claims as Redis keeps them (SET NX PX). */
  class SharedStore extends MemoryStore {
    readonly claims = new Set<string>();
    async claim(key: string): Promise<boolean> {
      if (this.claims.has(key)) return false;
      this.claims.add(key);
      return true;
    }
    async release(key: string): Promise<void> {
      this.claims.delete(key);
    }
  }
  const policy = () => ({ openTtlMs: 60_000, closedTtlMs: 60_000, settleMs: 0 });

  it('sends one call: the other instance reads the answer the first one wrote', async () => {
    const store = new SharedStore();
    const [one, two] = [new QueryCache({ store, metrics: new GatewayMetrics(), policyFor: policy }), new QueryCache({ store, metrics: new GatewayMetrics(), policyFor: policy })];
    const source = new AggregatingSource();
    const [first, second] = await Promise.all([one.aggregates.aggregate(source, 'anon', request, { log }), sleep(1).then(() => two.aggregates.aggregate(source, 'anon', request, { log }))]);
    expect(second.groups).toEqual(first.groups);
    expect(source.calls).toBe(1);
    expect(store.claims.size).toBe(0);
  });

  it('lets the claim go when the call fails, so the other instance asks itself', async () => {
    const store = new SharedStore();
    const [one, two] = [new QueryCache({ store, metrics: new GatewayMetrics(), policyFor: policy }), new QueryCache({ store, metrics: new GatewayMetrics(), policyFor: policy })];
    const source = new AggregatingSource();
    source.mode = 'fail';
    const failing = one.aggregates.aggregate(source, 'anon', request, { log }).catch((error: Error) => error.message);
    await sleep(1);
    const waiting = two.aggregates.aggregate(source, 'anon', request, { log });
    expect(await failing).toBe('upstream down');
    source.mode = 'answer';
    expect((await waiting).groups![0]!.value).toBe(2);
    expect(source.calls).toBe(2);
  });
});
