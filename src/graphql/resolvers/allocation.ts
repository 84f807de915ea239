import { Decimal } from 'decimal.js';
import type { GraphQLResolveInfo } from 'graphql';
import { allocate, formatMinorUnits, minorDigits, toMinorUnits, type AllocationStrategy } from '../../core/allocation.js';
import { MS } from '../../core/duration.js';
import { BadUserInputError } from '../../core/errors.js';
import { resolveTime } from '../../core/time.js';
import type { GatewayContext } from '../context.js';
import { resolveFor } from '../errors.js';
import type { AllocationInput, Resolvers } from '../generated/resolvers-types.js';
import type { AllocationModel, AllocationShareModel } from '../mappers.js';
import { chargeGroupField, fieldKey } from '../cost/estimate.js';
import { runAggregate } from '../run-aggregate.js';

const MAX_DAYS = 366;
const MAX_WINDOW_DAYS = 90;

export const allocationResolvers: Resolvers = {
  Query: {
    allocation: (_, { input }, ctx, info) => resolveFor(input.source, () => resolveAllocation(input, ctx, info)),
  },
  Allocation: {
    total: (allocation) => formatMinorUnits(allocation.units, allocation.digits),
    strategy: (allocation) => allocation.strategy.toUpperCase() as 'EVEN',
    per: (allocation) => allocation.per.toUpperCase() as 'DAY',
  },
  AllocationDay: {
    total: (day) => formatMinorUnits(day.units, day.digits),
  },
  AllocationShare: {
    amount: (share) => formatMinorUnits(share.units, share.digits),
    fraction: (share) => fraction(share),
    percent: (share) => Math.round(fraction(share) * 100 * 1e6) / 1e6,
  },
};

async function resolveAllocation(input: AllocationInput, ctx: GatewayContext, info: GraphQLResolveInfo): Promise<AllocationModel> {
  const source = ctx.registry.get(input.source);
  const strategy = input.strategy.toLowerCase() as AllocationStrategy;
  const currency = (input.currency ?? 'USD').toUpperCase();
  const digits = minorDigits(currency);
  const units = toMinorUnits(input.amount, digits, currency);
  const per = input.per === 'DAY' ? 'day' : 'total';
  if (input.segmentBy.trim() === '') throw new BadUserInputError('segmentBy must name a label, like customer_id or region', { field: 'segmentBy' });
  const windowDays = input.windowDays ?? 7;
  if (strategy === 'weighted_average' && !(Number.isInteger(windowDays) && windowDays >= 1 && windowDays <= MAX_WINDOW_DAYS)) {
    throw new BadUserInputError(`windowDays must be a whole number of days from 1 to ${MAX_WINDOW_DAYS}; got ${windowDays}`, { field: 'windowDays' });
  }
  if (input.fallback != null && input.fallback !== 'EVEN') {
    throw new BadUserInputError(`fallback can only be EVEN; got ${input.fallback}`, { field: 'fallback' });
  }
  const fixedShares = strategy === 'fixed' ? parseFixedShares(input.fixedShares) : undefined;
  const { from, to } = dayRange(input, ctx.now);
  const days: number[] = [];
  for (let day = from; day < to; day += MS.DAY) days.push(day);
  const lookbackDays = strategy === 'weighted_average' ? windowDays - 1 : 0;

  const groups = await runAggregate(ctx, source, {
    metric: input.metric,
    fn: 'sum',
    groupBy: [input.segmentBy],
    range: { from: from - lookbackDays * MS.DAY, to },
    interval: MS.DAY,
    filters: input.filters,
    darktrace: input.darktrace,
    argus: input.argus,
    dynatrace: input.dynatrace,
  }, (query) => chargeGroupField(ctx, info, source, query, { groupBy: [input.segmentBy], intervalFixes: false, argument: 'from', input: 'none', pointObjects: 'always' }));

  const usage = new Map<string, Map<number, number>>();
  for (const group of groups) {
    const segment = group.labels[input.segmentBy];
    if (segment === undefined || !group.buckets) continue;
    const byDay = new Map<number, number>();
    group.buckets.timestamps.forEach((day, i) => {
      const value = group.buckets!.values[i];
      if (value !== null && value !== undefined) byDay.set(day, value);
    });
    usage.set(segment, byDay);
  }
  if (groups.length > 0 && usage.size === 0) {
    throw new BadUserInputError(`no series of '${input.metric}' has the label '${input.segmentBy}' to segment by`, { field: 'segmentBy' });
  }
  const wanted = input.segments ? [...new Set(input.segments)] : undefined;
  if (usage.size === 0 && !wanted) {
    const last = new Date(to - MS.DAY).toISOString().slice(0, 10);
    throw new BadUserInputError(`no segment has any usage between ${new Date(from).toISOString().slice(0, 10)} and ${last}: '${input.metric}' has no data there`, { field: 'metric' });
  }
  const segments = (wanted ?? [...usage.keys()]).sort();
  if (fixedShares) {
    const unknown = [...fixedShares.keys()].filter((segment) => !segments.includes(segment));
    if (unknown.length > 0 && wanted) {
      throw new BadUserInputError(`fixedShares names segments that do not take part: ${unknown.join(', ')}`, { field: 'fixedShares' });
    }
    for (const segment of unknown) segments.push(segment);
    segments.sort();
  }

  const result = allocate({
    units,
    days,
    usage,
    segments,
    strategy,
    per,
    windowDays,
    ...(fixedShares ? { fixedShares } : {}),
    fallbackEven: input.fallback === 'EVEN',
  });
  // Usage per segment per day came in; shares per segment (and per day for per: DAY) go out.
  ctx.demand.actual(fieldKey(info), result.shares.length + result.days.reduce((sum, day) => sum + 1 + day.shares.length, 0));
  const toShares = (rows: typeof result.shares, of: bigint): AllocationShareModel[] =>
    rows.map((row) => ({ segment: row.segment, usage: row.usage, units: row.units, of, digits }));
  return {
    units: result.units,
    digits,
    currency,
    strategy,
    per,
    from,
    to,
    shares: toShares(result.shares, result.units),
    days: result.days.map((day) => ({ day: day.day, units: day.units, fellBack: day.fellBack, digits, shares: toShares(day.shares, day.units) })),
  };
}

/** Whole UTC days: from down to midnight, to up to the next midnight; default yesterday. */
function dayRange(input: AllocationInput, now: number): { from: number; to: number } {
  const today = Math.floor(now / MS.DAY) * MS.DAY;
  const rawTo = input.to ? resolveTime(input.to, now, 'to') : today;
  const rawFrom = input.from ? resolveTime(input.from, now, 'from') : rawTo - MS.DAY;
  const from = Math.floor(rawFrom / MS.DAY) * MS.DAY;
  if (rawFrom > rawTo) {
    throw new BadUserInputError(`from must be before to; got from ${new Date(rawFrom).toISOString()} and to ${new Date(rawTo).toISOString()}`, { field: 'from' });
  }
  // `to` is exclusive like everywhere else, but a `to` on the same day as `from` means that day.
  const to = Math.max(Math.ceil(rawTo / MS.DAY) * MS.DAY, from + MS.DAY);
  if ((to - from) / MS.DAY > MAX_DAYS) {
    throw new BadUserInputError(`allocation covers at most ${MAX_DAYS} days; got ${(to - from) / MS.DAY}`, { field: 'to' });
  }
  return { from, to };
}

function parseFixedShares(raw: unknown): Map<string, Decimal> {
  if (raw === null || raw === undefined || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new BadUserInputError('FIXED needs fixedShares: an object of segment -> fraction, like {"acme": "0.6", "globex": "0.4"}', { field: 'fixedShares' });
  }
  const shares = new Map<string, Decimal>();
  let sum = new Decimal(0);
  for (const [segment, value] of Object.entries(raw as Record<string, unknown>)) {
    let share: Decimal;
    try {
      if (typeof value !== 'string' && typeof value !== 'number') throw new Error();
      share = new Decimal(value);
    } catch {
      throw new BadUserInputError(`fixedShares.${segment} must be a number from 0 to 1; got ${JSON.stringify(value)}`, { field: `fixedShares.${segment}` });
    }
    if (share.isNegative() || share.greaterThan(1) || !share.isFinite()) {
      throw new BadUserInputError(`fixedShares.${segment} must be a number from 0 to 1; got ${share.toFixed()}`, { field: `fixedShares.${segment}` });
    }
    shares.set(segment, share);
    sum = sum.plus(share);
  }
  // Thirds written as 0.3333 must not make an honest input fail, so allow a hair of slack.
  if (sum.minus(1).abs().greaterThan('0.000001')) {
    throw new BadUserInputError(`fixedShares must sum to 1; they sum to ${sum.toFixed()}`, { field: 'fixedShares' });
  }
  return shares;
}

function fraction(share: AllocationShareModel): number {
  return share.of === 0n ? 0 : Number(share.units) / Number(share.of);
}
