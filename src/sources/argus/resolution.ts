import { BadUserInputError } from '../../core/errors.js';
import { formatDuration, MS } from '../../core/duration.js';

/**
 * Argus buckets an aggregate by `resolution` (a count) of `resolutionUnit` (milliseconds, seconds,
 * minutes, hours, days); `resolution: 0` is one bucket over the whole range. It caps resolution at
 * 10000 without saying so, which would quietly turn a 20000 ms interval into 10000 ms. So the
 * interval is written in the largest unit that divides it evenly (20000 ms is 20 seconds), and an
 * interval that still needs more than 10000 of its unit is refused.
 */

export const RESOLUTION_UNITS = ['days', 'hours', 'minutes', 'seconds', 'milliseconds'] as const;
export type ResolutionUnit = (typeof RESOLUTION_UNITS)[number];

const UNIT_MS: Record<ResolutionUnit, number> = {
  days: MS.DAY,
  hours: MS.HOUR,
  minutes: MS.MINUTE,
  seconds: MS.SECOND,
  milliseconds: 1,
};

export const MAX_RESOLUTION = 10_000;

export interface Resolution {
  resolution: number;
  resolutionUnit: ResolutionUnit;
}

/** The whole range as one bucket. */
export const WHOLE_RANGE: Resolution = { resolution: 0, resolutionUnit: 'milliseconds' };

export function toResolution(intervalMs: number, source?: string): Resolution {
  if (!Number.isInteger(intervalMs) || intervalMs <= 0) {
    throw new BadUserInputError(`interval must be a whole, positive number of milliseconds; got ${intervalMs}`, { field: 'interval', source });
  }
  const unit = RESOLUTION_UNITS.find((candidate) => intervalMs % UNIT_MS[candidate] === 0)!;
  const resolution = intervalMs / UNIT_MS[unit];
  if (resolution > MAX_RESOLUTION) {
    throw new BadUserInputError(
      `interval ${formatDuration(intervalMs)} is ${resolution} ${unit}; Argus takes at most ${MAX_RESOLUTION} of a unit, so give a whole number of ${nextUnit(unit)}`,
      { field: 'interval', source },
    );
  }
  return { resolution, resolutionUnit: unit };
}

export function resolutionMs(resolution: Resolution): number {
  return resolution.resolution * UNIT_MS[resolution.resolutionUnit];
}

function nextUnit(unit: ResolutionUnit): ResolutionUnit {
  return RESOLUTION_UNITS[Math.max(0, RESOLUTION_UNITS.indexOf(unit) - 1)]!;
}
