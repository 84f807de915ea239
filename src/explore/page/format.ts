/** How numbers, labels and times read on the page. */

export interface Label {
  key: string;
  value: string;
}

/** `customer_id=acme, service=checkout`, or `(no labels)`. */
export function labelSet(labels: readonly Label[]): string {
  return labels.length ? labels.map((label) => `${label.key}=${label.value}`).join(', ') : '(no labels)';
}

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 2 });
const precise = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 6 });

/** Axis ticks: 1.2K, 3.4M. */
export function compactNumber(value: number): string {
  return Math.abs(value) < 1000 ? precise.format(Number(value.toPrecision(6))) : compact.format(value);
}

/** A value with its unit, for legends and tables; gaps read as a dash. */
export function withUnit(value: number | null | undefined, unit: string | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const number = precise.format(value);
  if (!unit) return number;
  return unit === '%' || unit === 'percent' ? `${number} %` : `${number} ${unit}`;
}

export function percent(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return `${value > 0 ? '+' : ''}${precise.format(Number(value.toFixed(2)))} %`;
}

export function dateTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

export function bytes(count: number): string {
  if (count < 1024) return `${count} B`;
  if (count < 1024 ** 2) return `${(count / 1024).toFixed(1)} KB`;
  return `${(count / 1024 ** 2).toFixed(1)} MB`;
}

/** Colour-blind-friendly first (Okabe-Ito and Tableau), then evenly spread hues for large legends. */
const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#d55e00', '#cc79a7', '#56b4e9', '#f0e442', '#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1'];

export function colour(index: number): string {
  if (index < PALETTE.length) return PALETTE[index]!;
  const hue = (index * 137.508) % 360;
  return `hsl(${hue.toFixed(0)} 65% 45%)`;
}
