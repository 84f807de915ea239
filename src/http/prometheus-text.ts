/**
 * The Prometheus text exposition format (version 0.0.4), written by hand because the families
 * come from the collector's store, not from prom-client objects: HELP and TYPE lines first, then
 * the samples; label values and help text escaped as the format requires.
 */

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type FamilyType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  /** The sample's own name (`x_bucket`, `x_sum`, ...). */
  name: string;
  labels: ReadonlyArray<readonly [string, string]>;
  value: number;
}

export interface Family {
  name: string;
  type: FamilyType;
  help: string;
  samples: Sample[];
}

export function renderFamily(family: Family): string {
  let out = `# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`;
  for (const sample of family.samples) out += `${sample.name}${renderLabels(sample.labels)} ${formatValue(sample.value)}\n`;
  return out;
}

export function renderLabels(labels: ReadonlyArray<readonly [string, string]>): string {
  if (labels.length === 0) return '';
  return `{${labels.map(([key, value]) => `${key}="${escapeLabelValue(value)}"`).join(',')}}`;
}

/** Label values escape backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Help text escapes backslash and line feed (quotes stay as they are). */
export function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** Sample names a family produces in a scrape, to keep two families from sharing one. */
export function sampleNames(family: Pick<Family, 'name' | 'type'>): string[] {
  if (family.type === 'histogram') return [family.name, `${family.name}_bucket`, `${family.name}_sum`, `${family.name}_count`];
  if (family.type === 'summary') return [family.name, `${family.name}_sum`, `${family.name}_count`];
  return [family.name];
}

/** Family names and types in a text exposition (prom-client's output), for the collision check. */
export function familiesIn(text: string): Array<{ name: string; type: FamilyType }> {
  const out: Array<{ name: string; type: FamilyType }> = [];
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) out.push({ name: match[1]!, type: match[2] as FamilyType });
  return out;
}
