import { describe, expect, it } from 'vitest';
import { observeSource } from '../../src/sources/observed.js';
import type { MetricQuery, MetricSource, QueryContext, QueryResult } from '../../src/sources/source.js';
import { GatewayMetrics } from '../../src/telemetry/metrics.js';

class FakeSource {
  readonly id = 'fake';
  readonly kind = 'native';
  readonly capabilities = { maxBatchSize: 10, cacheable: true, pushDownAggregation: false, writes: false };
  version = 'v1';
  async query(queries: readonly MetricQuery[]): Promise<QueryResult[]> {
    return queries.map(() => (this.version === 'fail' ? new Error('no') : []));
  }
  dataVersion(): string {
    return this.version;
  }
}

const ctx = {} as QueryContext;
const query = { metrics: ['m'], filters: [], range: { from: 0, to: 1 } } as unknown as MetricQuery;

describe('observeSource', () => {
  it('passes methods through bound to the adapter, the same function on every read', () => {
    const fake = new FakeSource();
    const observed = observeSource(fake as unknown as MetricSource, new GatewayMetrics());
    const first = observed.dataVersion!;
    expect(observed.dataVersion).toBe(first);
    fake.version = 'v2';
    expect(first()).toBe('v2');
    expect(observed.id).toBe('fake');
  });

  it('follows a method replaced on the adapter', () => {
    const fake = new FakeSource();
    const observed = observeSource(fake as unknown as MetricSource, new GatewayMetrics());
    expect(observed.dataVersion!()).toBe('v1');
    fake.dataVersion = () => 'replaced';
    expect(observed.dataVersion!()).toBe('replaced');
  });

  it('counts queries and calls by outcome', async () => {
    const fake = new FakeSource();
    const metrics = new GatewayMetrics();
    const observed = observeSource(fake as unknown as MetricSource, metrics);
    await observed.query([query, query], ctx);
    fake.version = 'fail';
    await observed.query([query], ctx);
    const calls = await metrics.upstreamCalls.get();
    const outcome = (name: string) => calls.values.find((value) => value.labels.outcome === name)?.value;
    expect(outcome('ok')).toBe(1);
    expect(outcome('partial')).toBe(1);
    expect((await metrics.upstreamQueries.get()).values[0]?.value).toBe(3);
  });
});
