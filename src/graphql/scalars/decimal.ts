import { Decimal } from 'decimal.js';
import { GraphQLScalarType, Kind } from 'graphql';
import { quoted } from '../../core/echo.js';
import { checkDecimalText, DECIMAL_BOUNDS, DECIMAL_FORMS } from './decimal-text.js';
import { describeKind, ScalarInputError } from './input-error.js';

const OUTPUT_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Exact decimals for money: strings on the wire so no client rounds them through a double. */
export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: `An exact decimal number. Input: ${DECIMAL_FORMS}, ${DECIMAL_BOUNDS}. Output: a string.`,
  serialize(value) {
    if (value instanceof Decimal) return value.toFixed();
    // Strings keep their digits: "25.90" is a money amount in cents and must not become "25.9".
    if (typeof value === 'string' && OUTPUT_TEXT.test(value.trim())) return value.trim();
    if (typeof value === 'number' && Number.isFinite(value)) return new Decimal(value).toFixed();
    throw new TypeError(`Decimal cannot represent ${quoted(value)}`);
  },
  parseValue(value) {
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new ScalarInputError('Decimal', `Decimal must be ${DECIMAL_FORMS}; got ${quoted(value)}`);
    }
    return toDecimal(value);
  },
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return toDecimal(ast.value);
    throw new ScalarInputError('Decimal', `Decimal must be ${DECIMAL_FORMS}; got ${describeKind(ast.kind)} value`);
  },
});

/** The bounds are checked on the text, so decimal.js never meets an exponent it would expand. */
function toDecimal(value: string | number): Decimal {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new ScalarInputError('Decimal', `Decimal must be ${DECIMAL_FORMS}; got ${quoted(value)}`);
  }
  const checked = checkDecimalText(String(value));
  if ('problem' in checked) throw new ScalarInputError('Decimal', checked.problem);
  return new Decimal(checked.text);
}
