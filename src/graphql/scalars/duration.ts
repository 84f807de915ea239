import { GraphQLScalarType, Kind } from 'graphql';
import { DURATION_FORMS, formatDuration, parseDuration } from '../../core/duration.js';
import { describeKind, parseAs, ScalarInputError } from './input-error.js';

/** Durations travel as milliseconds inside the gateway and as `5m`-style text on the wire. */
export const DurationScalar = new GraphQLScalarType({
  name: 'Duration',
  description: `A length of time. Input: ${DURATION_FORMS}. Output: the short form, like 5m.`,
  serialize(value) {
    if (typeof value === 'number' && Number.isFinite(value)) return formatDuration(value);
    if (typeof value === 'string') return formatDuration(parseDuration(value));
    throw new TypeError(`Duration cannot represent ${String(value)}`);
  },
  parseValue(value) {
    return parseAs('Duration', () => parseDuration(value, 'Duration'));
  },
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) {
      const raw = ast.kind === Kind.STRING ? ast.value : Number(ast.value);
      return parseAs('Duration', () => parseDuration(raw, 'Duration'));
    }
    throw new ScalarInputError('Duration', `Duration must be ${DURATION_FORMS}; got ${describeKind(ast.kind)} value`);
  },
});
