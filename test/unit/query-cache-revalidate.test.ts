import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/cache/memory-store.js';
import { QueryCache } from '../../src/cache/query-cache.js';
import { sleep } from '../../src/core/sleep.js';
import type { MetricQuery, MetricSource, QueryContext, QueryResult } from '../../src/sources/source.js';
import { GatewayMetrics } from '../../src/telemetry/metrics.js';

const TTL_MS = 40;
const log = pino({ level: 'silent' });
const query: MetricQuery = { metrics: ['m'], range: { from: 0, to: 1000 }, filters: [] };

/** A source whose every call answers the next number, once the test opens its gate (when gated). */
class CountingSource implements MetricSource {
  readonly id = 'src';
  readonly kind = 'native' as const;
  readonly capabilities = { maxBatchSize: 10, cacheable: true, pushDownAggregation: false, writes: false };
  calls = 0;
  contexts: QueryContext[] = [];
  gate: Promise<void> | undefined;
  fail = false;

  async query(queries: readonly MetricQuery[], ctx: QueryContext): Promise<QueryResult[]> {
    const value = ++this.calls;
    this.contexts.push(ctx);
    await this.gate;
    if (this.fail) return queries.map(() => new Error('upstream down'));
    return queries.map(() => [{ source: 'src', metric: 'm', labels: {}, timestamps: [1], values: [value] }]);
  }

  async health() {
    return { healthy: true };
  }
}

function setup(staleWhileRevalidateMs: number) {
  const source = new CountingSource();
  const metrics = new GatewayMetrics();
  const cache = new QueryCache({ store: new MemoryStore(), metrics, policyFor: () => ({ openTtlMs: TTL_MS, closedTtlMs: TTL_MS, settleMs: 0, staleWhileRevalidateMs }) });
  const ask = async (ctx: QueryContext = { log }) => {
    const [answer] = await cache.query(source, '', [query], ctx);
    if (answer instanceof Error) throw answer;
    return answer![0]!.values[0];
  };
  let open!: () => void;
  const hold = () => (source.gate = new Promise<void>((resolve) => (open = resolve)));
  return { source, metrics, ask, hold, release: () => open() };
}

describe('QueryCache stale while revalidate', () => {
  it('serves an expired answer at once to every caller while exactly one call refreshes it', async () => {
    const { source, ask, hold, release, metrics } = setup(5_000);
    expect(await ask()).toBe(1);
    await sleep(TTL_MS + 20);
    hold();
    // The refresh is held upstream; twenty callers still get the expired answer without waiting.
    const answers = await Promise.all(Array.from({ length: 20 }, () => ask()));
    expect(answers).toEqual(Array(20).fill(1));
    expect(source.calls).toBe(2);
    release();
    await sleep(10);
    expect(await ask()).toBe(2);
    expect(source.calls).toBe(2);
    const lookups = await metrics.cacheLookups.get();
    expect(lookups.values.find((v) => v.labels.result === 'revalidate')?.value).toBe(20);
  });

  it('refreshes apart from the request that noticed: its signal and warnings are not passed on', async () => {
    const { source, ask } = setup(5_000);
    await ask();
    await sleep(TTL_MS + 20);
    const gone = new AbortController();
    gone.abort();
    expect(await ask({ log, signal: gone.signal, warn: () => {} })).toBe(1);
    await sleep(10);
    expect(source.contexts[1]!.signal).not.toBe(gone.signal);
    expect(source.contexts[1]!.signal!.aborted).toBe(false);
    expect(source.contexts[1]!.warn).toBeUndefined();
    expect(await ask()).toBe(2);
  });

  it('keeps serving the expired answer when the refresh fails, and tries again on the next request', async () => {
    const { source, ask } = setup(5_000);
    await ask();
    await sleep(TTL_MS + 20);
    source.fail = true;
    expect(await ask()).toBe(1);
    await sleep(10);
    expect(await ask()).toBe(1);
    await sleep(10);
    expect(source.calls).toBe(3);
    source.fail = false;
    await ask();
    await sleep(10);
    expect(await ask()).toBe(4);
  });

  it('waits for the upstream once the revalidate window is over too', async () => {
    const { source, ask } = setup(30);
    await ask();
    await sleep(TTL_MS + 30 + 20);
    expect(await ask()).toBe(2);
    expect(source.calls).toBe(2);
  });

  it('without a revalidate window, an expired answer waits for its refresh', async () => {
    const { source, ask, hold, release } = setup(0);
    await ask();
    await sleep(TTL_MS + 20);
    hold();
    const waiting = Promise.all([ask(), ask()]);
    await sleep(10);
    release();
    expect(await waiting).toEqual([2, 2]);
    expect(source.calls).toBe(2);
  });
});
