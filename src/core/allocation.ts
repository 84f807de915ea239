import { Decimal } from 'decimal.js';
import { clip } from './echo.js';
import { BadUserInputError } from './errors.js';

/**
 * Splitting an amount across segments by their usage, exactly. Money is held as whole minor units
 * (cents) in BigInt and weights as scaled BigInts, so there are no floats anywhere in the split,
 * and 100,000 segments over a month stay fast. Rounding is the largest-remainder method, so the
 * parts always add up to the whole: $100 three ways is 33.34 + 33.33 + 33.33, never 99.99.
 */

export type AllocationStrategy = 'proportional_on' | 'weighted_average' | 'even' | 'fixed';

export interface ShareRow {
  segment: string;
  usage: number;
  /** The segment's part of the amount, in minor units. */
  units: bigint;
}

export interface DayAllocation {
  day: number;
  units: bigint;
  shares: ShareRow[];
  /** True when no segment had usage and the EVEN fallback decided. */
  fellBack: boolean;
}

export interface AllocationPlan {
  /** The amount in minor units (each day's amount when `per` is day). */
  units: bigint;
  /** Each allocation day's start (UTC midnight), in order. */
  days: number[];
  /** Usage per segment per day (UTC midnight keys), including any trailing window before the range. */
  usage: ReadonlyMap<string, ReadonlyMap<number, number>>;
  /** The segments that take part; all of them appear in the answer, with zero when unused. */
  segments: readonly string[];
  strategy: AllocationStrategy;
  /** Split per day (`units` each day) or once over the whole range. */
  per: 'day' | 'total';
  /** @default 7 */
  windowDays?: number;
  /** FIXED: each segment's share, summing to 1. */
  fixedShares?: ReadonlyMap<string, Decimal>;
  /** When nobody used anything: split evenly instead of failing. */
  fallbackEven?: boolean;
}

export interface AllocationResult {
  units: bigint;
  shares: ShareRow[];
  days: DayAllocation[];
}

const DAY = 86_400_000;
/** Usage is scaled to integers at micro-unit precision before it becomes a weight. */
const USAGE_SCALE = 1_000_000;

/** Minor-unit digits of an ISO 4217 currency (2 for USD, 0 for JPY, 3 for BHD), from ICU. */
export function minorDigits(currency: string): number {
  const invalid = () => new BadUserInputError(`currency must be an ISO 4217 code like USD, EUR or JPY; got '${clip(currency)}'`, { field: 'currency' });
  if (!/^[A-Za-z]{3}$/.test(currency)) throw invalid();
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    throw invalid();
  }
}

/** An amount as whole minor units; more precision than the currency has is an error, not a rounding. */
export function toMinorUnits(amount: Decimal, digits: number, currency: string): bigint {
  if (amount.isNegative()) throw new BadUserInputError(`amount must not be negative; got ${amount.toFixed()}`, { field: 'amount' });
  const scaled = amount.times(new Decimal(10).pow(digits));
  if (!scaled.isInteger()) {
    throw new BadUserInputError(`amount ${amount.toFixed()} has more decimals than ${currency} has (${digits})`, { field: 'amount' });
  }
  return BigInt(scaled.toFixed(0));
}

/** 123456n with 2 digits -> "1234.56". */
export function formatMinorUnits(units: bigint, digits: number): string {
  if (digits === 0) return units.toString();
  const negative = units < 0n;
  const text = (negative ? -units : units).toString().padStart(digits + 1, '0');
  return `${negative ? '-' : ''}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

export function allocate(plan: AllocationPlan): AllocationResult {
  if (plan.segments.length === 0) {
    throw new BadUserInputError('no segments take part: no series of the usage metric carries the segment label in this range', { field: 'segmentBy' });
  }
  const days = plan.per === 'day'
    ? plan.days.map((day) => allocateOnce(plan, [day], day))
    : [allocateOnce(plan, plan.days, plan.days[plan.days.length - 1]!)];
  const totals = new Map<string, bigint>(plan.segments.map((segment) => [segment, 0n]));
  for (const day of days) for (const row of day.shares) totals.set(row.segment, totals.get(row.segment)! + row.units);
  return {
    units: days.reduce((sum, day) => sum + day.units, 0n),
    shares: plan.segments.map((segment) => ({ segment, usage: sumUsage(plan.usage.get(segment), plan.days), units: totals.get(segment)! })),
    days,
  };
}

/** One split using the usage of `days`; `anchor` is the day the weighted-average window ends on. */
function allocateOnce(plan: AllocationPlan, days: readonly number[], anchor: number): DayAllocation {
  const usage = plan.segments.map((segment) => sumUsage(plan.usage.get(segment), days));
  let weights: bigint[];
  switch (plan.strategy) {
    case 'proportional_on':
      weights = usage.map(toWeight);
      break;
    case 'weighted_average': {
      // Mean daily usage over the trailing window; the common 1/window factor does not change shares.
      const window = plan.windowDays ?? 7;
      const trailing = Array.from({ length: window }, (_, i) => anchor - (window - 1 - i) * DAY);
      weights = plan.segments.map((segment) => toWeight(sumUsage(plan.usage.get(segment), trailing)));
      break;
    }
    case 'even':
      weights = usage.map((value) => (value > 0 ? 1n : 0n));
      break;
    case 'fixed':
      weights = plan.segments.map((segment) => BigInt((plan.fixedShares?.get(segment) ?? new Decimal(0)).times(1e12).toFixed(0)));
      break;
  }
  let fellBack = false;
  if (weights.every((weight) => weight === 0n)) {
    if (!plan.fallbackEven) {
      const when = plan.per === 'day'
        ? `on ${new Date(anchor).toISOString().slice(0, 10)}`
        : `between ${new Date(days[0]!).toISOString().slice(0, 10)} and ${new Date(days[days.length - 1]!).toISOString().slice(0, 10)}`;
      throw new BadUserInputError(`no segment has any usage ${when}; there is nothing to split by (fallback: EVEN splits evenly instead)`, { field: 'metric' });
    }
    weights = plan.segments.map(() => 1n);
    fellBack = true;
  }
  const amounts = largestRemainder(plan.units, weights, usage, plan.segments);
  return { day: days[0]!, units: plan.units, shares: plan.segments.map((segment, i) => ({ segment, usage: usage[i]!, units: amounts[i]! })), fellBack };
}

/**
 * Hamilton's method: everyone gets the floor of their exact share, then the units left over go
 * one each to the largest remainders (ties: more usage first, then name order, so the answer
 * never depends on the order segments arrived in).
 */
export function largestRemainder(units: bigint, weights: readonly bigint[], usage: readonly number[], names: readonly string[]): bigint[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0n);
  if (total === 0n) return weights.map(() => 0n);
  const floors = new Array<bigint>(weights.length);
  const remainders = new Array<bigint>(weights.length);
  let given = 0n;
  for (let i = 0; i < weights.length; i++) {
    const product = units * weights[i]!;
    floors[i] = product / total;
    remainders[i] = product % total;
    given += floors[i]!;
  }
  let left = units - given;
  if (left > 0n) {
    const order = weights.map((_, i) => i).filter((i) => remainders[i]! > 0n);
    order.sort((a, b) => (remainders[b]! > remainders[a]! ? 1 : remainders[b]! < remainders[a]! ? -1 : 0) || usage[b]! - usage[a]! || (names[a]! < names[b]! ? -1 : 1));
    for (const i of order) {
      if (left === 0n) break;
      floors[i] = floors[i]! + 1n;
      left--;
    }
  }
  return floors;
}

function toWeight(usage: number): bigint {
  return usage > 0 ? BigInt(Math.round(usage * USAGE_SCALE)) : 0n;
}

function sumUsage(byDay: ReadonlyMap<number, number> | undefined, days: readonly number[]): number {
  if (!byDay) return 0;
  let total = 0;
  for (const day of days) total += byDay.get(day) ?? 0;
  return total;
}
