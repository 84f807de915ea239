import { Decimal } from 'decimal.js';
import { GraphQLScalarType, Kind } from 'graphql';
import { describeKind, ScalarInputError } from './input-error.js';

const FORMS = 'a decimal number as a string ("10000.00") or a number';
const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Exact decimals for money: strings on the wire so no client rounds them through a double. */
export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: `An exact decimal number. Input: ${FORMS}. Output: a string.`,
  serialize(value) {
    if (value instanceof Decimal) return value.toFixed();
    // Strings keep their digits: "25.90" is a money amount in cents and must not become "25.9".
    if (typeof value === 'string' && DECIMAL_TEXT.test(value.trim())) return value.trim();
    if (typeof value === 'string' || typeof value === 'number') return toDecimal(value).toFixed();
    throw new TypeError(`Decimal cannot represent ${String(value)}`);
  },
  parseValue(value) {
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new ScalarInputError('Decimal', `Decimal must be ${FORMS}; got ${JSON.stringify(value)}`);
    }
    return toDecimal(value);
  },
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return toDecimal(ast.value);
    throw new ScalarInputError('Decimal', `Decimal must be ${FORMS}; got ${describeKind(ast.kind)} value`);
  },
});

function toDecimal(value: string | number): Decimal {
  const text = String(value).trim();
  if (typeof value === 'number' ? !Number.isFinite(value) : !DECIMAL_TEXT.test(text)) {
    throw new ScalarInputError('Decimal', `Decimal must be ${FORMS}; got ${JSON.stringify(value)}`);
  }
  return new Decimal(text);
}
