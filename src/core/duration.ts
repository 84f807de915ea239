import { clip, quoted } from './echo.js';
import { BadUserInputError } from './errors.js';

/**
 * Durations (intervals, TTLs, windows) as milliseconds. Input is forgiving because people copy
 * intervals from Grafana (`5m`), from vendor docs (`5min`, `1hour`) and from APIs that speak
 * seconds (`300`); output is always the short form (`5m`).
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

export const MS = { SECOND, MINUTE, HOUR, DAY, WEEK } as const;

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: SECOND, sec: SECOND, secs: SECOND, second: SECOND, seconds: SECOND,
  m: MINUTE, min: MINUTE, mins: MINUTE, minute: MINUTE, minutes: MINUTE,
  h: HOUR, hr: HOUR, hrs: HOUR, hour: HOUR, hours: HOUR,
  d: DAY, day: DAY, days: DAY,
  w: WEEK, wk: WEEK, week: WEEK, weeks: WEEK,
};

/** The longest duration anything in the gateway accepts: a year of data in one bucket is enough. */
export const MAX_DURATION_MS = 366 * DAY;

export const DURATION_FORMS = "a duration like 30s, 5m, 5min, 1h, 1hour, 1d, 7day or a number of seconds";

const DURATION_PATTERN = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/;

/**
 * Parses a duration and returns milliseconds. `what` names the argument in the error message.
 * Plain numbers (and numeric strings) are seconds, as in the Darktrace and Dynatrace APIs.
 */
export function parseDuration(input: unknown, what = 'duration'): number {
  const ms = toMs(input);
  if (ms === undefined) {
    throw new BadUserInputError(`${what} must be ${DURATION_FORMS}; got ${show(input)}`, { field: what });
  }
  if (ms <= 0) {
    throw new BadUserInputError(`${what} must be greater than zero; got ${show(input)}`, { field: what });
  }
  if (ms > MAX_DURATION_MS) {
    throw new BadUserInputError(`${what} must be at most 366 days; got ${show(input)}`, { field: what });
  }
  if (!Number.isInteger(ms)) {
    throw new BadUserInputError(`${what} must be a whole number of milliseconds; got ${show(input)}`, { field: what });
  }
  return ms;
}

function toMs(input: unknown): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) ? input * SECOND : undefined;
  if (typeof input !== 'string') return undefined;
  // `M` is a month in Time expressions; as a duration it would silently mean minutes. Refuse it.
  if (/\dM$/.test(input.trim())) return undefined;
  const text = input.trim().toLowerCase();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text) * SECOND;
  const match = DURATION_PATTERN.exec(text);
  if (!match) return undefined;
  const unit = UNIT_MS[match[2]!];
  return unit === undefined ? undefined : Number(match[1]) * unit;
}

const FORMAT_UNITS: Array<[number, string]> = [
  [WEEK, 'w'], [DAY, 'd'], [HOUR, 'h'], [MINUTE, 'm'], [SECOND, 's'],
];

/** 300000 -> "5m", 90000 -> "90s", 1500 -> "1500ms": the largest unit that divides evenly. */
export function formatDuration(ms: number): string {
  for (const [size, suffix] of FORMAT_UNITS) {
    if (ms >= size && ms % size === 0) return `${ms / size}${suffix}`;
  }
  return `${ms}ms`;
}

/** The bad value for a message, cut short: it came from the client and may be any size. */
function show(value: unknown): string {
  if (typeof value === 'string') return `'${clip(value)}'`;
  return quoted(value);
}
export { show as showValue };
