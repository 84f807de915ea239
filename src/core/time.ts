import { BadUserInputError } from './errors.js';
import { MS, showValue } from './duration.js';

/**
 * Points in time as the client gave them. Relative times (`now-15m`) stay unresolved until the
 * resolver fixes one `now` for the whole request, so every field of a dashboard query sees the
 * same window, and so `/d` can round down for `from` and up for `to`.
 */
export type TimeSpec =
  | { kind: 'absolute'; ms: number }
  | { kind: 'relative'; text: string; steps: RelativeStep[]; roundTo: CalendarUnit | undefined };

export type CalendarUnit = 's' | 'm' | 'h' | 'd' | 'w' | 'M' | 'y';
interface RelativeStep { sign: 1 | -1; amount: number; unit: CalendarUnit }

/** A half-open range [from, to) in epoch milliseconds. */
export interface TimeRange { from: number; to: number }

export const TIME_FORMS =
  "ISO-8601 (2026-11-01T12:00:00Z), epoch milliseconds (1793534400000) or relative to now (now, now-15m, now-1d/d)";

/** Epoch-ms values below this (March 1973) are almost certainly seconds sent by mistake. */
const SMALLEST_PLAUSIBLE_MS = 100_000_000_000;

const ISO_PATTERN = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const RELATIVE_PATTERN = /^now((?:\s*[+-]\s*\d+\s*[smhdwMy])*)(?:\s*\/\s*([smhdwMy]))?$/;
const STEP_PATTERN = /([+-])\s*(\d+)\s*([smhdwMy])/g;

export function parseTime(input: unknown, what = 'time'): TimeSpec {
  if (typeof input === 'number') return { kind: 'absolute', ms: epochMs(input, what) };
  if (typeof input !== 'string') throw badTime(input, what);
  const text = input.trim();
  if (/^\d+$/.test(text)) return { kind: 'absolute', ms: epochMs(Number(text), what) };
  if (text.startsWith('now')) return parseRelative(text, input, what);
  const iso = ISO_PATTERN.exec(text);
  if (iso) {
    // A datetime without a zone is read as UTC, never as the server's local time.
    const hasTime = /[T ]\d/i.test(text);
    const normalised = text.replace(/[ t]/, 'T') + (hasTime && !iso[1] ? 'Z' : '');
    const ms = Date.parse(normalised);
    if (Number.isFinite(ms) && dayExists(text)) return { kind: 'absolute', ms };
  }
  throw badTime(input, what);
}

/** Date.parse rolls 2026-02-30 over into March; a date that does not exist is a typo. */
function dayExists(text: string): boolean {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function parseRelative(text: string, input: unknown, what: string): TimeSpec {
  const match = RELATIVE_PATTERN.exec(text);
  if (!match) throw badTime(input, what);
  const steps: RelativeStep[] = [];
  for (const step of (match[1] ?? '').matchAll(STEP_PATTERN)) {
    steps.push({ sign: step[1] === '-' ? -1 : 1, amount: Number(step[2]), unit: step[3] as CalendarUnit });
  }
  return { kind: 'relative', text, steps, roundTo: match[2] as CalendarUnit | undefined };
}

function epochMs(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0) throw badTime(value, what);
  if (value < SMALLEST_PLAUSIBLE_MS) {
    throw new BadUserInputError(
      `${what} must be ${TIME_FORMS}; got ${value}, which looks like epoch seconds (multiply by 1000)`,
      { field: what },
    );
  }
  if (value > 8_640_000_000_000_000) throw badTime(value, what);
  return value;
}

function badTime(input: unknown, what: string): BadUserInputError {
  return new BadUserInputError(`${what} must be ${TIME_FORMS}; got ${showValue(input)}`, { field: what });
}

/**
 * Resolves a time against `now`. Rounding (`/d`) goes to the start of the unit for a range's start
 * and to the start of the next unit for its end, so `from: now/d, to: now/d` is all of today.
 */
export function resolveTime(spec: TimeSpec, now: number, edge: 'from' | 'to'): number {
  if (spec.kind === 'absolute') return spec.ms;
  const date = new Date(now);
  for (const step of spec.steps) shift(date, step.unit, step.sign * step.amount);
  if (spec.roundTo) {
    truncate(date, spec.roundTo);
    if (edge === 'to') shift(date, spec.roundTo, 1);
  }
  return date.getTime();
}

function shift(date: Date, unit: CalendarUnit, amount: number): void {
  switch (unit) {
    case 's': date.setTime(date.getTime() + amount * MS.SECOND); break;
    case 'm': date.setTime(date.getTime() + amount * MS.MINUTE); break;
    case 'h': date.setTime(date.getTime() + amount * MS.HOUR); break;
    case 'd': date.setTime(date.getTime() + amount * MS.DAY); break;
    case 'w': date.setTime(date.getTime() + amount * MS.WEEK); break;
    case 'M': shiftMonths(date, amount); break;
    case 'y': shiftMonths(date, 12 * amount); break;
  }
}

/** Calendar months: Mar 31 minus one month is Feb 28 (or 29), never Mar 3. */
function shiftMonths(date: Date, months: number): void {
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
}

function truncate(date: Date, unit: CalendarUnit): void {
  switch (unit) {
    case 'y': date.setUTCMonth(0, 1); date.setUTCHours(0, 0, 0, 0); break;
    case 'M': date.setUTCDate(1); date.setUTCHours(0, 0, 0, 0); break;
    case 'w': {
      // ISO weeks start on Monday.
      const daysSinceMonday = (date.getUTCDay() + 6) % 7;
      date.setUTCDate(date.getUTCDate() - daysSinceMonday);
      date.setUTCHours(0, 0, 0, 0);
      break;
    }
    case 'd': date.setUTCHours(0, 0, 0, 0); break;
    case 'h': date.setUTCMinutes(0, 0, 0); break;
    case 'm': date.setUTCSeconds(0, 0); break;
    case 's': date.setUTCMilliseconds(0); break;
  }
}

/** The default window when a query names no range: the last hour. */
export const DEFAULT_RANGE_MS = MS.HOUR;

/**
 * Turns optional `from`/`to` into a concrete range. Missing `to` is now; missing `from` is one hour
 * before `to`. An empty or inverted range is the client's mistake and says so.
 */
export function resolveRange(
  from: TimeSpec | null | undefined,
  to: TimeSpec | null | undefined,
  now: number,
): TimeRange {
  const end = to ? resolveTime(to, now, 'to') : now;
  const start = from ? resolveTime(from, now, 'from') : end - DEFAULT_RANGE_MS;
  if (start >= end) {
    throw new BadUserInputError(
      `from must be before to; got from ${new Date(start).toISOString()} and to ${new Date(end).toISOString()}`,
      { field: 'from' },
    );
  }
  return { from: start, to: end };
}

/** Widens a range to whole steps: from down, to up, both on UTC step boundaries. */
export function alignRange(range: TimeRange, stepMs: number): TimeRange {
  return {
    from: Math.floor(range.from / stepMs) * stepMs,
    to: Math.ceil(range.to / stepMs) * stepMs,
  };
}

const NICE_STEPS = [
  MS.SECOND, 5 * MS.SECOND, 10 * MS.SECOND, 15 * MS.SECOND, 30 * MS.SECOND,
  MS.MINUTE, 5 * MS.MINUTE, 10 * MS.MINUTE, 15 * MS.MINUTE, 30 * MS.MINUTE,
  MS.HOUR, 3 * MS.HOUR, 6 * MS.HOUR, 12 * MS.HOUR, MS.DAY, MS.WEEK,
];

/**
 * The step used to align a range when the query names no interval: the smallest round step that
 * keeps the range under `maxSteps` steps. Grafana calls the same idea `maxDataPoints`.
 */
export function autoStep(range: TimeRange, maxSteps = 1000): number {
  const wanted = (range.to - range.from) / maxSteps;
  return NICE_STEPS.find((step) => step >= wanted) ?? MS.WEEK;
}
