import { describe, expect, it } from 'vitest';
import { aggregate, forEachPoint, type AggregateSpec } from '../../src/core/aggregate.js';
import { BadUserInputError } from '../../src/core/errors.js';
import { quantileInPlace } from '../../src/core/quantile.js';
import { AGGREGATE_FUNCTIONS, reduce, type AggregateFunction } from '../../src/core/reduce.js';
import type { Labels, Series } from '../../src/core/series.js';
import { seededRandom } from '../../src/core/seeded-random.js';

/** Every aggregate function against numbers worked out by hand. */

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** 2026-11-01T12:00:00Z, on every round boundary up to an hour (and 12 hours off a UTC midnight). */
const T0 = 1793534400000;

function series(labels: Labels, points: Array<[number, number | null]>, extra: Partial<Series> = {}): Series {
  return {
    source: 'test',
    metric: 'm',
    labels,
    timestamps: points.map(([t]) => t),
    values: points.map(([, v]) => v),
    ...extra,
  };
}

function spec(overrides: Partial<AggregateSpec>): AggregateSpec {
  return { fn: 'sum', groupBy: [], range: { from: T0, to: T0 + 10 * MINUTE }, ...overrides };
}

/** One value over the whole range of one group. */
function whole(input: readonly Series[], overrides: Partial<AggregateSpec>): number | null {
  const groups = aggregate(input, spec(overrides));
  expect(groups).toHaveLength(1);
  return groups[0]!.value;
}

describe('reduce: each function over one bucket', () => {
  // Four points given out of time order, so first/last must look at timestamps, not positions.
  const bucket = { values: [4, 1, 3, 2], timestamps: [T0 + 3 * SECOND, T0, T0 + 2 * SECOND, T0 + SECOND], weights: [1, 1, 2, 0] };
  const expected: Record<AggregateFunction, number> = {
    sum: 10,
    avg: 2.5,
    min: 1,
    max: 4,
    count: 4,
    first: 1, // at T0
    last: 4, // at T0 + 3s
    median: 2.5, // between 2 and 3
    percentile: 3.85, // p95: rank 0.95 * 3 = 2.85, so 3 + 0.85 * (4 - 3)
    rate: 1, // 10 over a 10 s bucket
    stddev: Math.sqrt(1.25), // population: squared deviations 2.25 + 0.25 + 0.25 + 2.25 over 4
    wavg: 2.75, // (4*1 + 1*1 + 3*2 + 2*0) / (1 + 1 + 2 + 0)
  };

  it.each(AGGREGATE_FUNCTIONS.map((fn) => [fn, expected[fn]] as const))('%s of 4, 1, 3, 2 is %s', (fn, value) => {
    const copy = { values: [...bucket.values], timestamps: [...bucket.timestamps], weights: [...bucket.weights] };
    expect(reduce(fn, copy, { percentile: 95, spanMs: 10 * SECOND })).toBeCloseTo(value, 12);
    // Percentiles select on a copy: the caller's points keep their order.
    expect(copy.values).toEqual(bucket.values);
  });

  it('gives null for an empty bucket (no data is not zero), except count, which is 0', () => {
    for (const fn of AGGREGATE_FUNCTIONS) {
      const out = reduce(fn, { values: [], timestamps: [], weights: [] }, { percentile: 50, spanMs: MINUTE });
      expect(out, fn).toBe(fn === 'count' ? 0 : null);
    }
  });

  it('gives the point itself for a single point, a zero spread, and a rate over the span', () => {
    const one = () => ({ values: [7], timestamps: [T0], weights: [3] });
    for (const fn of ['sum', 'avg', 'min', 'max', 'first', 'last', 'median', 'percentile', 'wavg'] as const) {
      expect(reduce(fn, one(), { percentile: 99, spanMs: MINUTE }), fn).toBe(7);
    }
    expect(reduce('count', one(), { spanMs: MINUTE })).toBe(1);
    expect(reduce('stddev', one(), { spanMs: MINUTE })).toBe(0);
    expect(reduce('rate', one(), { spanMs: 2 * SECOND })).toBe(3.5);
  });

  it('gives the constant for a constant series and no spread', () => {
    const constant = () => ({ values: [5, 5, 5, 5, 5], timestamps: [0, 1, 2, 3, 4].map((i) => T0 + i * SECOND), weights: [1, 2, 3, 4, 5] });
    for (const fn of ['avg', 'min', 'max', 'first', 'last', 'median', 'percentile', 'wavg'] as const) {
      expect(reduce(fn, constant(), { percentile: 95, spanMs: MINUTE }), fn).toBe(5);
    }
    expect(reduce('sum', constant(), { spanMs: MINUTE })).toBe(25);
    expect(reduce('stddev', constant(), { spanMs: MINUTE })).toBe(0);
  });

  it('picks the latest point for last and the earliest for first, whatever the order given', () => {
    const points = { values: [30, 10, 20], timestamps: [T0 + 2 * SECOND, T0, T0 + SECOND] };
    expect(reduce('first', points, { spanMs: MINUTE })).toBe(10);
    expect(reduce('last', points, { spanMs: MINUTE })).toBe(30);
  });

  it('reads percentile 0 as the minimum and 100 as the maximum', () => {
    const points = () => ({ values: [8, -3, 5, 12, 0], timestamps: [1, 2, 3, 4, 5] });
    expect(reduce('percentile', points(), { percentile: 0, spanMs: 1 })).toBe(-3);
    expect(reduce('percentile', points(), { percentile: 100, spanMs: 1 })).toBe(12);
    expect(reduce('percentile', points(), { percentile: 50, spanMs: 1 })).toBe(5);
    expect(reduce('median', points(), { spanMs: 1 })).toBe(5);
  });

  it('leaves points without a finite weight out of a weighted average, and gives null when no weight is left', () => {
    expect(reduce('wavg', { values: [10, 20, 1_000], timestamps: [1, 2, 3], weights: [1, 3, Number.NaN] }, { spanMs: 1 })).toBe(17.5);
    expect(reduce('wavg', { values: [10, 20], timestamps: [1, 2], weights: [0, 0] }, { spanMs: 1 })).toBeNull();
    expect(reduce('wavg', { values: [10, 20], timestamps: [1, 2] }, { spanMs: 1 })).toBeNull();
  });

  it('sums without drifting in the last digits', () => {
    // Adding 0.1 ten times the plain way gives 0.9999999999999999.
    const values = Array.from({ length: 10 }, () => 0.1);
    expect(reduce('sum', { values, timestamps: values.map((_, i) => i) }, { spanMs: 1 })).toBe(1);
  });
});

describe('aggregate: gaps are not zeros', () => {
  const gappy = [series({ host: 'a' }, [[T0, 1], [T0 + MINUTE, null], [T0 + 2 * MINUTE, 3], [T0 + 3 * MINUTE, null]])];

  it('leaves null points out of every function over the range', () => {
    expect(whole(gappy, { fn: 'sum' })).toBe(4);
    expect(whole(gappy, { fn: 'count' })).toBe(2);
    expect(whole(gappy, { fn: 'avg' })).toBe(2);
    expect(whole(gappy, { fn: 'min' })).toBe(1);
    expect(whole(gappy, { fn: 'median' })).toBe(2);
    expect(whole(gappy, { fn: 'last' })).toBe(3);
    expect(whole(gappy, { fn: 'stddev' })).toBe(1);
  });

  it('gives a null bucket (count 0) where only null points or none fell', () => {
    const [sum] = aggregate(gappy, spec({ fn: 'sum', range: { from: T0, to: T0 + 5 * MINUTE }, intervalMs: MINUTE }));
    expect(sum!.buckets).toEqual({
      timestamps: [0, 1, 2, 3, 4].map((i) => T0 + i * MINUTE),
      values: [1, null, 3, null, null],
    });
    const [count] = aggregate(gappy, spec({ fn: 'count', range: { from: T0, to: T0 + 5 * MINUTE }, intervalMs: MINUTE }));
    expect(count!.buckets!.values).toEqual([1, 0, 1, 0, 0]);
    const [avg] = aggregate(gappy, spec({ fn: 'avg', range: { from: T0, to: T0 + 5 * MINUTE }, intervalMs: MINUTE }));
    expect(avg!.buckets!.values).toEqual([1, null, 3, null, null]);
  });

  it('gives a null value for a series with nothing but gaps, and no group at all for no series', () => {
    const empty = [series({ host: 'a' }, [[T0, null], [T0 + MINUTE, null]])];
    expect(aggregate(empty, spec({ fn: 'sum' }))).toEqual([{ labels: {}, others: false, value: null, seriesCount: 1 }]);
    expect(aggregate(empty, spec({ fn: 'count' }))[0]!.value).toBe(0);
    expect(aggregate([], spec({ fn: 'sum' }))).toEqual([]);
  });

  it('leaves non-finite values out like gaps', () => {
    const odd = [series({}, [[T0, 2], [T0 + SECOND, Number.NaN], [T0 + 2 * SECOND, Infinity], [T0 + 3 * SECOND, 4]])];
    expect(whole(odd, { fn: 'avg' })).toBe(3);
    expect(whole(odd, { fn: 'count' })).toBe(2);
  });
});

describe('aggregate: the range is half-open', () => {
  it('counts a point at from and leaves out a point at to', () => {
    const s = [series({}, [[T0 - 1, 100], [T0, 1], [T0 + 10 * MINUTE - 1, 2], [T0 + 10 * MINUTE, 1_000]])];
    expect(whole(s, { fn: 'sum' })).toBe(3);
    expect(whole(s, { fn: 'count' })).toBe(2);
  });
});

describe('aggregate: counters become increments, resets included', () => {
  // Running totals 10, 20, then a restart (5), then 15.
  const points: Array<[number, number]> = [[T0, 10], [T0 + MINUTE, 20], [T0 + 2 * MINUTE, 5], [T0 + 3 * MINUTE, 15]];
  const range = { from: T0, to: T0 + 4 * MINUTE };

  it('reads 10, 20, 5, 15 from a base of 0 as increments 10, 10, 5, 10', () => {
    const visited: number[] = [];
    forEachPoint(series({}, points, { type: 'counter', counterBase: 0 }), range, (_, v) => visited.push(v));
    expect(visited).toEqual([10, 10, 5, 10]);
    const counter = [series({}, points, { type: 'counter', counterBase: 0 })];
    expect(whole(counter, { fn: 'sum', range })).toBe(35);
    expect(whole(counter, { fn: 'rate', range })).toBeCloseTo(35 / 240, 12);
    expect(whole(counter, { fn: 'max', range })).toBe(10);
    expect(whole(counter, { fn: 'count', range })).toBe(4);
  });

  it('counts the first point from a known base above zero', () => {
    expect(whole([series({}, points, { type: 'counter', counterBase: 8 })], { fn: 'sum', range })).toBe(27);
  });

  it('cannot count the first point when the base is unknown, and says so by leaving it out', () => {
    const visited: number[] = [];
    forEachPoint(series({}, points, { type: 'counter' }), range, (_, v) => visited.push(v));
    expect(visited).toEqual([10, 5, 10]);
    expect(whole([series({}, points, { type: 'counter' })], { fn: 'sum', range })).toBe(25);
  });

  it('uses points before the range as the base for the first increment inside it', () => {
    const later = { from: T0 + 2 * MINUTE, to: T0 + 4 * MINUTE };
    // 20 -> 5 is a reset (increment 5), 5 -> 15 is 10.
    expect(whole([series({}, points, { type: 'counter', counterBase: 0 })], { fn: 'sum', range: later })).toBe(15);
  });

  it('puts each increment in the bucket of the point that ends it', () => {
    const [group] = aggregate([series({}, points, { type: 'counter', counterBase: 0 })], spec({ fn: 'rate', range, intervalMs: 2 * MINUTE }));
    expect(group!.buckets!.values[0]).toBeCloseTo(20 / 120, 12);
    expect(group!.buckets!.values[1]).toBeCloseTo(15 / 120, 12);
  });

  it('skips gaps in a counter without resetting', () => {
    const gappy: Array<[number, number | null]> = [[T0, 10], [T0 + MINUTE, null], [T0 + 2 * MINUTE, 25]];
    expect(whole([series({}, gappy, { type: 'counter', counterBase: 0 })], { fn: 'sum', range })).toBe(25);
  });

  it('leaves gauges as they are', () => {
    expect(whole([series({}, points, { type: 'gauge' })], { fn: 'sum', range })).toBe(50);
  });
});

describe('aggregate: buckets align to UTC interval boundaries', () => {
  it('starts at the boundary at or before from, stamps buckets with their start, and bins by floor', () => {
    const range = { from: T0 + 90 * SECOND, to: T0 + 5 * MINUTE + 30 * SECOND };
    const s = [series({}, [
      [T0 + 60 * SECOND, 1_000], // before from: out
      [T0 + 90 * SECOND, 1], // bucket 1m
      [T0 + 2 * MINUTE - 1, 2], // bucket 1m
      [T0 + 2 * MINUTE, 4], // bucket 2m
      [T0 + 5 * MINUTE + 29_999, 8], // bucket 5m
      [T0 + 5 * MINUTE + 30 * SECOND, 1_000], // at to: out
    ])];
    const [group] = aggregate(s, spec({ fn: 'sum', range, intervalMs: MINUTE }));
    expect(group!.buckets).toEqual({
      timestamps: [1, 2, 3, 4, 5].map((i) => T0 + i * MINUTE),
      values: [3, 4, null, null, 8],
    });
    expect(group!.value).toBe(15);
  });

  it('puts daily buckets on UTC midnights', () => {
    // 2026-10-30T18:00Z to 2026-11-02T18:00Z.
    const range = { from: T0 - 42 * HOUR, to: T0 + 30 * HOUR };
    const s = [series({}, [[T0 - 42 * HOUR, 1], [T0 - 36 * HOUR, 1], [T0 - 12 * HOUR - 1, 2], [T0 - 12 * HOUR, 3], [T0, 4], [T0 + 12 * HOUR, 5]])];
    const [group] = aggregate(s, spec({ fn: 'sum', range, intervalMs: DAY }));
    expect(group!.buckets!.timestamps.map((t) => new Date(t).toISOString())).toEqual([
      '2026-10-30T00:00:00.000Z',
      '2026-10-31T00:00:00.000Z',
      '2026-11-01T00:00:00.000Z',
      '2026-11-02T00:00:00.000Z',
    ]);
    expect(group!.buckets!.values).toEqual([1, 3, 7, 5]);
  });

  it('gives every group the same bucket timestamps, gaps included', () => {
    const s = [series({ host: 'a' }, [[T0, 1]]), series({ host: 'b' }, [[T0 + 9 * MINUTE, 2]])];
    const groups = aggregate(s, spec({ fn: 'max', groupBy: ['host'], intervalMs: 5 * MINUTE }));
    expect(groups.map((g) => [g.labels, g.buckets])).toEqual([
      [{ host: 'a' }, { timestamps: [T0, T0 + 5 * MINUTE], values: [1, null] }],
      [{ host: 'b' }, { timestamps: [T0, T0 + 5 * MINUTE], values: [null, 2] }],
    ]);
  });

  it('takes a bucket\'s length as the span of its rate', () => {
    const s = [series({}, [[T0, 60], [T0 + 6 * MINUTE, 120]])];
    const [group] = aggregate(s, spec({ fn: 'rate', intervalMs: 5 * MINUTE }));
    expect(group!.buckets!.values).toEqual([60 / 300, 120 / 300]);
    expect(group!.value).toBe(180 / 600);
  });
});

describe('aggregate: groups', () => {
  const input = [
    series({ host: 'a', region: 'eu' }, [[T0, 1], [T0 + MINUTE, 2]]),
    series({ host: 'b', region: 'eu' }, [[T0, 10]]),
    series({ host: 'c', region: 'us' }, [[T0, 100]]),
    series({ host: 'd' }, [[T0, 1_000]]),
  ];

  it('gives one group over all series without groupBy', () => {
    expect(aggregate(input, spec({ fn: 'sum' }))).toEqual([{ labels: {}, others: false, value: 1_113, seriesCount: 4 }]);
  });

  it('groups by a label, with series lacking the label in a group of their own, sorted by labels', () => {
    expect(aggregate(input, spec({ fn: 'sum', groupBy: ['region'] })).map((g) => [g.labels, g.value, g.seriesCount])).toEqual([
      [{}, 1_000, 1],
      [{ region: 'eu' }, 13, 2],
      [{ region: 'us' }, 100, 1],
    ]);
  });

  it('groups by several labels', () => {
    expect(aggregate(input, spec({ fn: 'avg', groupBy: ['region', 'host'] })).map((g) => [g.labels, g.value])).toEqual([
      [{ host: 'a', region: 'eu' }, 1.5],
      [{ host: 'b', region: 'eu' }, 10],
      [{ host: 'c', region: 'us' }, 100],
      [{ host: 'd' }, 1_000],
    ]);
  });
});

describe('aggregate: top-N with an others group', () => {
  const input = [
    series({ host: 'a' }, [[T0, 10]]),
    series({ host: 'b' }, [[T0, 40]]),
    series({ host: 'c' }, [[T0, 30], [T0 + 5 * MINUTE, 5]]),
    series({ host: 'c' }, [[T0 + MINUTE, 5]]),
    series({ host: 'd' }, [[T0 + 6 * MINUTE, 20]]),
  ];

  it('keeps the top groups by value, in value order, and merges the rest into one others group', () => {
    const groups = aggregate(input, spec({ fn: 'sum', groupBy: ['host'], limit: 2, intervalMs: 5 * MINUTE }));
    expect(groups).toEqual([
      { labels: { host: 'b' }, others: false, value: 40, seriesCount: 1, buckets: { timestamps: [T0, T0 + 5 * MINUTE], values: [40, null] } },
      { labels: { host: 'c' }, others: false, value: 40, seriesCount: 2, buckets: { timestamps: [T0, T0 + 5 * MINUTE], values: [35, 5] } },
      { labels: {}, others: true, value: 30, seriesCount: 2, buckets: { timestamps: [T0, T0 + 5 * MINUTE], values: [10, 20] } },
    ]);
  });

  it('computes the others group from the merged points, not from the groups\' values', () => {
    // The rest of max is a, c, d: max(10, 30, 5, 5, 20). The rest of median is a and c: median(10, 30, 5, 5).
    const max = aggregate(input, spec({ fn: 'max', groupBy: ['host'], limit: 1 }));
    expect(max.map((g) => [g.labels, g.value, g.others])).toEqual([[{ host: 'b' }, 40, false], [{}, 30, true]]);
    const median = aggregate(input, spec({ fn: 'median', groupBy: ['host'], limit: 2 }));
    expect(median.map((g) => [g.labels, g.value])).toEqual([[{ host: 'b' }, 40], [{ host: 'd' }, 20], [{}, 7.5]]);
  });

  it('ranks groups without data last', () => {
    const withEmpty = [...input, series({ host: 'e' }, [[T0, null]])];
    const groups = aggregate(withEmpty, spec({ fn: 'sum', groupBy: ['host'], limit: 4 }));
    expect(groups.map((g) => g.labels.host ?? 'others')).toEqual(['b', 'c', 'd', 'a', 'others']);
    expect(groups[4]).toMatchObject({ others: true, value: null, seriesCount: 1 });
  });

  it('adds no others group when every group fits, and still orders by value', () => {
    const groups = aggregate(input, spec({ fn: 'sum', groupBy: ['host'], limit: 10 }));
    expect(groups.map((g) => [g.labels.host, g.value, g.others])).toEqual([['b', 40, false], ['c', 40, false], ['d', 20, false], ['a', 10, false]]);
  });

  it('refuses a limit that is not a positive whole number', () => {
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      expect(() => aggregate(input, spec({ groupBy: ['host'], limit }))).toThrow(BadUserInputError);
    }
    expect(() => aggregate(input, spec({ groupBy: ['host'], limit: 0 }))).toThrow('limit must be a positive whole number; got 0');
  });
});

describe('aggregate: weighted average', () => {
  const price = [series({ host: 'a' }, [[T0, 10], [T0 + MINUTE, 20]]), series({ host: 'b' }, [[T0, 30], [T0 + MINUTE, 99]])];
  const weights: Record<string, Record<number, number>> = { a: { [T0]: 1, [T0 + MINUTE]: 3 }, b: { [T0]: 2 } };
  const weight = (labels: Labels, timestamp: number) => weights[labels.host!]?.[timestamp];

  it('weights each point by its weight, leaving out points that have none', () => {
    expect(whole(price, { fn: 'wavg', weight })).toBeCloseTo(130 / 6, 12);
    expect(aggregate(price, spec({ fn: 'wavg', weight, groupBy: ['host'] })).map((g) => g.value)).toEqual([17.5, 30]);
  });

  it('is the plain mean with a constant weight', () => {
    expect(whole(price, { fn: 'wavg', weight: () => 2 })).toBeCloseTo(159 / 4, 12);
  });

  it('refuses wavg without a weight', () => {
    expect(() => aggregate(price, spec({ fn: 'wavg' }))).toThrow(/WAVG needs weightBy/);
  });
});

describe('aggregate: percentile validation', () => {
  it.each([[-1], [100.5], [Number.NaN]])('refuses percentile %d', (percentile) => {
    expect(() => aggregate([], spec({ fn: 'percentile', percentile }))).toThrow(`percentile must be between 0 and 100; got ${percentile}`);
  });

  it('asks for a percentile when none is given', () => {
    expect(() => aggregate([], spec({ fn: 'percentile' }))).toThrow(/percentile is required with function PERCENTILE/);
  });
});

describe('quantileInPlace against a sort-based reference', () => {
  /** numpy's "linear" definition, on a sorted copy. */
  function reference(values: readonly number[], q: number): number {
    const sorted = [...values].sort((a, b) => a - b);
    const rank = q * (sorted.length - 1);
    const lower = Math.floor(rank);
    const upper = Math.ceil(rank);
    return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (rank - lower);
  }

  it('agrees on 300 seeded random arrays, small and large, with and without ties', () => {
    const random = seededRandom(20261101);
    for (let round = 0; round < 300; round++) {
      // Above 600 elements the selection samples for its pivots; include both regimes.
      const n = 1 + Math.floor(random() * (round % 3 === 0 ? 5_000 : 700));
      const ties = round % 4 === 0;
      const values = Array.from({ length: n }, () => (ties ? Math.floor(random() * 10) : (random() - 0.5) * 1e6));
      const q = round % 10 === 0 ? [0, 0.5, 1][round % 3]! : random();
      const copy = Float64Array.from(values);
      expect(quantileInPlace(copy, q), `n=${n} q=${q}`).toBe(reference(values, q));
      // Selection only reorders.
      expect([...copy].sort((a, b) => a - b)).toEqual([...values].sort((a, b) => a - b));
    }
  });

  it('agrees on sorted and reverse-sorted input, the usual worst cases for a naive pivot', () => {
    const ascending = Array.from({ length: 10_001 }, (_, i) => i);
    for (const values of [ascending, [...ascending].reverse()]) {
      for (const q of [0.01, 0.5, 0.95, 0.999]) expect(quantileInPlace(Float64Array.from(values), q)).toBe(reference(values, q));
    }
  });

  it('is NaN for no values and the value itself for one', () => {
    expect(quantileInPlace([], 0.5)).toBeNaN();
    expect(quantileInPlace([42], 0.95)).toBe(42);
  });
});
