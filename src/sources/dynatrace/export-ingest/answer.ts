import { checkBuckets } from '../../../core/points.js';
import { matchesFilters, type LabelFilter, type Labels, type Series } from '../../../core/series.js';
import type { TimeRange } from '../../../core/time.js';
import type { SourceWarning } from '../../source.js';
import type { ResolvedMetric } from '../mappings.js';
import { DAY_MS, uncovered, usageOf, type DayUsage, type ExportStore } from './store.js';

/**
 * Answers a metricData query from ingested export data: one series per label set (or per
 * `splitBy` group), one value per step of whole UTC days, each the metric's rollup of its day
 * records (sum for counts, mean for durations). Days no document covers are gaps, with a warning.
 */
export interface ExportQuery {
  metrics: readonly ResolvedMetric[];
  /** Starts and ends on UTC midnights. */
  range: TimeRange;
  /** A whole number of days. */
  stepMs: number;
  filters: readonly LabelFilter[];
  splitBy?: readonly string[];
}

export function answerFromExports(store: ExportStore, source: string, query: ExportQuery): { series: Series[]; warnings: SourceWarning[] } {
  const series: Series[] = [];
  const warnings: SourceWarning[] = [];
  const buckets = checkBuckets(Math.ceil((query.range.to - query.range.from) / query.stepMs), query.range, query.stepMs);
  for (const resolved of query.metrics) {
    const view = store.view(resolved.name);
    if (!view) {
      warnings.push({ source, metric: resolved.name, message: `no ingested export data for ${describe(resolved)}` });
      continue;
    }
    const gaps = uncovered(view.coverage, query.range);
    if (gaps.length > 0) {
      warnings.push({
        source,
        metric: resolved.name,
        message: `ingested exports do not cover ${gaps.map(days).join(', ')} for ${describe(resolved)}; those days are gaps`,
      });
    }

    const groups = new Map<string, { labels: Labels; totals: Array<DayUsage | undefined> }>();
    for (const stored of view.series.values()) {
      if (!matchesFilters(stored.labels, query.filters)) continue;
      const labels = query.splitBy ? pick(stored.labels, query.splitBy) : stored.labels;
      const key = JSON.stringify(Object.entries(labels).sort());
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { labels, totals: new Array(buckets).fill(undefined) }));
      for (const [day, record] of stored.days) {
        if (day < query.range.from || day >= query.range.to) continue;
        const index = Math.floor((day - query.range.from) / query.stepMs);
        group.totals[index] = merge(group.totals[index], record);
      }
    }
    for (const group of groups.values()) {
      if (group.totals.every((total) => total === undefined)) continue;
      const out: Series = {
        source,
        metric: view.name,
        labels: group.labels,
        intervalMs: query.stepMs,
        timestamps: group.totals.map((_, i) => query.range.from + i * query.stepMs),
        values: group.totals.map((total) => (total === undefined ? null : usageOf(total, view.rollup))),
      };
      if (view.upstreamMetric !== view.name) out.upstreamMetric = view.upstreamMetric;
      if (view.unit !== undefined) out.unit = view.unit;
      series.push(out);
    }
  }
  return { series, warnings };
}

function merge(total: DayUsage | undefined, day: DayUsage): DayUsage {
  if (!total) return { sum: day.sum, count: day.count, min: day.min, max: day.max };
  return { sum: total.sum + day.sum, count: total.count + day.count, min: Math.min(total.min, day.min), max: Math.max(total.max, day.max) };
}

function pick(labels: Labels, keys: readonly string[]): Labels {
  const out: Record<string, string> = {};
  for (const key of keys) if (labels[key] !== undefined) out[key] = labels[key];
  return out;
}

function describe(resolved: ResolvedMetric): string {
  return resolved.key === resolved.name ? resolved.name : `${resolved.name} (${resolved.key})`;
}

/** A span of whole days as people write it: 2024-01-05, or 2024-01-05 to 2024-01-07. */
export function days(span: TimeRange): string {
  const first = new Date(Math.floor(span.from / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
  const last = new Date(Math.floor((span.to - 1) / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
  return first === last ? first : `${first} to ${last}`;
}
