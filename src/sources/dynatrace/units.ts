/**
 * Unit conversion between Dynatrace's units and the units the gateway's metric names promise.
 * An internal name that ends in a time unit (`http_duration_ms`) says what its values are in;
 * Dynatrace reports response and CPU time in microseconds (the integration document claims
 * milliseconds, which is wrong), so those values are divided by 1000 on the way in.
 */

/** Dynatrace time units in milliseconds, as descriptors spell them. */
const TIME_UNIT_MS: Readonly<Record<string, number>> = {
  NanoSecond: 1e-6,
  MicroSecond: 1e-3,
  MilliSecond: 1,
  Second: 1000,
  Minute: 60_000,
  Hour: 3_600_000,
  Day: 86_400_000,
};

/** Name suffixes that declare a time unit, with the unit's short form. */
const NAME_SUFFIXES: ReadonlyArray<[RegExp, string, string]> = [
  [/_(ns|nanoseconds)$/, 'NanoSecond', 'ns'],
  [/_(us|microseconds)$/, 'MicroSecond', 'us'],
  [/_(ms|milliseconds)$/, 'MilliSecond', 'ms'],
  [/_(s|seconds)$/, 'Second', 's'],
  [/_minutes$/, 'Minute', 'min'],
  [/_hours$/, 'Hour', 'h'],
];

/** Short names for units that are not time (the rest pass through as Dynatrace spells them). */
const FRIENDLY: Readonly<Record<string, string>> = { Count: 'count', Percent: 'percent', PerSecond: 'per second', PerMinute: 'per minute' };

export interface UnitConversion {
  /** Multiply by this, then divide by `divide` (kept apart so 1234 µs is exactly 1.234 ms). */
  multiply: number;
  divide: number;
  /** The unit of the converted values, for `Series.unit`; undefined when nobody knows it. */
  unit: string | undefined;
}

export const NO_CONVERSION: UnitConversion = { multiply: 1, divide: 1, unit: undefined };

/** The Dynatrace time unit an internal name declares, if it declares one. */
export function declaredTimeUnit(name: string): { unit: string; short: string } | undefined {
  for (const [pattern, unit, short] of NAME_SUFFIXES) if (pattern.test(name)) return { unit, short };
  return undefined;
}

/**
 * How values of a Dynatrace metric in `upstreamUnit` become values of the internal `name`.
 * Throws when the name promises a time unit and the Dynatrace unit is unknown or is not time:
 * converting would be a guess, and serving unconverted numbers under that name would be a lie.
 */
export function unitConversion(name: string, upstreamUnit: string | undefined): UnitConversion {
  const declared = declaredTimeUnit(name);
  if (!declared) {
    return { multiply: 1, divide: 1, unit: friendlyUnit(upstreamUnit) };
  }
  if (upstreamUnit === undefined) {
    throw new Error(`'${name}' promises ${declared.unit} values but the Dynatrace unit of its key is unknown; set upstreamUnit in its mapping`);
  }
  const from = TIME_UNIT_MS[upstreamUnit];
  if (from === undefined) {
    throw new Error(`'${name}' promises ${declared.unit} values but Dynatrace reports the metric in ${upstreamUnit}; map it to a name without a time suffix`);
  }
  const to = TIME_UNIT_MS[declared.unit]!;
  const ratio = from / to;
  return ratio >= 1
    ? { multiply: Math.round(ratio), divide: 1, unit: declared.short }
    : { multiply: 1, divide: Math.round(1 / ratio), unit: declared.short };
}

/** How a Dynatrace unit reads in results (Count -> count); other units pass through as spelled. */
export function friendlyUnit(upstreamUnit: string | undefined): string | undefined {
  return upstreamUnit === undefined ? undefined : (FRIENDLY[upstreamUnit] ?? upstreamUnit);
}

export function convert(value: number, conversion: UnitConversion): number {
  if (conversion.multiply === 1 && conversion.divide === 1) return value;
  return (value * conversion.multiply) / conversion.divide;
}

export function isTimeUnit(unit: string): boolean {
  return unit in TIME_UNIT_MS;
}
