import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../src/core/errors.js';
import type { MetricQuery } from '../../src/sources/source.js';
import { NativeSource } from '../../src/sources/native/adapter.js';
import { MemoryNativeStore } from '../../src/sources/native/memory-store.js';

const MINUTE = 60_000;
/** 2026-11-01T12:00:00Z. */
const T0 = 1793534400000;
const NOW = T0 + 10 * MINUTE;

/**
 * The native collector's own guard behind the demand estimate: it counts the points it builds for
 * one query and stops at QueryContext.maxPoints, before making the buckets that would go over.
 */
describe('native answers within maxPoints', () => {
  const hosts = ['a', 'b', 'c'];
  async function source(): Promise<NativeSource> {
    const native = new NativeSource('native', new MemoryNativeStore({ sweepEveryMs: 0 }));
    for (const host of hosts) {
      for (let minute = 0; minute < 10; minute++) await native.write({ name: 'cpu', value: minute, timestamp: T0 + minute * MINUTE, labels: { host } }, NOW);
    }
    return native;
  }
  const query = (intervalMs?: number): MetricQuery => ({
    metrics: ['cpu'], range: { from: T0, to: T0 + 10 * MINUTE }, filters: [], ...(intervalMs ? { intervalMs } : {}),
  });

  it('answers resampled series at exactly the limit and refuses one point less', async () => {
    const native = await source();
    const [fits] = await native.query([query(MINUTE)], { maxPoints: 30 });
    expect(fits).not.toBeInstanceOf(Error);
    expect((fits as Array<{ timestamps: number[] }>).reduce((sum, s) => sum + s.timestamps.length, 0)).toBe(30);
    const [refused] = await native.query([query(MINUTE)], { maxPoints: 29 });
    expect(refused).toBeInstanceOf(BadUserInputError);
    expect((refused as Error).message).toMatch(/^the resampled answer holds more than 29 points \(the per-field budget\)/);
  });

  it('passes raw points on whatever the limit: they are the store\'s own, bounded by its maxPointsPerSeries', async () => {
    const [raw] = await (await source()).query([query()], { maxPoints: 1 });
    expect((raw as Array<{ timestamps: number[] }>).map((s) => s.timestamps.length)).toEqual([10, 10, 10]);
  });

  it('counts the series a query will answer with, and bounds raw points by the store\'s maxPointsPerSeries', async () => {
    const native = await source();
    expect(await native.demandHint(query())).toEqual({ series: 3, rawPointsPerSeries: native.store.limits.maxPointsPerSeries });
    expect(await native.demandHint({ ...query(), filters: [{ key: 'host', values: ['a'], exclude: false }] })).toMatchObject({ series: 1 });
    expect(await native.demandHint({ ...query(), metrics: ['nothing_here'] })).toMatchObject({ series: 0 });
  });
});
