import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { allocate, formatMinorUnits, largestRemainder, minorDigits, toMinorUnits, type AllocationPlan } from '../../src/core/allocation.js';
import { BadUserInputError } from '../../src/core/errors.js';

const DAY = 86_400_000;
const D1 = Date.UTC(2026, 10, 1);

function usage(rows: Record<string, number[]>, firstDay = D1): Map<string, Map<number, number>> {
  return new Map(Object.entries(rows).map(([segment, values]) => [segment, new Map(values.map((value, i) => [firstDay + i * DAY, value]))]));
}

function plan(overrides: Partial<AllocationPlan>): AllocationPlan {
  return { units: 100_00n, days: [D1], usage: new Map(), segments: [], strategy: 'proportional_on', per: 'total', ...overrides };
}

const amounts = (result: ReturnType<typeof allocate>) => Object.fromEntries(result.shares.map((row) => [row.segment, formatMinorUnits(row.units, 2)]));

describe('allocation math', () => {
  it('splits $10,000 by 50k/30k/20k requests into $5,000/$3,000/$2,000', () => {
    const result = allocate(plan({ units: 10_000_00n, usage: usage({ a: [50_000], b: [30_000], c: [20_000] }), segments: ['a', 'b', 'c'] }));
    expect(amounts(result)).toEqual({ a: '5000.00', b: '3000.00', c: '2000.00' });
  });

  it('splits $50,000 by 2M/1.5M/0.5M into $25,000/$18,750/$6,250', () => {
    const result = allocate(plan({ units: 50_000_00n, usage: usage({ eu: [2_000_000], us: [1_500_000], ap: [500_000] }), segments: ['ap', 'eu', 'us'] }));
    expect(amounts(result)).toEqual({ eu: '25000.00', us: '18750.00', ap: '6250.00' });
  });

  it('rounds $100 three ways to parts that sum to $100.00 (largest remainder)', () => {
    const result = allocate(plan({ usage: usage({ a: [1], b: [1], c: [1] }), segments: ['a', 'b', 'c'] }));
    expect(Object.values(amounts(result)).sort()).toEqual(['33.33', '33.33', '33.34']);
    expect(result.shares.reduce((sum, row) => sum + row.units, 0n)).toBe(100_00n);
  });

  it('gives the leftover cent to the largest remainder, ties by usage then name', () => {
    expect(largestRemainder(10n, [1n, 1n, 1n], [5, 9, 5], ['x', 'y', 'z'])).toEqual([3n, 4n, 3n]);
    expect(largestRemainder(10n, [1n, 1n, 1n], [5, 5, 5], ['x', 'y', 'z'])).toEqual([4n, 3n, 3n]);
    expect(largestRemainder(7n, [2n, 1n], [0, 0], ['p', 'q'])).toEqual([5n, 2n]);
  });

  it('gives segments without usage zero, and refuses when nobody has usage', () => {
    const result = allocate(plan({ usage: usage({ a: [10] }), segments: ['a', 'b'] }));
    expect(amounts(result)).toEqual({ a: '100.00', b: '0.00' });
    expect(() => allocate(plan({ usage: usage({ a: [0] }), segments: ['a', 'b'] }))).toThrow(/no segment has any usage between 2026-11-01 and 2026-11-01/);
  });

  it('falls back to an even split when asked to', () => {
    const result = allocate(plan({ usage: usage({ a: [0] }), segments: ['a', 'b'], fallbackEven: true }));
    expect(amounts(result)).toEqual({ a: '50.00', b: '50.00' });
    expect(result.days[0]!.fellBack).toBe(true);
  });

  it('per day: splits each day by that day and sums exactly', () => {
    const result = allocate(plan({ per: 'day', days: [D1, D1 + DAY], usage: usage({ a: [1, 3], b: [1, 1] }), segments: ['a', 'b'] }));
    expect(result.days.map((day) => day.shares.map((row) => formatMinorUnits(row.units, 2)))).toEqual([['50.00', '50.00'], ['75.00', '25.00']]);
    expect(amounts(result)).toEqual({ a: '125.00', b: '75.00' });
    expect(result.units).toBe(200_00n);
  });

  it('weighted average: one spike day does not swing the split', () => {
    // b spikes 10x on the last day; a 3-day window softens it.
    const rows = usage({ a: [10, 10, 10], b: [10, 10, 100] });
    const proportional = allocate(plan({ days: [D1 + 2 * DAY], usage: rows, segments: ['a', 'b'] }));
    const weighted = allocate(plan({ days: [D1 + 2 * DAY], usage: rows, segments: ['a', 'b'], strategy: 'weighted_average', windowDays: 3 }));
    expect(amounts(proportional)).toEqual({ a: '9.09', b: '90.91' });
    expect(amounts(weighted)).toEqual({ a: '20.00', b: '80.00' });
  });

  it('even splits among segments with usage; fixed uses the given shares', () => {
    expect(amounts(allocate(plan({ strategy: 'even', usage: usage({ a: [5], b: [1], c: [0] }), segments: ['a', 'b', 'c'] })))).toEqual({ a: '50.00', b: '50.00', c: '0.00' });
    const fixedShares = new Map([['a', new Decimal('0.7')], ['b', new Decimal('0.3')]]);
    expect(amounts(allocate(plan({ strategy: 'fixed', fixedShares, usage: usage({}), segments: ['a', 'b'] })))).toEqual({ a: '70.00', b: '30.00' });
  });

  it('knows each currency minor unit and refuses amounts finer than it', () => {
    expect(minorDigits('USD')).toBe(2);
    expect(minorDigits('jpy')).toBe(0);
    expect(minorDigits('BHD')).toBe(3);
    expect(() => minorDigits('US')).toThrow(BadUserInputError);
    expect(toMinorUnits(new Decimal('10000'), 2, 'USD')).toBe(1_000_000n);
    expect(() => toMinorUnits(new Decimal('1.005'), 2, 'USD')).toThrow(/more decimals than USD has \(2\)/);
    expect(() => toMinorUnits(new Decimal('-1'), 2, 'USD')).toThrow(/must not be negative/);
    expect(formatMinorUnits(5n, 2)).toBe('0.05');
    expect(formatMinorUnits(123456n, 3)).toBe('123.456');
    expect(formatMinorUnits(42n, 0)).toBe('42');
  });

  it('keeps the total exact over many segments and odd amounts (property)', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 200; round++) {
      const count = 1 + Math.floor(random() * 40);
      const rows: Record<string, number[]> = {};
      for (let i = 0; i < count; i++) rows[`s${i}`] = [Math.floor(random() * 1000)];
      rows.s0 = [1 + rows.s0![0]!];
      const units = BigInt(Math.floor(random() * 10_000_000));
      const result = allocate(plan({ units, usage: usage(rows), segments: Object.keys(rows) }));
      expect(result.shares.reduce((sum, row) => sum + row.units, 0n)).toBe(units);
      for (const row of result.shares) expect(row.units >= 0n).toBe(true);
    }
  });
});
