import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../src/core/errors.js';
import { bucketize, reducers } from '../../src/core/series.js';
import type { MetricQuery } from '../../src/sources/source.js';
import { NativeSource } from '../../src/sources/native/adapter.js';
import { MemoryNativeStore } from '../../src/sources/native/memory-store.js';

const MINUTE = 60_000;
/** 2026-11-01T12:00:00Z, on every round boundary up to a day. */
const T0 = 1793534400000;

/** The store's clock: just after the last point below. */
const NOW = T0 + 10 * MINUTE;

async function source(): Promise<NativeSource> {
  const native = new NativeSource('native', new MemoryNativeStore({ sweepEveryMs: 0 }));
  // A gauge sampled every minute with a gap from minute 4 to 7, and a counter with increments of 1, 2, 3, ...
  for (const [minute, value] of [[0, 10], [1, 20], [2, 30], [3, 40], [8, 90], [9, 100]] as const) {
    await native.write({ name: 'cpu', value, timestamp: T0 + minute * MINUTE, labels: { host: 'a' }, unit: 'percent' }, NOW);
  }
  await native.write({ name: 'cpu', value: 55, timestamp: T0 + MINUTE, labels: { host: 'b' } }, NOW);
  for (let minute = 0; minute < 10; minute++) {
    await native.write({ name: 'jobs', type: 'counter', value: minute + 1, timestamp: T0 + minute * MINUTE, service: 'worker' }, NOW);
  }
  return native;
}

function query(overrides: Partial<MetricQuery>): MetricQuery {
  return { metrics: ['cpu'], range: { from: T0, to: T0 + 10 * MINUTE }, filters: [], ...overrides };
}

async function answer(native: NativeSource, q: MetricQuery) {
  const [result] = await native.query([q]);
  if (result instanceof Error) throw result;
  return result!;
}

describe('native raw queries', () => {
  it('slice the range half-open: from is in, to is out', async () => {
    const [a] = await answer(await source(), query({ range: { from: T0 + MINUTE, to: T0 + 3 * MINUTE }, filters: [{ key: 'host', values: ['a'], exclude: false }] }));
    expect(a).toEqual({
      source: 'native',
      metric: 'cpu',
      type: 'gauge',
      unit: 'percent',
      labels: { host: 'a' },
      timestamps: [T0 + MINUTE, T0 + 2 * MINUTE],
      values: [20, 30],
    });
  });

  it('leave out series with no points in the range', async () => {
    const series = await answer(await source(), query({ range: { from: T0 + 2 * MINUTE, to: T0 + 10 * MINUTE } }));
    expect(series.map((s) => s.labels)).toEqual([{ host: 'a' }]);
  });

  it('give counters as running totals', async () => {
    const [jobs] = await answer(await source(), query({ metrics: ['jobs'], range: { from: T0 + 7 * MINUTE, to: T0 + 10 * MINUTE } }));
    expect(jobs!.labels).toEqual({ service: 'worker' });
    expect(jobs!.values).toEqual([36, 45, 55]);
    // The running total before the range, so the first point in it counts as an increment too.
    expect(jobs!.counterBase).toBe(28);
  });
});

describe('native resampled queries', () => {
  it('use UTC-aligned buckets with the mean for gauges and null for gaps', async () => {
    const [a] = await answer(
      await source(),
      query({ range: { from: T0 + 30_000, to: T0 + 10 * MINUTE }, intervalMs: 2 * MINUTE, filters: [{ key: 'host', values: ['a'], exclude: false }] }),
    );
    expect(a!.intervalMs).toBe(2 * MINUTE);
    expect(a!.timestamps).toEqual([T0, T0 + 2 * MINUTE, T0 + 4 * MINUTE, T0 + 6 * MINUTE, T0 + 8 * MINUTE]);
    // The point at T0 is before from, so the first bucket holds minute 1 only.
    expect(a!.values).toEqual([20, 35, null, null, 95]);
  });

  it('use the last running total per bucket for counters', async () => {
    const [jobs] = await answer(await source(), query({ metrics: ['jobs'], intervalMs: 5 * MINUTE }));
    expect(jobs!.timestamps).toEqual([T0, T0 + 5 * MINUTE]);
    expect(jobs!.values).toEqual([15, 55]);
  });
});

describe('native label filters', () => {
  it('include only the listed values', async () => {
    const series = await answer(await source(), query({ filters: [{ key: 'host', values: ['b', 'c'], exclude: false }] }));
    expect(series.map((s) => [s.labels, s.values])).toEqual([[{ host: 'b' }, [55]]]);
  });

  it('exclude the listed values and keep series without the label', async () => {
    expect((await answer(await source(), query({ filters: [{ key: 'host', values: ['a'], exclude: true }] }))).map((s) => s.labels)).toEqual([{ host: 'b' }]);
    const jobs = await answer(await source(), query({ metrics: ['jobs'], filters: [{ key: 'host', values: ['a'], exclude: true }] }));
    expect(jobs.map((s) => s.labels)).toEqual([{ service: 'worker' }]);
  });

  it('drop series without the label when including', async () => {
    expect(await answer(await source(), query({ metrics: ['jobs'], filters: [{ key: 'host', values: ['a'], exclude: false }] }))).toEqual([]);
  });
});

describe('native batches', () => {
  it('answer an invalid metric name with an Error in its slot only', async () => {
    const native = await source();
    const results = await native.query([
      query({ metrics: ['jobs'], intervalMs: 5 * MINUTE }),
      query({ metrics: ['not a metric!'] }),
      query({ filters: [{ key: 'host', values: ['b'], exclude: false }] }),
    ]);
    expect(results).toHaveLength(3);
    expect((results[0] as unknown[]).length).toBe(1);
    expect(results[1]).toBeInstanceOf(BadUserInputError);
    expect((results[1] as BadUserInputError).message).toBe("metric 'not a metric!' is not a valid metric name");
    expect((results[1] as BadUserInputError).extensions()).toEqual({ code: 'BAD_USER_INPUT', source: 'native', field: 'metric' });
    expect(results[2]).toEqual([expect.objectContaining({ labels: { host: 'b' }, values: [55] })]);
  });

  it('answer an unknown but valid metric with no series', async () => {
    expect(await answer(await source(), query({ metrics: ['never_pushed'] }))).toEqual([]);
  });
});

describe('bucketize', () => {
  const range = { from: 1_000, to: 10_000 };

  it('stamps each bucket with its start, from the step boundary at or before from', () => {
    expect(bucketize([], [], range, 4_000, reducers.avg)).toEqual({ timestamps: [0, 4_000, 8_000], values: [null, null, null] });
  });

  it('reduces the points of each bucket and leaves empty buckets null, not zero', () => {
    const out = bucketize([500, 1_000, 3_999, 8_000, 9_999, 10_000], [100, 1, 3, 8, 10, 1_000], range, 4_000, reducers.avg);
    expect(out.values).toEqual([2, null, 9]);
    expect(bucketize([1_000, 3_999, 8_000], [1, 3, 8], range, 4_000, reducers.last).values).toEqual([3, null, 8]);
  });

  it('gives no buckets for an empty range', () => {
    expect(bucketize([1], [1], { from: 5_000, to: 5_000 }, 1_000, reducers.last)).toEqual({ timestamps: [], values: [] });
  });
});
