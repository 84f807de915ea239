import { afterEach, describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../src/core/errors.js';
import { alignRange, autoStep, parseTime, resolveRange, resolveTime, type TimeSpec } from '../../src/core/time.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Parses and resolves in one step; `now` defaults to Wednesday 2026-11-04 15:27:42.123 UTC. */
function at(input: string, edge: 'from' | 'to' = 'from', now = '2026-11-04T15:27:42.123Z'): string {
  return new Date(resolveTime(parseTime(input), Date.parse(now), edge)).toISOString();
}

function absolute(input: unknown): number {
  const spec = parseTime(input);
  if (spec.kind !== 'absolute') throw new Error(`expected an absolute time, got ${JSON.stringify(spec)}`);
  return spec.ms;
}

function thrown(run: () => unknown): BadUserInputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInputError);
    return error as BadUserInputError;
  }
  throw new Error('expected a BadUserInputError, but nothing was thrown');
}

describe('parseTime: absolute times', () => {
  it('reads ISO-8601 with Z', () => {
    expect(absolute('2026-11-01T12:00:00Z')).toBe(Date.UTC(2026, 10, 1, 12));
  });

  it('reads ISO-8601 with offsets, with and without the colon', () => {
    expect(absolute('2026-11-01T12:00:00+02:00')).toBe(Date.UTC(2026, 10, 1, 10));
    expect(absolute('2026-11-01T12:00:00-0530')).toBe(Date.UTC(2026, 10, 1, 17, 30));
  });

  it('reads a datetime without a zone as UTC', () => {
    expect(absolute('2026-11-01T12:00:00')).toBe(Date.UTC(2026, 10, 1, 12));
    expect(absolute('2026-11-01 12:00')).toBe(Date.UTC(2026, 10, 1, 12));
    expect(absolute('2026-11-01T12:00:00.250')).toBe(Date.UTC(2026, 10, 1, 12, 0, 0, 250));
  });

  describe('in a server whose local zone is not UTC', () => {
    const original = process.env.TZ;
    afterEach(() => {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    });

    it('still reads a zoneless datetime as UTC, whatever the case of the T', () => {
      process.env.TZ = 'America/New_York';
      expect(absolute('2026-11-01T12:00:00')).toBe(Date.UTC(2026, 10, 1, 12));
      expect(absolute('2026-11-01t12:00:00')).toBe(Date.UTC(2026, 10, 1, 12));
    });
  });

  it('reads a date alone as UTC midnight', () => {
    expect(absolute('2026-11-01')).toBe(Date.UTC(2026, 10, 1));
  });

  it('rejects a calendar date that does not exist instead of rolling it over', () => {
    expect(thrown(() => parseTime('2026-02-30')).message).toContain("got '2026-02-30'");
  });

  it('reads epoch milliseconds as a number and as a numeric string', () => {
    expect(parseTime(1793534400000)).toEqual({ kind: 'absolute', ms: 1793534400000 });
    expect(parseTime('1793534400000')).toEqual({ kind: 'absolute', ms: 1793534400000 });
    expect(parseTime(' 1793534400000 ')).toEqual({ kind: 'absolute', ms: 1793534400000 });
  });

  it('rejects epoch seconds and says they look like seconds', () => {
    const error = thrown(() => parseTime(1793534400, 'from'));
    expect(error.message).toBe(
      'from must be ISO-8601 (2026-11-01T12:00:00Z), epoch milliseconds (1793534400000) or relative to now ' +
        '(now, now-15m, now-1d/d); got 1793534400, which looks like epoch seconds (multiply by 1000)',
    );
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.field).toBe('from');
    expect(thrown(() => parseTime('1793534400')).message).toContain('looks like epoch seconds');
  });

  it('rejects fractional, negative and non-numeric input, showing the value', () => {
    expect(thrown(() => parseTime(1793534400000.5)).message).toMatch(/; got 1793534400000\.5$/);
    expect(thrown(() => parseTime(-1)).message).toMatch(/; got -1$/);
    expect(thrown(() => parseTime('yesterday', 'to')).message).toMatch(/^to must be ISO-8601 .*; got 'yesterday'$/);
    expect(thrown(() => parseTime(true)).message).toMatch(/; got true$/);
    expect(thrown(() => parseTime('2026-13-01')).message).toMatch(/; got '2026-13-01'$/);
  });
});

describe('parseTime: relative times', () => {
  it('keeps relative times unresolved, with their steps and rounding', () => {
    expect(parseTime('now')).toEqual({ kind: 'relative', text: 'now', steps: [], roundTo: undefined });
    expect(parseTime('now-1d/d')).toEqual({
      kind: 'relative',
      text: 'now-1d/d',
      steps: [{ sign: -1, amount: 1, unit: 'd' }],
      roundTo: 'd',
    });
  });

  it('rejects words that merely start with now', () => {
    expect(thrown(() => parseTime('nowhere')).message).toMatch(/; got 'nowhere'$/);
    expect(thrown(() => parseTime('now-15x')).message).toMatch(/; got 'now-15x'$/);
  });

  it('resolves now and simple offsets against the given now', () => {
    expect(at('now')).toBe('2026-11-04T15:27:42.123Z');
    expect(at('now-15m')).toBe('2026-11-04T15:12:42.123Z');
    expect(at('now - 2h + 30s')).toBe('2026-11-04T13:28:12.123Z');
  });

  it('rounds down for from and up to the next unit start for to', () => {
    expect(at('now-1d/d', 'from')).toBe('2026-11-03T00:00:00.000Z');
    expect(at('now-1d/d', 'to')).toBe('2026-11-04T00:00:00.000Z');
    expect(at('now/d', 'from')).toBe('2026-11-04T00:00:00.000Z');
    expect(at('now/d', 'to')).toBe('2026-11-05T00:00:00.000Z');
    expect(at('now/h', 'to')).toBe('2026-11-04T16:00:00.000Z');
    expect(at('now/m', 'from')).toBe('2026-11-04T15:27:00.000Z');
  });

  it('starts ISO weeks on Monday, also when now is a Sunday', () => {
    expect(at('now/w')).toBe('2026-11-02T00:00:00.000Z');
    expect(at('now/w', 'to')).toBe('2026-11-09T00:00:00.000Z');
    expect(at('now/w', 'from', '2026-11-08T23:59:59.999Z')).toBe('2026-11-02T00:00:00.000Z');
    expect(at('now/w', 'from', '2026-11-09T00:00:00.000Z')).toBe('2026-11-09T00:00:00.000Z');
  });

  it('gives last month for now-1M/M', () => {
    expect(at('now-1M/M', 'from')).toBe('2026-10-01T00:00:00.000Z');
    expect(at('now-1M/M', 'to')).toBe('2026-11-01T00:00:00.000Z');
    expect(at('now-1M/M', 'from', '2026-01-15T08:00:00Z')).toBe('2025-12-01T00:00:00.000Z');
  });

  it('gives last month for now-1M/M on the 31st of a month after a shorter one', () => {
    expect(at('now-1M/M', 'from', '2026-03-31T10:00:00Z')).toBe('2026-02-01T00:00:00.000Z');
    expect(at('now-1M/M', 'to', '2026-03-31T10:00:00Z')).toBe('2026-03-01T00:00:00.000Z');
  });

  it('resolves absolute specs to themselves on either edge', () => {
    const spec: TimeSpec = { kind: 'absolute', ms: 1793534400000 };
    expect(resolveTime(spec, 0, 'from')).toBe(1793534400000);
    expect(resolveTime(spec, 0, 'to')).toBe(1793534400000);
  });
});

describe('resolveRange', () => {
  const now = Date.parse('2026-11-04T15:27:42.123Z');

  it('defaults to the last hour', () => {
    expect(resolveRange(undefined, null, now)).toEqual({ from: now - HOUR, to: now });
  });

  it('puts a missing from one hour before to', () => {
    expect(resolveRange(undefined, parseTime('2026-11-01T12:00:00Z'), now)).toEqual({
      from: Date.UTC(2026, 10, 1, 11),
      to: Date.UTC(2026, 10, 1, 12),
    });
  });

  it('uses now for a missing to', () => {
    expect(resolveRange(parseTime('now-15m'), undefined, now)).toEqual({ from: now - 15 * MINUTE, to: now });
  });

  it('makes from: now/d, to: now/d all of today', () => {
    expect(resolveRange(parseTime('now/d'), parseTime('now/d'), now)).toEqual({
      from: Date.UTC(2026, 10, 4),
      to: Date.UTC(2026, 10, 5),
    });
  });

  it('rejects an empty or inverted range with BAD_USER_INPUT on from', () => {
    for (const [from, to] of [['now', 'now'], ['now', 'now-1h']] as const) {
      const error = thrown(() => resolveRange(parseTime(from), parseTime(to), now));
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.field).toBe('from');
    }
    expect(thrown(() => resolveRange(parseTime('now'), parseTime('now-1h'), now)).message).toBe(
      'from must be before to; got from 2026-11-04T15:27:42.123Z and to 2026-11-04T14:27:42.123Z',
    );
  });
});

describe('alignRange', () => {
  it('widens from down and to up to whole UTC steps', () => {
    expect(alignRange({ from: 7 * MINUTE + 1, to: 12 * MINUTE + 1 }, 5 * MINUTE)).toEqual({
      from: 5 * MINUTE,
      to: 15 * MINUTE,
    });
  });

  it('leaves an already aligned range alone', () => {
    expect(alignRange({ from: 2 * HOUR, to: 5 * HOUR }, HOUR)).toEqual({ from: 2 * HOUR, to: 5 * HOUR });
  });
});

describe('autoStep', () => {
  it('picks the smallest round step that keeps the range under 1000 steps', () => {
    expect(autoStep({ from: 0, to: HOUR })).toBe(5_000);
    expect(autoStep({ from: 0, to: 1000 * MINUTE })).toBe(MINUTE);
    expect(autoStep({ from: 0, to: 1001 * MINUTE })).toBe(5 * MINUTE);
    expect(autoStep({ from: 0, to: DAY })).toBe(5 * MINUTE);
    expect(autoStep({ from: 0, to: 30 * DAY })).toBe(HOUR);
  });

  it('respects maxSteps', () => {
    expect(autoStep({ from: 0, to: DAY }, 24)).toBe(HOUR);
    expect(autoStep({ from: 0, to: DAY }, 25)).toBe(HOUR);
    expect(autoStep({ from: 0, to: DAY }, 23)).toBe(3 * HOUR);
  });

  it('stops at one week for very long ranges', () => {
    expect(autoStep({ from: 0, to: 20_000 * 7 * DAY })).toBe(7 * DAY);
  });
});
