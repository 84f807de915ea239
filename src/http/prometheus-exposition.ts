import { COLLECTOR_FAMILIES } from '../sources/native/collector-families.js';
import type { NativeSource } from '../sources/native/adapter.js';
import { familyName } from '../sources/native/exposed-names.js';
import type { MetricInfo, SeriesState, StoreScope } from '../sources/native/store.js';
import { summarize, valuesByWindow, windowStart } from '../sources/native/windows.js';
import type { GatewayMetrics } from '../telemetry/metrics.js';
import { familiesIn, renderFamily, sampleNames, type Family, type Sample } from './prometheus-text.js';

/**
 * One Prometheus scrape of the gateway: the series pushed to a native source (raw, or aggregated
 * over the last complete window), the collector's own figures for every native source, and the
 * gateway's operational metrics (requests, upstream calls and latency per source, cache, streams).
 *
 * Raw mode follows Prometheus semantics: a counter shows its running total under `<name>_total`,
 * a gauge its newest value, a histogram cumulative `_bucket{le}` counts with `_sum` and `_count`
 * since the series began, a summary its quantiles over the kept observations with cumulative
 * `_sum` and `_count`.
 */

export interface ScrapeOptions {
  /** Native source whose series go into the scrape; none = only the gateway's own metrics. */
  source: NativeSource | undefined;
  /** Every native source, for the collector figures. */
  natives: readonly NativeSource[];
  metrics: GatewayMetrics;
  aggregated: boolean;
  scope: StoreScope;
  /** Leave out the gateway's own and the collector's figures (a tenant-scoped scrape). */
  seriesOnly: boolean;
  now: number;
  /** Written as a comment when no source is chosen among several. */
  note?: string;
}

export async function renderScrape(options: ScrapeOptions): Promise<string> {
  const parts: string[] = [];
  const taken = new Set<string>();
  const claim = (family: Pick<Family, 'name' | 'type'>) => sampleNames(family).forEach((name) => taken.add(name));
  if (options.source) options.metrics.collectorExports.inc({ source: options.source.id });

  if (!options.seriesOnly) {
    const operational = await options.metrics.registry.metrics();
    familiesIn(operational).forEach(claim);
    parts.push(operational.endsWith('\n') || operational === '' ? operational : `${operational}\n`);
    for (const family of await collectorFamilies(options.natives, options.now)) {
      claim(family);
      parts.push(renderFamily(family));
    }
  }
  if (options.note) parts.push(`# ${options.note}\n`);

  if (options.source) {
    const families = options.aggregated
      ? await aggregatedFamilies(options.source, options.scope, options.now)
      : await rawFamilies(options.source, options.scope);
    for (const family of families) {
      const clash = sampleNames(family).find((name) => taken.has(name));
      if (clash !== undefined) {
        // Ingest refuses such names; this only guards series stored before a gateway metric existed.
        parts.push(`# skipped family ${family.name}: '${clash}' is already in this scrape\n`);
        continue;
      }
      claim(family);
      if (family.samples.length > 0) parts.push(renderFamily(family));
    }
  }
  return parts.join('');
}

async function collectorFamilies(natives: readonly NativeSource[], now: number): Promise<Family[]> {
  const stats = await Promise.all(natives.map(async (source) => ({ id: source.id, stats: await source.store.stats(now) })));
  const family = (key: keyof typeof COLLECTOR_FAMILIES, samples: Sample[]): Family => ({ ...COLLECTOR_FAMILIES[key], samples });
  return [
    family('collected', stats.map(({ id, stats: s }) => ({ name: COLLECTOR_FAMILIES.collected.name, labels: [['source', id]], value: s.collected }))),
    family('series', stats.map(({ id, stats: s }) => ({ name: COLLECTOR_FAMILIES.series.name, labels: [['source', id]], value: s.series }))),
    family('points', stats.map(({ id, stats: s }) => ({ name: COLLECTOR_FAMILIES.points.name, labels: [['source', id]], value: s.points }))),
    family(
      'dropped',
      stats.flatMap(({ id, stats: s }) =>
        (Object.entries(s.droppedBy) as Array<[string, number]>).map(([reason, value]) => ({
          name: COLLECTOR_FAMILIES.dropped.name,
          labels: [['reason', reason], ['source', id]] as Array<[string, string]>,
          value,
        })),
      ),
    ),
  ];
}

async function rawFamilies(source: NativeSource, scope: StoreScope): Promise<Family[]> {
  const [states, infos] = await Promise.all([source.store.series({ tenantId: scope.tenantId }), source.store.metrics(scope)]);
  const byName = new Map(infos.map((info) => [info.name, info]));
  const summaries = states.filter((state) => state.type === 'summary').map((state) => state.id);
  const observations = await source.store.points(summaries);

  const families = new Map<string, Family>();
  for (const state of states) {
    const name = familyName(state.name, state.type);
    let family = families.get(name);
    if (!family) {
      family = { name, type: state.type, help: helpOf(state, byName.get(state.name), source.id), samples: [] };
      families.set(name, family);
    }
    const labels = sortedLabels(state);
    switch (state.type) {
      case 'counter':
      case 'gauge':
        family.samples.push({ name, labels, value: state.latestValue });
        break;
      case 'histogram': {
        const histogram = state.histogram!;
        let cumulative = 0;
        histogram.bounds.forEach((bound, i) => {
          cumulative += histogram.counts[i]!;
          family!.samples.push({ name: `${name}_bucket`, labels: [...labels, ['le', String(bound)]], value: cumulative });
        });
        family.samples.push({ name: `${name}_bucket`, labels: [...labels, ['le', '+Inf']], value: histogram.count });
        family.samples.push({ name: `${name}_sum`, labels, value: histogram.sum });
        family.samples.push({ name: `${name}_count`, labels, value: histogram.count });
        break;
      }
      case 'summary': {
        const values = [...(observations.get(state.id)?.values ?? [])].sort((a, b) => a - b);
        for (const q of source.summaryQuantiles) {
          family.samples.push({ name, labels: [...labels, ['quantile', String(q)]], value: quantile(values, q) });
        }
        family.samples.push({ name: `${name}_sum`, labels, value: state.summary!.sum });
        family.samples.push({ name: `${name}_count`, labels, value: state.summary!.count });
        break;
      }
    }
  }
  return [...families.values()];
}

/**
 * Aggregated mode: per series, gauges over the last complete aggregation window: `_avg`, `_min`,
 * `_max` of the points in it (a counter's points are its increments) and, for counters,
 * `_increase`, the window's total increment. A series without points in that window is left out.
 */
async function aggregatedFamilies(source: NativeSource, scope: StoreScope, now: number): Promise<Family[]> {
  const windowMs = source.aggregationWindowMs;
  const to = windowStart(now, windowMs);
  const from = to - windowMs;
  const states = await source.store.series({ tenantId: scope.tenantId });
  const points = await source.store.points(states.map((state) => state.id), from);
  const window = `${windowMs / 1000}s aggregation window ${new Date(from).toISOString()} to ${new Date(to).toISOString()}`;

  const families = new Map<string, Family>();
  const add = (name: string, help: string, labels: Sample['labels'], value: number) => {
    let family = families.get(name);
    if (!family) families.set(name, (family = { name, type: 'gauge', help, samples: [] }));
    family.samples.push({ name, labels, value });
  };
  for (const state of states) {
    const columns = points.get(state.id);
    if (!columns) continue;
    const values = valuesByWindow(state.type, columns, windowMs, from, to).get(from);
    if (!values || values.length === 0) continue;
    const labels = sortedLabels(state);
    const figures = summarize(values);
    const what = state.type === 'counter' ? 'increments of' : state.type === 'gauge' ? 'readings of' : 'observations of';
    add(`${state.name}_avg`, `Mean of the ${what} ${state.name} in the last complete ${window}`, labels, figures.avg);
    add(`${state.name}_min`, `Smallest of the ${what} ${state.name} in the last complete ${window}`, labels, figures.min);
    add(`${state.name}_max`, `Largest of the ${what} ${state.name} in the last complete ${window}`, labels, figures.max);
    if (state.type === 'counter') add(`${state.name}_increase`, `Increase of ${state.name} in the last complete ${window}`, labels, figures.sum);
  }
  // Help text names the window, which moves on; every family shares one, so keep them in name order.
  return [...families.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function helpOf(state: SeriesState, info: MetricInfo | undefined, sourceId: string): string {
  const unit = info?.unit !== undefined ? ` (${info.unit})` : '';
  return info?.help !== undefined ? `${info.help}${unit}` : `${state.name}: a ${state.type} pushed to the native collector '${sourceId}'${unit}`;
}

function sortedLabels(state: SeriesState): Array<[string, string]> {
  return Object.keys(state.labels)
    .sort()
    .map((key) => [key, state.labels[key]!]);
}

/** Linear interpolation between the closest ranks (type 7), NaN with no observations. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}
