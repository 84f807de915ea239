import { describe, expect, it } from 'vitest';
import { aggregate, type AggregateGroup, type AggregateSpec } from '../../src/core/aggregate.js';
import type { Series } from '../../src/core/series.js';
import { seededRandom } from '../../src/core/seeded-random.js';

/**
 * Laws that hold for any data, checked on a few hundred seeded random cases: splitting into
 * groups or buckets must not create or lose points, and a percentile lies between min and max.
 * A failure names the case's seed, so it can be replayed alone.
 */

const MINUTE = 60_000;
/** 2026-11-01T12:00:00Z. */
const T0 = 1793534400000;
const CASES = 300;
const HOSTS = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
const REGIONS = ['eu', 'us', 'ap'];

interface Case {
  seed: number;
  series: Series[];
  range: { from: number; to: number };
  intervalMs: number;
  random: () => number;
}

/** 1..12 series with random labels (sometimes missing), irregular points, gaps and negative values. */
function randomCase(seed: number): Case {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const intervalMs = pick([MINUTE, 5 * MINUTE, 7 * MINUTE, 60 * MINUTE]);
  // Ranges that start and end off the bucket boundaries as often as on them.
  const from = T0 + Math.floor(random() * 90) * MINUTE + (random() < 0.5 ? 0 : Math.floor(random() * MINUTE));
  const to = from + (1 + Math.floor(random() * 600)) * MINUTE + Math.floor(random() * MINUTE);
  const counters = random() < 0.25;
  const series: Series[] = [];
  const count = 1 + Math.floor(random() * 12);
  for (let s = 0; s < count; s++) {
    const labels: Record<string, string> = {};
    if (random() < 0.9) labels.host = pick(HOSTS);
    if (random() < 0.7) labels.region = pick(REGIONS);
    const timestamps: number[] = [];
    const values: Array<number | null> = [];
    // Points may lie before and after the range too; those must not count.
    let t = from - Math.floor(random() * 30 * MINUTE);
    let total = 0;
    const points = Math.floor(random() * 200);
    for (let p = 0; p < points; p++) {
      t += 1 + Math.floor(random() * 10 * MINUTE);
      timestamps.push(t);
      if (random() < 0.1) values.push(null);
      else if (counters) {
        total = random() < 0.05 ? Math.floor(random() * 10) : total + Math.floor(random() * 100);
        values.push(total);
      } else values.push(Math.round((random() - 0.3) * 1e4) / 100);
    }
    const one: Series = { source: 'test', metric: 'm', labels, timestamps, values };
    if (counters) Object.assign(one, { type: 'counter', counterBase: random() < 0.5 ? 0 : undefined });
    series.push(one);
  }
  return { seed, series, range: { from, to }, intervalMs, random };
}

function run(c: Case, overrides: Partial<AggregateSpec>): AggregateGroup[] {
  return aggregate(c.series, { fn: 'sum', groupBy: [], range: c.range, ...overrides });
}

/** Sums compared with a tolerance relative to the magnitudes involved (Kahan keeps it tiny). */
function expectClose(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), what).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

function total(groups: readonly AggregateGroup[]): number {
  return groups.reduce((sum, group) => sum + (group.value ?? 0), 0);
}

function forEachCase(body: (c: Case) => void): void {
  for (let seed = 1; seed <= CASES; seed++) body(randomCase(seed));
}

describe('aggregate properties on seeded random data', () => {
  it('the sum of the group sums is the total sum, for any groupBy', () => {
    forEachCase((c) => {
      const whole = run(c, {})[0]?.value ?? null;
      for (const groupBy of [['host'], ['region'], ['host', 'region']]) {
        const groups = run(c, { groupBy });
        if (whole === null) expect(groups.every((g) => g.value === null), `seed ${c.seed}`).toBe(true);
        else expectClose(total(groups), whole, `seed ${c.seed} groupBy ${groupBy}`);
        expect(groups.reduce((n, g) => n + g.seriesCount, 0), `seed ${c.seed}`).toBe(c.series.length);
      }
    });
  });

  it('the counts of the buckets add up to the count over the whole range, and so do the group counts', () => {
    forEachCase((c) => {
      const whole = run(c, { fn: 'count' })[0]?.value ?? 0;
      for (const group of run(c, { fn: 'count', intervalMs: c.intervalMs, groupBy: ['host'] })) {
        expect(group.buckets!.values.reduce<number>((n, v) => n + v!, 0), `seed ${c.seed}`).toBe(group.value);
      }
      expect(total(run(c, { fn: 'count', groupBy: ['region'] })), `seed ${c.seed}`).toBe(whole);
    });
  });

  it('the sum over the buckets is the sum over the whole range', () => {
    forEachCase((c) => {
      for (const group of run(c, { fn: 'sum', intervalMs: c.intervalMs, groupBy: ['region'] })) {
        const buckets = group.buckets!;
        // Buckets start on interval boundaries, one interval apart, and cover the range.
        expect(buckets.timestamps[0]! % c.intervalMs).toBe(0);
        expect(buckets.timestamps[0]!).toBeLessThanOrEqual(c.range.from);
        expect(buckets.timestamps.at(-1)! + c.intervalMs).toBeGreaterThanOrEqual(c.range.to);
        buckets.timestamps.forEach((t, i) => i > 0 && expect(t - buckets.timestamps[i - 1]!).toBe(c.intervalMs));
        const real = buckets.values.filter((v): v is number => v !== null);
        if (group.value === null) expect(real, `seed ${c.seed}`).toEqual([]);
        else expectClose(real.reduce((a, b) => a + b, 0), group.value, `seed ${c.seed}`);
      }
    });
  });

  it('min <= any percentile <= max, per group and per bucket, with median and p50 equal', () => {
    forEachCase((c) => {
      const p = Math.round(c.random() * 1000) / 10;
      const spec = { groupBy: ['host'], intervalMs: c.intervalMs };
      const [mins, maxes, percentiles, medians, p50s] = (['min', 'max', 'percentile', 'median', 'percentile'] as const).map((fn, i) =>
        run(c, { ...spec, fn, percentile: i === 4 ? 50 : p }),
      );
      percentiles!.forEach((group, g) => {
        const what = `seed ${c.seed} p${p}`;
        if (group.value === null) expect(mins![g]!.value, what).toBeNull();
        else {
          expect(mins![g]!.value!, what).toBeLessThanOrEqual(group.value);
          expect(group.value, what).toBeLessThanOrEqual(maxes![g]!.value!);
        }
        expect(medians![g]!.value, what).toBe(p50s![g]!.value);
        group.buckets!.values.forEach((v, b) => {
          if (v === null) return expect(mins![g]!.buckets!.values[b], what).toBeNull();
          expect(mins![g]!.buckets!.values[b]!, what).toBeLessThanOrEqual(v);
          expect(v, what).toBeLessThanOrEqual(maxes![g]!.buckets!.values[b]!);
        });
      });
    });
  });

  it('the top groups and the others group cover every series and every point, and the top ones are the largest', () => {
    forEachCase((c) => {
      const all = run(c, { fn: 'sum', groupBy: ['host'] });
      const limit = 1 + Math.floor(c.random() * 4);
      const limited = run(c, { fn: 'sum', groupBy: ['host'], limit });
      const top = limited.filter((g) => !g.others);
      const others = limited.filter((g) => g.others);
      const what = `seed ${c.seed} limit ${limit}`;
      expect(top.length, what).toBe(Math.min(limit, all.length));
      expect(others.length, what).toBe(all.length > limit ? 1 : 0);
      expect(limited.reduce((n, g) => n + g.seriesCount, 0), what).toBe(c.series.length);
      expectClose(total(limited), total(all), what);
      const counts = run(c, { fn: 'count', groupBy: ['host'], limit });
      expect(total(counts), what).toBe(total(run(c, { fn: 'count' })));
      // Every kept group is at least as large as every group that went into others.
      const kept = new Set(top.map((g) => JSON.stringify(g.labels)));
      const smallestKept = Math.min(...top.map((g) => g.value ?? -Infinity));
      for (const group of all) {
        if (!kept.has(JSON.stringify(group.labels))) expect(group.value ?? -Infinity, what).toBeLessThanOrEqual(smallestKept);
      }
      // In value order, others last.
      top.forEach((g, i) => i > 0 && expect(g.value ?? -Infinity, what).toBeLessThanOrEqual(top[i - 1]!.value ?? -Infinity));
      if (others.length) expect(limited.at(-1)!.others, what).toBe(true);
    });
  });
});
