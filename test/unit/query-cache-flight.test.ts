import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/cache/memory-store.js';
import { QueryCache } from '../../src/cache/query-cache.js';
import type { MetricQuery, MetricSource } from '../../src/sources/source.js';
import { GatewayMetrics } from '../../src/telemetry/metrics.js';

/** A store whose writes land only when the test says so (a slow Redis SET). */
class SlowWriteStore extends MemoryStore {
  readonly pending: Array<() => void> = [];
  override async set(key: string, value: string, ttlMs: number): Promise<void> {
    await new Promise<void>((resolve) => this.pending.push(resolve));
    return super.set(key, value, ttlMs);
  }
}

describe('QueryCache single flight', () => {
  it('holds the flight until the store has the answer, so a request in between does not call upstream again', async () => {
    let calls = 0;
    const source: MetricSource = {
      id: 'src',
      kind: 'native',
      capabilities: { maxBatchSize: 10, cacheable: true, pushDownAggregation: false, writes: false },
      query: async (queries) => {
        calls++;
        return queries.map(() => [{ source: 'src', metric: 'm', labels: {}, timestamps: [1], values: [2] }]);
      },
      health: async () => ({ healthy: true }),
    };
    const store = new SlowWriteStore();
    const cache = new QueryCache({ store, metrics: new GatewayMetrics(), policyFor: () => ({ openTtlMs: 60_000, closedTtlMs: 60_000, settleMs: 0 }) });
    const query: MetricQuery = { metrics: ['m'], range: { from: 0, to: 1000 }, filters: [] };
    const ctx = { log: pino({ level: 'silent' }) };

    const [first] = await cache.query(source, '', [query], ctx);
    expect((first as Array<{ values: number[] }>)[0]!.values).toEqual([2]);
    // The upstream answered; the write has not landed. A second request now joins the flight.
    const second = cache.query(source, '', [query], ctx);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(store.pending).toHaveLength(1);
    store.pending.shift()!();
    expect((await second)[0]).toBe(first);
    expect(calls).toBe(1);
    // And once written, the store answers.
    await cache.query(source, '', [query], ctx);
    expect(calls).toBe(1);
  });
});
