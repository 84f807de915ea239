import { createHash } from 'node:crypto';
import type { LabelFilter } from '../core/series.js';
import type { AggregateQuery, MetricQuery } from '../sources/source.js';

/**
 * Cache keys for source queries. Two requests that would send the same thing upstream get the same
 * key: filters and their values are sorted, parameter objects are written with sorted keys, and the
 * range is the one the resolver already aligned to the interval. The credential identity is part
 * of the key so no cached answer crosses tenants or API keys.
 */
export function queryCacheKey(sourceId: string, identity: string, query: MetricQuery, dataVersion?: string): string {
  const normalised = stableStringify({
    metrics: query.metrics,
    from: query.range.from,
    to: query.range.to,
    interval: query.intervalMs ?? null,
    filters: sortedFilters(query.filters),
    params: query.params ?? null,
  });
  return `q:${sourceId}:${digestOf(identity, normalised, dataVersion)}`;
}

/** The same for an aggregation pushed down to its source: every field of it, filters sorted. */
export function aggregateCacheKey(sourceId: string, identity: string, query: AggregateQuery, dataVersion?: string): string {
  return `a:${sourceId}:${digestOf(identity, stableStringify({ ...query, filters: sortedFilters(query.filters) }), dataVersion)}`;
}

function sortedFilters(filters: readonly LabelFilter[]): Array<{ key: string; values: string[]; exclude: boolean | undefined }> {
  return filters
    .map((filter) => ({ key: filter.key, values: [...filter.values].sort(), exclude: filter.exclude }))
    .sort((a, b) => (a.key === b.key ? Number(a.exclude) - Number(b.exclude) : a.key < b.key ? -1 : 1));
}

function digestOf(identity: string, normalised: string, dataVersion: string | undefined): string {
  const hash = createHash('sha256').update(identity).update('\0').update(normalised);
  // A source whose past answers can change (ingested export files) versions its keys.
  if (dataVersion !== undefined) hash.update('\0').update(dataVersion);
  return hash.digest('base64url').slice(0, 32);
}

/**
 * JSON with object keys sorted at every depth; undefined members are dropped as JSON does. It keys
 * every field a request loads (DataLoader) and every Darktrace call plan, so it builds one string
 * without the intermediate arrays of entries, maps and joins.
 */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + stableStringify(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${stableStringify(member)}`;
    first = false;
  }
  return `${out}}`;
}
