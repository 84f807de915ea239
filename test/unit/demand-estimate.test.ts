import { describe, expect, it } from 'vitest';
import { aggregate } from '../../src/core/aggregate.js';
import { MS } from '../../src/core/duration.js';
import { BadUserInputError } from '../../src/core/errors.js';
import { bucketCount, countBuckets, POINTS_BACKSTOP, smallestFittingStep } from '../../src/core/points.js';
import { bucketize, reducers } from '../../src/core/series.js';
import { DemandExceededError, DemandMeter } from '../../src/graphql/cost/demand-meter.js';

const YEAR = { from: Date.UTC(2025, 0, 1), to: Date.UTC(2026, 0, 1) };
const budgets = { maxPointsPerField: 1000, maxPointsPerRequest: 1500, assumedRawIntervalMs: MS.MINUTE };

describe('counting points before they exist', () => {
  it('counts buckets as bucketize lays them out, without allocating', () => {
    expect(countBuckets({ from: 0, to: MS.HOUR }, MS.MINUTE)).toBe(60);
    // A range that does not start on a step boundary takes one more bucket.
    expect(countBuckets({ from: 30 * MS.SECOND, to: MS.HOUR }, MS.MINUTE)).toBe(60);
    expect(countBuckets({ from: 30 * MS.SECOND, to: MS.HOUR + 1 }, MS.MINUTE)).toBe(61);
    expect(countBuckets(YEAR, 1)).toBe(365 * MS.DAY);
    const range = { from: 30 * MS.SECOND, to: 5 * MS.HOUR + 1 };
    expect(bucketize([], [], range, MS.MINUTE, reducers.avg).timestamps).toHaveLength(countBuckets(range, MS.MINUTE));
  });

  it('refuses an array over its budget (or the backstop) with BAD_USER_INPUT naming a step that fits', () => {
    expect(() => bucketize([], [], YEAR, 1, reducers.avg)).toThrow(BadUserInputError);
    expect(() => bucketCount(YEAR, MS.SECOND)).toThrow(/gives 31536000 points per series; at most 5000000 fit, so use an interval of at least 10s/);
    expect(() => bucketCount(YEAR, MS.HOUR, 1000)).toThrow(/at most 1000 fit, so use an interval of at least 12h/);
    expect(bucketCount(YEAR, MS.DAY, 1000)).toBe(365);
    expect(countBuckets(YEAR, MS.SECOND)).toBeGreaterThan(POINTS_BACKSTOP);
  });

  it('suggests the smallest round step that fits every series', () => {
    expect(smallestFittingStep(MS.DAY, 1, 1000)).toBe(5 * MS.MINUTE); // 289 points
    expect(smallestFittingStep(MS.DAY, 1, 1441)).toBe(MS.MINUTE);
    expect(smallestFittingStep(MS.DAY, 10, 1000)).toBe(15 * MS.MINUTE); // 10 x 97
    expect(smallestFittingStep(365 * MS.DAY, 1, 250_000)).toBe(5 * MS.MINUTE);
    // Not even one point per series fits: nothing but a shorter range (or fewer series) helps.
    expect(smallestFittingStep(MS.DAY, 2000, 1000)).toBe(MS.DAY);
    for (const [rangeMs, series, max] of [[YEAR.to - YEAR.from, 7, 250_000], [7 * MS.DAY, 3, 5000], [MS.HOUR, 1, 10]] as const) {
      const step = smallestFittingStep(rangeMs, series, max);
      expect(series * (Math.ceil(rangeMs / step) + 1)).toBeLessThanOrEqual(max);
    }
  });

  it('stops an in-gateway aggregation before making the group that goes over', () => {
    const series = Array.from({ length: 5 }, (_, i) => ({ source: 's', metric: 'm', labels: { host: `h${i}` }, timestamps: [0], values: [1] }));
    const spec = { fn: 'sum' as const, groupBy: ['host'], range: { from: 0, to: MS.HOUR }, intervalMs: MS.MINUTE };
    expect(aggregate(series, { ...spec, maxPoints: 5 * 61 })).toHaveLength(5);
    expect(() => aggregate(series, { ...spec, maxPoints: 5 * 61 - 1 })).toThrow(/more than 304 points/);
  });
});

describe('a request\'s demand meter', () => {
  const field = (name: string, series: number, pointsPerSeries: number) => ({ field: name, series, pointsPerSeries, rangeMs: MS.DAY, stepMs: MS.MINUTE });

  it('charges fields within budget and reports estimate and actual per field and in all', () => {
    const meter = new DemandMeter(budgets);
    expect(meter.charged).toBe(false);
    expect(meter.estimate(field('a', 2, 300))).toBe(600);
    meter.actual('a', 480);
    expect(meter.summary()).toEqual({
      unit: 'points', estimated: 600, actual: 480, max: 1500, result: 'COST_OK', fields: { a: { estimated: 600, actual: 480, max: 1000 } },
    });
  });

  it('refuses a field over the per-field budget, naming the budget, the estimate and an interval that fits', () => {
    const meter = new DemandMeter(budgets);
    const refusal = catchError(() => meter.estimate(field('cpu', 1, 1441)));
    expect(refusal).toBeInstanceOf(DemandExceededError);
    expect(refusal.message).toBe(
      'cpu would build about 1441 points (1 series x 1441 points over 1d at 1m); limits.demand.maxPointsPerField is 1000. To fit, use an interval of at least 5m or a shorter range',
    );
    expect(refusal.extensions()).toEqual({
      code: 'BAD_USER_INPUT', field: 'interval', cost: { budget: 'limits.demand.maxPointsPerField', max: 1000, estimated: 1441, suggestedInterval: '5m' },
    });
    expect(meter.summary()).toMatchObject({ estimated: 0, result: 'COST_ESTIMATED_TOO_EXPENSIVE' });
  });

  it('adds aliased fields up against the per-request budget', () => {
    const meter = new DemandMeter(budgets);
    meter.estimate(field('first', 1, 900));
    const refusal = catchError(() => meter.estimate(field('second', 1, 900)));
    expect(refusal.message).toMatch(/^second would build about 900 points .*limits.demand.maxPointsPerRequest is 1500 \(900 already taken by other fields/);
    expect(refusal.message).toMatch(/use an interval of at least 5m/);
    // What is left still fits a smaller field.
    expect(meter.estimate(field('third', 1, 600))).toBe(600);
  });

  it('says only a shorter range helps where the interval is fixed (allocation days)', () => {
    const meter = new DemandMeter(budgets);
    const refusal = catchError(() => meter.estimate({ field: 'allocation', series: 10, pointsPerSeries: 367, rangeMs: 366 * MS.DAY, intervalFixes: false }));
    expect(refusal.message).toMatch(/To fit, use a shorter range or filters that match fewer series$/);
  });

  it('refuses an answer that holds more than the field budget whatever was estimated (the hard guard)', () => {
    const meter = new DemandMeter(budgets);
    meter.estimate(field('a', 1, 100));
    const refusal = catchError(() => meter.actual('a', 1001));
    expect(refusal.message).toMatch(/^a: the answer holds 1001 points, more than estimated \(100\); limits.demand.maxPointsPerField is 1000/);
    expect(meter.summary()).toMatchObject({ actual: 1001, result: 'COST_ACTUAL_TOO_EXPENSIVE' });
  });
});

function catchError(run: () => unknown): DemandExceededError {
  try {
    run();
  } catch (error) {
    return error as DemandExceededError;
  }
  throw new Error('expected a refusal');
}
