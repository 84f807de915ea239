import type { MappingEntryConfig } from './config.js';

/**
 * Dynatrace metric keys under the names cost allocation uses. The default table is the one in the
 * cost allocation integration document, with its keys corrected: `builtin:service.errors.total`
 * and `builtin:service.keyRequest.count` do not exist (the real keys end in `.count` and
 * `.count.total`), and response and CPU time are microseconds, not milliseconds. The document's
 * wrong keys stay accepted as aliases, so export files made by following it still ingest.
 */

export type Rollup = 'sum' | 'avg' | 'min' | 'max';

export interface MetricMapping {
  /** The name queries and results use. */
  name: string;
  /** The real Dynatrace metric key. */
  key: string;
  /** Other keys that mean the same metric (misspellings in circulation). */
  aliases: readonly string[];
  /** The unit Dynatrace reports the key in, when known without asking it. */
  upstreamUnit?: string;
  /** How one UTC day of export data folds into one usage value. */
  rollup: Rollup;
}

export const DEFAULT_MAPPINGS: readonly MetricMapping[] = [
  { name: 'http_requests', key: 'builtin:service.requestCount.total', aliases: [], upstreamUnit: 'Count', rollup: 'sum' },
  { name: 'http_duration_ms', key: 'builtin:service.response.time', aliases: [], upstreamUnit: 'MicroSecond', rollup: 'avg' },
  { name: 'cpu_time_ms', key: 'builtin:service.cpu.time', aliases: [], upstreamUnit: 'MicroSecond', rollup: 'sum' },
  { name: 'error_count', key: 'builtin:service.errors.total.count', aliases: ['builtin:service.errors.total'], upstreamUnit: 'Count', rollup: 'sum' },
  { name: 'db_connections', key: 'builtin:service.dbconnections.success', aliases: [], upstreamUnit: 'Count', rollup: 'sum' },
  { name: 'key_requests', key: 'builtin:service.keyRequest.count.total', aliases: ['builtin:service.keyRequest.count'], upstreamUnit: 'Count', rollup: 'sum' },
];

/** A metric name from a query (or a key from an export file) resolved against the table. */
export interface ResolvedMetric {
  /** The name results carry: the mapped name, or the key itself when unmapped. */
  name: string;
  /** The Dynatrace key to ask for. */
  key: string;
  /** The table entry, when the name or key is mapped. */
  mapping?: MetricMapping;
}

export class MetricMappings {
  readonly #byName = new Map<string, MetricMapping>();
  readonly #byKey = new Map<string, MetricMapping>();

  constructor(readonly entries: readonly MetricMapping[]) {
    for (const entry of entries) {
      this.#byName.set(entry.name, entry);
      for (const key of [entry.key, ...entry.aliases]) this.#byKey.set(key, entry);
    }
  }

  /**
   * The default table, or `metricMappings` instead of it, with `customMappings` on top. A key
   * configured again replaces its earlier entry; a name claimed by two keys is a config error.
   */
  static fromConfig(metricMappings?: Record<string, MappingEntryConfig>, customMappings?: Record<string, MappingEntryConfig>): MetricMappings {
    const { mappings, problems } = buildMappings(metricMappings, customMappings);
    if (problems.length > 0) throw new Error(problems.map((problem) => `${problem.path.join('.')}: ${problem.message}`).join('; '));
    return mappings;
  }

  /** Resolves a query's metric: a mapped name, a mapped key (or alias), or a raw Dynatrace key. */
  resolve(metric: string): ResolvedMetric {
    const mapping = this.#byName.get(metric) ?? this.#byKey.get(metric);
    return mapping ? { name: mapping.name, key: mapping.key, mapping } : { name: metric, key: metric };
  }

  byKey(key: string): MetricMapping | undefined {
    return this.#byKey.get(key);
  }

  names(): string[] {
    return [...this.#byName.keys()];
  }
}

export interface MappingProblem {
  /** Config path of the entry at fault, like ['customMappings', 'calc:service.x']. */
  path: string[];
  message: string;
}

/** Builds the table and lists every problem with it (for config validation, all at once). */
export function buildMappings(
  metricMappings: Record<string, MappingEntryConfig> | undefined,
  customMappings: Record<string, MappingEntryConfig> | undefined,
): { mappings: MetricMappings; problems: MappingProblem[] } {
  const byKey = new Map<string, MetricMapping & { path: string[] }>();
  if (metricMappings === undefined) {
    for (const entry of DEFAULT_MAPPINGS) byKey.set(entry.key, { ...entry, path: ['metricMappings'] });
  } else {
    for (const [key, entry] of Object.entries(metricMappings)) byKey.set(key, toMapping(key, entry, ['metricMappings', key]));
  }
  for (const [key, entry] of Object.entries(customMappings ?? {})) {
    // A custom entry for a key that is an alias of a default replaces the default entry.
    const aliasOf = [...byKey.values()].find((mapping) => mapping.aliases.includes(key));
    if (aliasOf) byKey.delete(aliasOf.key);
    byKey.set(key, toMapping(key, entry, ['customMappings', key]));
  }

  const problems: MappingProblem[] = [];
  const byName = new Map<string, string>();
  for (const mapping of byKey.values()) {
    const earlier = byName.get(mapping.name);
    if (earlier !== undefined) {
      problems.push({ path: mapping.path, message: `maps to '${mapping.name}', which '${earlier}' already maps to; each name needs exactly one Dynatrace key (metricMappings replaces the default table)` });
    } else {
      byName.set(mapping.name, mapping.key);
    }
  }
  const entries = [...byKey.values()].map(({ path: _path, ...mapping }) => mapping);
  return { mappings: new MetricMappings(entries), problems };
}

function toMapping(key: string, entry: MappingEntryConfig, path: string[]): MetricMapping & { path: string[] } {
  const known = DEFAULT_MAPPINGS.find((mapping) => mapping.key === key);
  if (typeof entry === 'string') {
    return { name: entry, key, aliases: [], rollup: known?.rollup ?? 'sum', path, ...(known?.upstreamUnit ? { upstreamUnit: known.upstreamUnit } : {}) };
  }
  const upstreamUnit = entry.upstreamUnit ?? known?.upstreamUnit;
  return { name: entry.name, key, aliases: [], rollup: entry.rollup ?? known?.rollup ?? 'sum', path, ...(upstreamUnit ? { upstreamUnit } : {}) };
}
