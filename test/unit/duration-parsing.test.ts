import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/core/duration.js';
import { BadUserInputError } from '../../src/core/errors.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const FORMS = 'a duration like 30s, 5m, 5min, 1h, 1hour, 1d, 7day or a number of seconds';

function rejection(input: unknown, what?: string): BadUserInputError {
  try {
    parseDuration(input, what);
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInputError);
    return error as BadUserInputError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('parseDuration', () => {
  it.each([
    ['30s', 30 * SECOND],
    ['5m', 5 * MINUTE],
    ['5min', 5 * MINUTE],
    ['5 minutes', 5 * MINUTE],
    ['1h', HOUR],
    ['1hour', HOUR],
    ['1H', HOUR],
    ['1d', DAY],
    ['7day', 7 * DAY],
    ['2w', 14 * DAY],
    ['1.5m', 90 * SECOND],
    ['250ms', 250],
    ['366d', 366 * DAY],
  ])('reads %j as %i ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it('reads plain numbers and numeric strings as seconds', () => {
    expect(parseDuration(300)).toBe(5 * MINUTE);
    expect(parseDuration('300')).toBe(5 * MINUTE);
    expect(parseDuration(' 300 ')).toBe(5 * MINUTE);
    expect(parseDuration(0.5)).toBe(500);
  });

  it('rejects text it cannot read, naming the argument and listing the accepted forms', () => {
    for (const input of ['abc', '5x', '-5m', 'm5', '']) {
      const error = rejection(input, 'interval');
      expect(error.message).toBe(`interval must be ${FORMS}; got '${input}'`);
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.field).toBe('interval');
    }
  });

  it('rejects values that are not strings or numbers, showing them as JSON', () => {
    expect(rejection({ minutes: 5 }, 'window').message).toBe(`window must be ${FORMS}; got {"minutes":5}`);
    expect(rejection(null).message).toBe(`duration must be ${FORMS}; got null`);
    expect(rejection(Number.NaN).message).toBe(`duration must be ${FORMS}; got NaN`);
  });

  it('rejects zero and negative durations', () => {
    expect(rejection(0, 'interval').message).toBe('interval must be greater than zero; got 0');
    expect(rejection('0s', 'interval').message).toBe("interval must be greater than zero; got '0s'");
    expect(rejection(-5, 'interval').message).toBe('interval must be greater than zero; got -5');
  });

  it('rejects anything longer than 366 days', () => {
    expect(rejection('367d', 'ttl').message).toBe("ttl must be at most 366 days; got '367d'");
    expect(rejection('53w', 'ttl').message).toBe("ttl must be at most 366 days; got '53w'");
    expect(rejection(366 * 86_400 + 1, 'ttl').message).toBe('ttl must be at most 366 days; got 31622401');
  });

  it('rejects fractions of a millisecond', () => {
    expect(rejection('0.5ms', 'interval').message).toBe("interval must be a whole number of milliseconds; got '0.5ms'");
  });
});

describe('formatDuration', () => {
  it.each([
    [5 * MINUTE, '5m'],
    [90 * SECOND, '90s'],
    [1500, '1500ms'],
    [HOUR, '1h'],
    [36 * HOUR, '36h'],
    [DAY, '1d'],
    [14 * DAY, '2w'],
    [10 * DAY, '10d'],
  ])('writes %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round trips through parseDuration', () => {
    for (const ms of [1, 999, 1500, 30 * SECOND, 90 * SECOND, 5 * MINUTE, 36 * HOUR, 10 * DAY, 2 * 7 * DAY, 366 * DAY]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });
});

describe('durations and months', () => {
  it('refuses 1M, which would silently mean a minute while Time expressions read M as a month', () => {
    expect(() => parseDuration('1M', 'interval')).toThrow(/interval must be a duration like 30s/);
    expect(parseDuration('1m')).toBe(60_000);
  });
});
