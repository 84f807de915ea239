/**
 * Adds decimal strings exactly ("25.87" + "33.31"), as the gateway sends money: floating point
 * would turn a correct split into a sum that is a cent off.
 */
export function sumDecimals(values: readonly string[]): string {
  const parsed = values.map(parseDecimal);
  const scale = Math.max(0, ...parsed.map((p) => p.scale));
  let total = 0n;
  for (const { units, scale: s } of parsed) total += units * 10n ** BigInt(scale - s);
  return formatUnits(total, scale);
}

function parseDecimal(text: string): { units: bigint; scale: number } {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new Error(`an amount must be a decimal like 12.34; got '${text}'`);
  const fraction = match[3] ?? '';
  const units = BigInt(`${match[2]}${fraction}`);
  return { units: match[1] ? -units : units, scale: fraction.length };
}

function formatUnits(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Whether two decimal strings are the same number ("100.0" and "100.00" are). */
export function sameDecimal(a: string, b: string): boolean {
  return isZero(sumDecimals([a, negate(b)]));
}

function negate(text: string): string {
  return text.startsWith('-') ? text.slice(1) : `-${text}`;
}

function isZero(text: string): boolean {
  return /^-?0*(\.0*)?$/.test(text);
}
