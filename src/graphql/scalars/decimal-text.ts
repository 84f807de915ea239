import { quoted } from '../../core/echo.js';

/**
 * Bounds on a Decimal input, checked on its text before decimal.js sees it: decimal.js takes
 * "1e1000000000" at its word and builds a billion-digit number. Money needs none of that:
 *  - below 10^15 in magnitude: whole units stay exact even in a client that reads the answer as
 *    a double (2^53 is about 9 * 10^15), and no budget or bill comes near a quadrillion;
 *  - at most 12 decimal places: more than any currency's minor unit (at most 4) and enough for
 *    per-unit prices such as 0.000000125 a request; allocation weighs fixed shares in 10^-12 too;
 *  - hence at most 27 significant digits, and the text itself at most 64 characters.
 */
export const DECIMAL_MAX_INTEGER_DIGITS = 15;
export const DECIMAL_MAX_DECIMAL_PLACES = 12;
export const DECIMAL_MAX_TEXT_CHARS = 64;

export const DECIMAL_FORMS = 'a decimal number as a string ("10000.00") or a number';
export const DECIMAL_BOUNDS = `below 10^${DECIMAL_MAX_INTEGER_DIGITS} in magnitude with at most ${DECIMAL_MAX_DECIMAL_PLACES} decimal places`;

const DECIMAL_TEXT = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * The trimmed text when it is a decimal within the bounds; otherwise the message saying why not.
 * Linear in the text (at most 64 characters are looked at), whatever the exponent says.
 */
export function checkDecimalText(raw: string): { text: string } | { problem: string } {
  const text = raw.trim();
  if (text.length > DECIMAL_MAX_TEXT_CHARS) {
    return { problem: `Decimal must be ${DECIMAL_FORMS} of at most ${DECIMAL_MAX_TEXT_CHARS} characters, ${DECIMAL_BOUNDS}; got ${quoted(raw)}` };
  }
  const match = DECIMAL_TEXT.exec(text);
  const whole = match?.[1] ?? '';
  const fraction = match?.[2] ?? '';
  if (!match || whole + fraction === '') return { problem: `Decimal must be ${DECIMAL_FORMS}; got ${quoted(raw)}` };
  const digits = whole + fraction;
  const first = digits.search(/[1-9]/);
  // Zero is zero whatever its exponent.
  if (first === -1) return { text };
  const exponentText = (match[3] ?? '0').replace(/^[+-]?0*/, '');
  // Five exponent digits are already far out of bounds; this also keeps Number() exact.
  const exponent = exponentText.length > 4 ? Infinity : Number(exponentText || '0') * (match[3]?.startsWith('-') ? -1 : 1);
  let last = digits.length - 1;
  while (digits[last] === '0') last--;
  // Where the decimal point sits, counted in `digits`, once the exponent has moved it.
  const point = whole.length + exponent;
  const integerDigits = point - first;
  const decimalPlaces = last + 1 - point;
  if (integerDigits > DECIMAL_MAX_INTEGER_DIGITS || decimalPlaces > DECIMAL_MAX_DECIMAL_PLACES) {
    return { problem: `Decimal must be ${DECIMAL_BOUNDS}; got ${quoted(raw)}` };
  }
  return { text };
}
