/**
 * Dynatrace's time parameters as the emulator reads them. `from`/`to`: epoch milliseconds, ISO
 * (`2021-01-25T05:57:01.123+01:00`, a space for the T, UTC when no zone), or relative
 * `now[-NU][/A]` with units m h d w M y. `resolution`: a point count, a timespan (`10m`, `1h`,
 * `1d`, `1w`) or `Inf`. Calendar resolutions (M, q, y) and per-expression resolutions are not
 * modelled and answer 400 here.
 */

export class TimeParamError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

const MINUTE = 60_000;
const UNIT_MS: Readonly<Record<string, number>> = { m: MINUTE, h: 60 * MINUTE, d: 1440 * MINUTE, w: 10_080 * MINUTE };

export function parseTimeParam(value: string, parameter: 'from' | 'to', now: number): number {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const relative = /^now(?:-(\d+)([mhdwMy]))?(?:\/([mhdwMy]))?$/.exec(text);
  if (relative) {
    const date = new Date(now);
    if (relative[1]) {
      const amount = Number(relative[1]);
      const unit = relative[2]!;
      if (unit === 'M') date.setUTCMonth(date.getUTCMonth() - amount);
      else if (unit === 'y') date.setUTCFullYear(date.getUTCFullYear() - amount);
      else date.setTime(date.getTime() - amount * UNIT_MS[unit]!);
    }
    if (relative[3]) align(date, relative[3]);
    return date.getTime();
  }
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?))?(Z|[+-]\d{2}:\d{2})?$/.exec(text);
  if (iso) {
    const ms = Date.parse(`${iso[1]}T${iso[2] ?? '00:00'}${iso[3] ?? 'Z'}`);
    if (Number.isFinite(ms)) return ms;
  }
  throw new TimeParamError(parameter, `${parameter} must be a UTC millisecond timestamp, a time like 2021-01-25T05:57:01.123+01:00, or now-NU/A; got '${value}'`);
}

function align(date: Date, unit: string): void {
  if (unit === 'y') date.setUTCMonth(0, 1);
  if (unit === 'M' || unit === 'y') date.setUTCDate(unit === 'M' ? 1 : date.getUTCDate());
  if (unit === 'w') date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  if (unit !== 'm' && unit !== 'h') date.setUTCHours(0, 0, 0, 0);
  if (unit === 'h') date.setUTCMinutes(0, 0, 0);
  if (unit === 'm') date.setUTCSeconds(0, 0);
}

/** Slot sizes the emulator picks from when asked for a number of points. */
const LADDER = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 10_080].map((minutes) => minutes * MINUTE);

/** The slot size for a resolution over [from, to): milliseconds, or Infinity for Inf. */
export function slotFor(resolution: string | null, from: number, to: number): number {
  const text = resolution?.trim() ?? '';
  if (text === '') return pickSlot(120, from, to);
  if (text === 'Inf') return Infinity;
  if (/^\d+$/.test(text)) {
    const points = Number(text);
    if (points < 1) throw new TimeParamError('resolution', `resolution must ask for at least 1 data point; got '${resolution}'`);
    return pickSlot(points, from, to);
  }
  const span = /^(\d+)([mhdw])$/.exec(text);
  if (span && Number(span[1]) > 0) return Number(span[1]) * UNIT_MS[span[2]!]!;
  if (/^\d+[Mqy]$/.test(text) || text.includes(':')) {
    throw new TimeParamError('resolution', `resolution '${resolution}' (calendar slots or per-expression resolutions) is not modelled by the emulator`);
  }
  throw new TimeParamError('resolution', `resolution must be a number of points, a timespan like 10m, 1h, 1d or 1w, or Inf; got '${resolution}'`);
}

function pickSlot(points: number, from: number, to: number): number {
  const wanted = (to - from) / points;
  return LADDER.find((slot) => slot >= wanted) ?? LADDER[LADDER.length - 1]!;
}

/** The resolution as the answer states it: 1m, 5m, 1h, 1d, 1w or Inf. */
export function formatSlot(slotMs: number): string {
  if (!Number.isFinite(slotMs)) return 'Inf';
  for (const [unit, size] of [['w', UNIT_MS.w!], ['d', UNIT_MS.d!], ['h', UNIT_MS.h!], ['m', MINUTE]] as const) {
    if (slotMs % size === 0) return `${slotMs / size}${unit}`;
  }
  return `${slotMs / MINUTE}m`;
}
