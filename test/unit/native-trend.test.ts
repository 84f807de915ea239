import { describe, expect, it } from 'vitest';
import { trendOf } from '../../src/sources/native/trend.js';
import { valuesByWindow } from '../../src/sources/native/windows.js';

const points = (...values: number[]) => values.map((value, i) => ({ timestamp: i * 300_000, value }));

describe('trendOf (GET /metrics/trends)', () => {
  it('calls a change at or over the threshold increasing or decreasing, in percent', () => {
    expect(trendOf(points(10, 12, 15), 5)).toMatchObject({ trend: 'increasing', changePercent: 50, first: 10, last: 15, min: 10, max: 15, avg: 12.33 });
    expect(trendOf(points(100, 95), 5)).toMatchObject({ trend: 'decreasing', changePercent: -5 });
  });

  it('calls a change under the threshold stable (the original had no stable: equal ends were "decreasing")', () => {
    expect(trendOf(points(100, 104.9), 5)).toMatchObject({ trend: 'stable', changePercent: 4.9 });
    expect(trendOf(points(3, 3), 5)).toMatchObject({ trend: 'stable', changePercent: 0 });
    expect(trendOf(points(100, 101), 0)).toMatchObject({ trend: 'increasing', changePercent: 1 });
  });

  it('measures change against the size of a negative start', () => {
    expect(trendOf(points(-10, -5), 5)).toMatchObject({ trend: 'increasing', changePercent: 50 });
  });

  it('gives a direction but no percentage from zero', () => {
    expect(trendOf(points(0, 4), 5)).toMatchObject({ trend: 'increasing', changePercent: null });
    expect(trendOf(points(0, -4), 5)).toMatchObject({ trend: 'decreasing', changePercent: null });
    expect(trendOf(points(0, 0), 5)).toMatchObject({ trend: 'stable', changePercent: 0 });
  });

  it('says why one window or none is no trend', () => {
    expect(trendOf(points(7), 5)).toEqual({ trend: 'stable', changePercent: 0, first: 7, last: 7, min: 7, max: 7, avg: 7, note: 'only one aggregation window holds data; a trend needs two' });
    expect(trendOf([], 5)).toEqual({ trend: 'stable', changePercent: null, note: 'no data in the period' });
  });
});

describe('valuesByWindow', () => {
  it('gives a counter its increments per window, from the total before the first point', () => {
    const windows = valuesByWindow('counter', { timestamps: [100, 200, 400, 650], values: [12, 15, 21, 22], before: 10 }, 300, 0, 900);
    expect([...windows]).toEqual([[0, [2, 3]], [300, [6]], [600, [1]]]);
  });

  it('gives other types their values, and leaves out points outside [from, to)', () => {
    const windows = valuesByWindow('gauge', { timestamps: [100, 200, 400, 650], values: [1, 2, 3, 4], before: 0 }, 300, 200, 650);
    expect([...windows]).toEqual([[0, [2]], [300, [3]]]);
  });
});
