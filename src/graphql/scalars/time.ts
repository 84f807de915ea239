import { GraphQLScalarType, Kind } from 'graphql';
import { parseTime, TIME_FORMS } from '../../core/time.js';
import { describeKind, parseAs, ScalarInputError } from './input-error.js';

export const TimeScalar = new GraphQLScalarType({
  name: 'Time',
  description: `A point in time. Input: ${TIME_FORMS}. Output: ISO-8601 UTC.`,
  serialize(value) {
    const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : value;
    if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new TypeError(`Time cannot represent ${String(value)}`);
    return new Date(ms).toISOString();
  },
  parseValue(value) {
    return parseAs('Time', () => parseTime(value, 'Time'));
  },
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING) return parseAs('Time', () => parseTime(ast.value, 'Time'));
    if (ast.kind === Kind.INT) return parseAs('Time', () => parseTime(Number(ast.value), 'Time'));
    throw new ScalarInputError('Time', `Time must be ${TIME_FORMS}; got ${describeKind(ast.kind)} value`);
  },
});
