import { Decimal } from 'decimal.js';
import { graphql, GraphQLError, Kind, parseValue, type ValueNode } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { describe, expect, it } from 'vitest';
import { DecimalScalar, DurationScalar, JSONScalar, ScalarInputError, TimeScalar } from '../../src/graphql/scalars/index.js';

/**
 * A tiny schema whose fields echo what the scalar parsed, so a test sees both directions:
 * input coercion (literal and variable) and output serialisation.
 */
const schema = makeExecutableSchema({
  typeDefs: /* GraphQL */ `
    scalar Time
    scalar Duration
    scalar Decimal
    scalar JSON
    type Query {
      parsedTime(at: Time!): JSON
      parsedDuration(every: Duration!): Float
      parsedDecimal(amount: Decimal!): String
      duration(ms: Float!): Duration
      decimal(text: String!): Decimal
    }
  `,
  resolvers: {
    Time: TimeScalar,
    Duration: DurationScalar,
    Decimal: DecimalScalar,
    JSON: JSONScalar,
    Query: {
      parsedTime: (_: unknown, args: { at: unknown }) => args.at,
      parsedDuration: (_: unknown, args: { every: number }) => args.every,
      parsedDecimal: (_: unknown, args: { amount: Decimal }) => `${args.amount instanceof Decimal}:${args.amount.toFixed()}`,
      duration: (_: unknown, args: { ms: number }) => args.ms,
      decimal: (_: unknown, args: { text: string }) => new Decimal(args.text),
    },
  },
});

async function run(source: string, variableValues?: Record<string, unknown>) {
  return graphql({ schema, source, variableValues });
}

function literal(kind: Kind.STRING | Kind.INT | Kind.FLOAT | Kind.BOOLEAN, value: string): ValueNode {
  return kind === Kind.BOOLEAN ? { kind, value: value === 'true' } : { kind, value };
}

function scalarError(run: () => unknown): ScalarInputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ScalarInputError);
    expect((error as ScalarInputError).extensions.code).toBe('BAD_USER_INPUT');
    return error as ScalarInputError;
  }
  throw new Error('expected a ScalarInputError, but nothing was thrown');
}

describe('Time', () => {
  it('serializes epoch ms, Dates and ISO strings as ISO-8601 UTC', () => {
    expect(TimeScalar.serialize(1793534400000)).toBe('2026-11-01T12:00:00.000Z');
    expect(TimeScalar.serialize(new Date(Date.UTC(2026, 10, 1, 12)))).toBe('2026-11-01T12:00:00.000Z');
    expect(TimeScalar.serialize('2026-11-01T14:00:00+02:00')).toBe('2026-11-01T12:00:00.000Z');
  });

  it('refuses to serialize what is not a time', () => {
    expect(() => TimeScalar.serialize('soon')).toThrow(new TypeError('Time cannot represent soon'));
    expect(() => TimeScalar.serialize(new Date(Number.NaN))).toThrow(TypeError);
  });

  it('parses literals and variables into time specs', async () => {
    const viaLiteral = await run('{ a: parsedTime(at: "2026-11-01T12:00:00Z") b: parsedTime(at: 1793534400000) c: parsedTime(at: "now-15m") }');
    expect(viaLiteral.errors).toBeUndefined();
    expect(viaLiteral.data).toEqual({
      a: { kind: 'absolute', ms: 1793534400000 },
      b: { kind: 'absolute', ms: 1793534400000 },
      c: { kind: 'relative', text: 'now-15m', steps: [{ sign: -1, amount: 15, unit: 'm' }] },
    });
    const viaVariable = await run('query ($at: Time!) { parsedTime(at: $at) }', { at: '1793534400000' });
    expect(viaVariable.data).toEqual({ parsedTime: { kind: 'absolute', ms: 1793534400000 } });
  });

  it('rejects bad times with BAD_USER_INPUT on both the literal and the variable path', async () => {
    const viaLiteral = await run('{ parsedTime(at: 1793534400) }');
    expect(viaLiteral.errors).toHaveLength(1);
    expect(viaLiteral.errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
    expect(viaLiteral.errors![0]!.message).toContain('looks like epoch seconds');

    const viaVariable = await run('query ($at: Time!) { parsedTime(at: $at) }', { at: 'yesterday' });
    expect(viaVariable.errors).toHaveLength(1);
    expect(viaVariable.errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
    expect(viaVariable.errors![0]!.message).toContain("Time must be ISO-8601");
    expect(viaVariable.errors![0]!.message).toContain("got 'yesterday'");
  });

  it('rejects literal kinds other than string and int', () => {
    const error = scalarError(() => TimeScalar.parseLiteral(literal(Kind.FLOAT, '1.5')));
    expect(error.scalar).toBe('Time');
    expect(error.message).toMatch(/^Time must be ISO-8601 /);
  });
});

describe('Duration', () => {
  it('serializes milliseconds to the short form', async () => {
    expect(DurationScalar.serialize(300_000)).toBe('5m');
    expect(DurationScalar.serialize(1500)).toBe('1500ms');
    expect(DurationScalar.serialize('5 minutes')).toBe('5m');
    expect(await run('{ duration(ms: 3600000) }')).toEqual({ data: { duration: '1h' } });
  });

  it('refuses to serialize non-durations', () => {
    expect(() => DurationScalar.serialize(Number.POSITIVE_INFINITY)).toThrow(new TypeError('Duration cannot represent Infinity'));
    expect(() => DurationScalar.serialize(true)).toThrow(TypeError);
  });

  it('parses strings as durations and numbers as seconds, to milliseconds', async () => {
    const result = await run('{ a: parsedDuration(every: "5m") b: parsedDuration(every: 300) c: parsedDuration(every: 1.5) }');
    expect(result).toEqual({ data: { a: 300_000, b: 300_000, c: 1500 } });
    expect(DurationScalar.parseValue('1hour')).toBe(3_600_000);
  });

  it('rejects bad durations with BAD_USER_INPUT', async () => {
    const error = scalarError(() => DurationScalar.parseValue('5x'));
    expect(error.message).toBe("Duration must be a duration like 30s, 5m, 5min, 1h, 1hour, 1d, 7day or a number of seconds; got '5x'");
    expect(scalarError(() => DurationScalar.parseLiteral(literal(Kind.INT, '0'))).message).toBe(
      'Duration must be greater than zero; got 0',
    );
    expect(scalarError(() => DurationScalar.parseLiteral(literal(Kind.BOOLEAN, 'true'))).scalar).toBe('Duration');

    const viaVariable = await run('query ($every: Duration!) { parsedDuration(every: $every) }', { every: '-1m' });
    expect(viaVariable.errors).toHaveLength(1);
    expect(viaVariable.errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('Decimal', () => {
  it('keeps decimal strings exact', async () => {
    expect(await run('{ parsedDecimal(amount: "10000.005") }')).toEqual({ data: { parsedDecimal: 'true:10000.005' } });
    const viaVariable = await run('query ($amount: Decimal!) { parsedDecimal(amount: $amount) }', {
      amount: '123456789012345.123456789012',
    });
    expect(viaVariable).toEqual({ data: { parsedDecimal: 'true:123456789012345.123456789012' } });
  });

  it('accepts numbers, signs, exponents and bare points', () => {
    expect((DecimalScalar.parseValue(0.1) as Decimal).toFixed()).toBe('0.1');
    expect((DecimalScalar.parseValue('-1.5e3') as Decimal).toFixed()).toBe('-1500');
    expect((DecimalScalar.parseValue('.5') as Decimal).toFixed()).toBe('0.5');
    expect((DecimalScalar.parseLiteral(literal(Kind.INT, '42')) as Decimal).toFixed()).toBe('42');
  });

  it('serializes as a plain string without exponent', async () => {
    expect(DecimalScalar.serialize(new Decimal('1e21'))).toBe('1000000000000000000000');
    expect(DecimalScalar.serialize('10000.005')).toBe('10000.005');
    expect(DecimalScalar.serialize(0.1)).toBe('0.1');
    expect(await run('{ decimal(text: "0.30000000000000000001") }')).toEqual({ data: { decimal: '0.30000000000000000001' } });
  });

  it.each([['1e'], ['abc'], ['1.2.3'], [''], ['NaN'], ['Infinity']])('rejects %j', (text) => {
    const error = scalarError(() => DecimalScalar.parseValue(text));
    expect(error.message).toBe(`Decimal must be a decimal number as a string ("10000.00") or a number; got ${JSON.stringify(text)}`);
  });

  it('rejects NaN, infinities and non-numbers', () => {
    scalarError(() => DecimalScalar.parseValue(Number.NaN));
    scalarError(() => DecimalScalar.parseValue(Number.POSITIVE_INFINITY));
    expect(scalarError(() => DecimalScalar.parseValue(true)).message).toMatch(/; got true$/);
    expect(scalarError(() => DecimalScalar.parseLiteral(literal(Kind.BOOLEAN, 'false'))).scalar).toBe('Decimal');
  });

  it('reports a bad literal as BAD_USER_INPUT through graphql', async () => {
    const result = await run('{ parsedDecimal(amount: "1e") }');
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]).toBeInstanceOf(GraphQLError);
    expect(result.errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('literal kinds a scalar does not take', () => {
  it('are named in plain words in the error', () => {
    expect(scalarError(() => TimeScalar.parseLiteral(literal(Kind.FLOAT, '1.5'))).message).toMatch(/; got a float value$/);
    expect(scalarError(() => DurationScalar.parseLiteral(literal(Kind.BOOLEAN, 'true'))).message).toMatch(/; got a boolean value$/);
    expect(scalarError(() => DecimalScalar.parseLiteral(literal(Kind.BOOLEAN, 'false'))).message).toMatch(/; got a boolean value$/);
  });
});

describe('JSON', () => {
  it('passes values through and reads literals, variables included', () => {
    expect(JSONScalar.parseValue({ a: [1, 'x'] })).toEqual({ a: [1, 'x'] });
    expect(JSONScalar.serialize({ a: null })).toEqual({ a: null });
    expect(JSONScalar.parseLiteral(parseValue('{ a: [1, "x", $v], b: null }'), { v: true })).toEqual({ a: [1, 'x', true], b: null });
  });
});
