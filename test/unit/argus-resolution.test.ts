import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../src/core/errors.js';
import { parseDuration } from '../../src/core/duration.js';
import { resolutionMs, toResolution } from '../../src/sources/argus/resolution.js';

describe('interval to Argus resolution', () => {
  it.each([
    ['5m', 5, 'minutes'],
    ['1h', 1, 'hours'],
    ['90m', 90, 'minutes'],
    ['1d', 1, 'days'],
    ['7day', 7, 'days'],
    ['30s', 30, 'seconds'],
    ['20s', 20, 'seconds'],
    ['1500ms', 1500, 'milliseconds'],
    ['36h', 36, 'hours'],
  ])('%s is %i %s', (interval, resolution, resolutionUnit) => {
    const ms = parseDuration(interval, 'interval');
    const answer = toResolution(ms);
    expect(answer).toEqual({ resolution, resolutionUnit });
    expect(resolutionMs(answer)).toBe(ms);
  });

  it('uses the largest unit, so Argus never caps a resolution above 10000 (20000 ms is 20 seconds)', () => {
    expect(toResolution(20_000)).toEqual({ resolution: 20, resolutionUnit: 'seconds' });
    expect(toResolution(10_000)).toEqual({ resolution: 10, resolutionUnit: 'seconds' });
  });

  it('refuses an interval that would need more than 10000 of its unit, saying what to give instead', () => {
    expect(() => toResolution(10_001)).toThrow(BadUserInputError);
    expect(() => toResolution(10_001)).toThrow('interval 10001ms is 10001 milliseconds; Argus takes at most 10000 of a unit, so give a whole number of seconds');
  });
});
