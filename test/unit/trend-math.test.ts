import { describe, expect, it } from 'vitest';
import { findAnomalies } from '../../src/core/anomalies.js';
import { holtForecast } from '../../src/core/forecast.js';
import { analyzeTrend } from '../../src/core/trend.js';
import { seededRandom } from '../../src/core/seeded-random.js';

/** Trend statistics, anomalies and forecasts against numbers worked out by hand. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** 2026-11-01T12:00:00Z. */
const T0 = 1793534400000;

/** Timestamps one `step` apart from T0, one per value. */
function times(count: number, step = HOUR): number[] {
  return Array.from({ length: count }, (_, i) => T0 + i * step);
}

function trend(values: Array<number | null>, options: { stableBandPercent?: number; step?: number } = {}) {
  const step = options.step ?? HOUR;
  return analyzeTrend(times(values.length, step), values, { intervalMs: step, ...options });
}

describe('trend statistics', () => {
  it('first, last, min, max, mean, change and least-squares slope per hour', () => {
    // x = 0..4 hours, mean 2; y mean 12.4; sum (x - 2)(y - 12.4) = 4.8 + 0.4 + 0 + 2.6 + 3.2 = 11; sum (x - 2)^2 = 10.
    const result = trend([10, 12, 11, 15, 14]);
    expect(result).toMatchObject({ points: 5, first: 10, last: 14, min: 10, max: 15, mean: 12.4, changePercent: 40, direction: 'increasing' });
    expect(result.slopePerHour).toBeCloseTo(1.1, 12);
  });

  it('skips gaps and keeps the real timestamps for the slope', () => {
    // Real points at hours 1, 2 and 4: a line 3 + 2x, so the slope is exactly 2 per hour.
    const result = trend([null, 5, 7, null, 11, null]);
    expect(result).toMatchObject({ points: 3, first: 5, last: 11, min: 5, max: 11, mean: 23 / 3, changePercent: 120, direction: 'increasing' });
    expect(result.slopePerHour).toBeCloseTo(2, 12);
  });

  it('gives the slope per hour whatever the interval', () => {
    // One more every minute is 60 per hour.
    expect(trend([0, 1, 2, 3], { step: MINUTE }).slopePerHour).toBeCloseTo(60, 9);
  });

  it('reads a change from a negative start against its size', () => {
    expect(trend([-10, -5])).toMatchObject({ changePercent: 50, direction: 'increasing' });
    expect(trend([-10, -20])).toMatchObject({ changePercent: -100, direction: 'decreasing' });
  });

  it('gives no percent from a zero start, but still a direction', () => {
    expect(trend([0, 5])).toMatchObject({ changePercent: null, direction: 'increasing' });
    expect(trend([0, -5])).toMatchObject({ changePercent: null, direction: 'decreasing' });
    expect(trend([0, 3, 0])).toMatchObject({ changePercent: 0, direction: 'stable' });
  });

  it('describes a single point without a slope or a forecast', () => {
    expect(trend([null, 7, null])).toEqual({
      points: 1, first: 7, last: 7, min: 7, max: 7, mean: 7, changePercent: 0, slopePerHour: null, direction: 'stable', anomalies: [], forecast: [],
    });
  });

  it('describes no data as nulls and stable, not as zeros', () => {
    expect(trend([null, null])).toEqual({
      points: 0, first: null, last: null, min: null, max: null, mean: null, changePercent: null, slopePerHour: null, direction: 'stable', anomalies: [], forecast: [],
    });
  });

  it('describes a constant series as flat', () => {
    expect(trend([4, 4, 4, 4, 4, 4, 4, 4])).toMatchObject({ changePercent: 0, slopePerHour: 0, direction: 'stable', mean: 4, anomalies: [] });
  });
});

describe('trend direction', () => {
  it.each([
    [[100, 101], 'stable'], // exactly 1%: inside the default band
    [[100, 99], 'stable'],
    [[100, 100.5], 'stable'],
    [[100, 101.5], 'increasing'],
    [[100, 98.5], 'decreasing'],
  ] as const)('%j is %s with the default band of 1 percent', (values, direction) => {
    expect(trend([...values]).direction).toBe(direction);
  });

  it('follows a configured band', () => {
    expect(trend([100, 104], { stableBandPercent: 5 }).direction).toBe('stable');
    expect(trend([100, 94], { stableBandPercent: 5 }).direction).toBe('decreasing');
    expect(trend([100, 100.1], { stableBandPercent: 0 }).direction).toBe('increasing');
    expect(trend([100, 100], { stableBandPercent: 0 }).direction).toBe('stable');
  });
});

describe('anomalies', () => {
  it('finds a spike in a noisy but steady series, with the baseline median as expected', () => {
    const random = seededRandom(7);
    const values: number[] = Array.from({ length: 40 }, () => 100 + (random() - 0.5) * 2);
    values[30] = 130;
    const anomalies = findAnomalies(times(40), values);
    const spike = anomalies.find((a) => a.timestamp === T0 + 30 * HOUR);
    expect(spike).toBeDefined();
    // Whatever else the noise trips scores far below the spike.
    for (const other of anomalies) if (other !== spike) expect(Math.abs(other.score)).toBeLessThan(spike!.score / 4);
    expect(spike!.value).toBe(130);
    // The default baseline is the 30 points before the spike.
    const baseline = values.slice(0, 30).sort((a, b) => a - b);
    expect(spike!.expected).toBeCloseTo((baseline[14]! + baseline[15]!) / 2, 12);
    expect(Math.abs(spike!.expected - 100)).toBeLessThan(1);
    expect(spike!.score).toBeGreaterThan(3.5);
  });

  it('scores a dip below the baseline negative', () => {
    const random = seededRandom(11);
    const values: number[] = Array.from({ length: 30 }, () => 50 + (random() - 0.5) * 4);
    values[20] = 10;
    const anomalies = findAnomalies(times(30), values);
    const dip = anomalies.find((a) => a.timestamp === T0 + 20 * HOUR);
    expect(dip).toMatchObject({ value: 10 });
    expect(dip!.score).toBeLessThan(-3.5);
    expect(Math.abs(dip!.expected - 50)).toBeLessThan(2);
    for (const other of anomalies) if (other !== dip) expect(Math.abs(other.score)).toBeLessThan(Math.abs(dip!.score) / 4);
  });

  it('flags the step of a flat series, against the flat level, and settles once the baseline has moved', () => {
    const values = [...Array<number>(20).fill(10), ...Array<number>(20).fill(20)];
    const anomalies = findAnomalies(times(40), values);
    // The flat baseline has no spread at all, so the step scores the cap.
    expect(anomalies[0]).toEqual({ timestamp: T0 + 20 * HOUR, value: 20, expected: 10, score: 1e6 });
    // Nothing before the step, and nothing once the new level fills the window.
    expect(anomalies.every((a) => a.timestamp >= T0 + 20 * HOUR && a.timestamp < T0 + 26 * HOUR)).toBe(true);
  });

  it('finds nothing in a clean linear ramp, nor in a constant series', () => {
    expect(findAnomalies(times(50), Array.from({ length: 50 }, (_, i) => 3 * i - 40))).toEqual([]);
    expect(findAnomalies(times(50), Array<number>(50).fill(7))).toEqual([]);
  });

  it('judges nothing before the baseline has enough points, and skips gaps', () => {
    // The default minimum baseline is 10 real points.
    expect(findAnomalies(times(10), [1, 1, 1, 1, 1, 1, 1, 1, 1, 1_000])).toEqual([]);
    const values = [1, null, 1, 1, null, 1, 1, 1, 1, 1, 1, 1, 1, 1_000];
    expect(findAnomalies(times(14), values)).toEqual([{ timestamp: T0 + 13 * HOUR, value: 1_000, expected: 1, score: 1e6 }]);
  });

  it('follows a configured threshold', () => {
    const random = seededRandom(3);
    const values: number[] = Array.from({ length: 30 }, () => 100 + random());
    values[25] = 103;
    const [found] = findAnomalies(times(30), values);
    expect(found!.timestamp).toBe(T0 + 25 * HOUR);
    expect(findAnomalies(times(30), values, { threshold: found!.score + 0.01 })).toEqual([]);
  });

  it('reaches analyzeTrend with its threshold', () => {
    const values = [...Array<number>(10).fill(5).map((v, i) => v + (i % 2) * 0.5), 9];
    expect(analyzeTrend(times(11), values, { intervalMs: HOUR }).anomalies.map((a) => a.value)).toEqual([9]);
    expect(analyzeTrend(times(11), values, { intervalMs: HOUR, anomalies: { threshold: 1e7 } }).anomalies).toEqual([]);
  });
});

describe('forecast', () => {
  it('continues a perfect line with a zero-width band', () => {
    const values = Array.from({ length: 20 }, (_, i) => 5 + 2 * i);
    const forecast = holtForecast(values, T0 + 19 * HOUR, HOUR, { horizon: 4 });
    expect(forecast).toHaveLength(4);
    forecast.forEach((point, i) => {
      const h = i + 1;
      expect(point.timestamp).toBe(T0 + (19 + h) * HOUR);
      expect(Math.abs(point.value - (5 + 2 * (19 + h)))).toBeLessThan(1e-6);
      expect(point.upper - point.lower).toBeLessThan(1e-6);
      expect(point.lower).toBeLessThanOrEqual(point.value);
    });
  });

  it('forecasts a constant as itself', () => {
    for (const point of holtForecast(Array<number>(10).fill(3), T0, MINUTE)) {
      expect(point.value).toBeCloseTo(3, 12);
      expect(point.upper - point.lower).toBeLessThan(1e-9);
    }
  });

  it('widens the band with the horizon, around the forecast', () => {
    const random = seededRandom(99);
    const values = Array.from({ length: 48 }, (_, i) => 100 + i + (random() - 0.5) * 10);
    const forecast = holtForecast(values, T0 + 47 * HOUR, HOUR, { horizon: 8 });
    expect(forecast).toHaveLength(8);
    const widths = forecast.map((p) => p.upper - p.lower);
    expect(widths[0]).toBeGreaterThan(0);
    widths.forEach((w, i) => i > 0 && expect(w).toBeGreaterThan(widths[i - 1]!));
    for (const point of forecast) {
      expect(point.lower).toBeLessThan(point.value);
      expect(point.upper).toBeGreaterThan(point.value);
      expect(point.upper - point.value).toBeCloseTo(point.value - point.lower, 9);
    }
    // Still heading up about one per hour.
    expect(forecast[7]!.value - forecast[0]!.value).toBeGreaterThan(3);
    expect(forecast[7]!.value - forecast[0]!.value).toBeLessThan(11);
  });

  it('forecasts nothing from fewer than three points or for no horizon', () => {
    expect(holtForecast([1, 2], T0, HOUR)).toEqual([]);
    expect(holtForecast([1, null, 2, null], T0, HOUR)).toEqual([]);
    expect(holtForecast([1, 2, 3], T0, HOUR, { horizon: 0 })).toEqual([]);
    expect(holtForecast([1, 2, 3], T0, HOUR)).toHaveLength(6);
  });

  it('counts trailing empty buckets: the forecast starts after the last bucket, not after the last point', () => {
    // A line 2x whose last two buckets have no data yet (the range reaches into the present).
    const values = [0, 2, 4, 6, 8, 10, null, null];
    const forecast = holtForecast(values, T0 + 7 * HOUR, HOUR, { horizon: 2 });
    expect(forecast.map((p) => p.timestamp)).toEqual([T0 + 8 * HOUR, T0 + 9 * HOUR]);
    expect(forecast[0]!.value).toBeCloseTo(16, 6);
    expect(forecast[1]!.value).toBeCloseTo(18, 6);
  });

  it('is part of analyzeTrend, after the last bucket, for the requested number of intervals', () => {
    const values = Array.from({ length: 10 }, (_, i) => 1 + i);
    const result = analyzeTrend(times(10, MINUTE), values, { intervalMs: MINUTE, forecastIntervals: 3 });
    expect(result.forecast.map((p) => [p.timestamp, Math.round(p.value * 1e6) / 1e6])).toEqual([
      [T0 + 10 * MINUTE, 11], [T0 + 11 * MINUTE, 12], [T0 + 12 * MINUTE, 13],
    ]);
    expect(analyzeTrend(times(10, MINUTE), values, { intervalMs: MINUTE }).forecast).toHaveLength(6);
    expect(analyzeTrend(times(10, MINUTE), values, { intervalMs: MINUTE, forecastIntervals: 0 }).forecast).toEqual([]);
  });
});
