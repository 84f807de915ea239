import { createHash } from 'node:crypto';
import type { Labels } from '../../../core/series.js';
import type { TimeRange } from '../../../core/time.js';
import type { Rollup } from '../mappings.js';
import type { ExportFormat } from './document.js';
import { summarize } from '../../../core/summary.js';

/**
 * Ingested export data as usage per (metric, labels, UTC day), the shape of the integration
 * document's NodeUsageByDimension record (usage date, metric, value, unit, labels). The documents
 * are kept too: a day that a later document covers only in part is worked out again from them.
 *
 * The rules that make ingestion order-proof and repeatable:
 * - Documents apply in chronological order of their timeframe (start, then end, then arrival),
 *   whatever order they arrived in: a late-arriving older file never overwrites a newer one.
 * - Within its timeframe a document is the truth for each series it contains: that series'
 *   earlier slots in the timeframe are dropped before its own go in (a corrected re-export
 *   replaces, never adds up). Series it does not mention keep what they had.
 * - A document whose content is already ingested changes nothing; one that replaces a document of
 *   the same name takes its place, and the metrics they touch are rebuilt from all documents.
 */

export interface UsageSeries {
  labels: Labels;
  labelsKey: string;
  /** Slot starts and values in the metric's unit, side by side; gaps already left out. */
  starts: number[];
  values: number[];
}

export interface UsageMetric {
  name: string;
  upstreamMetric: string;
  unit: string | undefined;
  rollup: Rollup;
  series: UsageSeries[];
}

export interface UsageDocument {
  /** Unique per document: `file:<name>` or `client:<name>`. */
  id: string;
  /** What the document is called where it came from (file name, or the name a client gave). */
  name: string;
  origin: 'file' | 'client';
  hash: string;
  format: ExportFormat;
  timeframe: TimeRange;
  metrics: UsageMetric[];
  notes: string[];
}

export interface DayUsage {
  sum: number;
  count: number;
  min: number;
  max: number;
}

interface SeriesDays {
  labels: Labels;
  /** Usage by UTC day start: the (metric, labels, day) records. */
  days: Map<number, DayUsage>;
}

export interface MetricView {
  name: string;
  upstreamMetric: string;
  unit: string | undefined;
  rollup: Rollup;
  series: Map<string, SeriesDays>;
  /** Merged, sorted time spans that ingested documents cover for this metric. */
  coverage: TimeRange[];
}

export type IngestStatus = 'ingested' | 'replaced' | 'unchanged';

export interface StoredDocument {
  doc: UsageDocument;
  ingestedAt: number;
  /** Arrival order, the last tie-breaker of chronological order. */
  seq: number;
  /** (metric, labels, day) records this document holds values for. */
  dayRecords: number;
}

export const DAY_MS = 86_400_000;

export class ExportStore {
  readonly #docs = new Map<string, StoredDocument>();
  readonly #views = new Map<string, MetricView>();
  #seq = 0;
  #version = '';

  /** Adds (or replaces) a document. A document whose content is already held changes nothing. */
  add(doc: UsageDocument, now = Date.now()): { status: IngestStatus; stored: StoredDocument } {
    for (const stored of this.#docs.values()) {
      if (stored.doc.hash === doc.hash) return { status: 'unchanged', stored };
    }
    const previous = this.#docs.get(doc.id);
    const stored: StoredDocument = { doc, ingestedAt: now, seq: ++this.#seq, dayRecords: countDayRecords(doc) };
    this.#docs.set(doc.id, stored);
    const affected = new Set(doc.metrics.map((metric) => metric.name));
    for (const metric of previous?.doc.metrics ?? []) affected.add(metric.name);
    if (!previous && this.#isLatestFor(stored, affected)) {
      // The usual case, files arriving in time order: apply on top instead of rebuilding.
      for (const metric of doc.metrics) this.#apply(stored, metric.name, this.#ordered(metric.name));
    } else {
      for (const name of affected) this.#rebuild(name);
    }
    this.#version = versionOf(this.#docs);
    return { status: previous ? 'replaced' : 'ingested', stored };
  }

  /** Changes whenever the ingested data does; empty while nothing is ingested. */
  version(): string {
    return this.#version;
  }

  view(name: string): MetricView | undefined {
    return this.#views.get(name);
  }

  views(): MetricView[] {
    return [...this.#views.values()];
  }

  documents(): StoredDocument[] {
    return [...this.#docs.values()].sort(chronological);
  }

  #isLatestFor(candidate: StoredDocument, names: ReadonlySet<string>): boolean {
    for (const stored of this.#docs.values()) {
      if (stored === candidate || !stored.doc.metrics.some((metric) => names.has(metric.name))) continue;
      if (chronological(stored, candidate) > 0) return false;
    }
    return true;
  }

  #rebuild(name: string): void {
    this.#views.delete(name);
    const ordered = this.#ordered(name);
    ordered.forEach((stored, i) => this.#apply(stored, name, ordered.slice(0, i + 1)));
  }

  /** The documents holding a metric, in the order they apply. */
  #ordered(name: string): StoredDocument[] {
    return [...this.#docs.values()].filter((stored) => metricOf(stored.doc, name)).sort(chronological);
  }

  /**
   * Applies one document's data for one metric on top of `applied` (the documents before it, and
   * it, in order). A day the timeframe covers whole takes the document's values outright; a day
   * it covers in part is worked out again from the slots of every applied document.
   */
  #apply(stored: StoredDocument, name: string, applied: readonly StoredDocument[]): void {
    const metric = metricOf(stored.doc, name)!;
    const timeframe = stored.doc.timeframe;
    let view = this.#views.get(name);
    if (!view) this.#views.set(name, (view = { name, upstreamMetric: metric.upstreamMetric, unit: metric.unit, rollup: metric.rollup, series: new Map(), coverage: [] }));
    // The newest document's unit and rollup describe the metric from now on.
    view.upstreamMetric = metric.upstreamMetric;
    view.unit = metric.unit;
    view.rollup = metric.rollup;
    view.coverage = mergeSpan(view.coverage, timeframe);

    for (const series of metric.series) {
      let target = view.series.get(series.labelsKey);
      if (!target) view.series.set(series.labelsKey, (target = { labels: series.labels, days: new Map() }));
      const byDay = new Map<number, number[]>();
      series.starts.forEach((start, i) => {
        const day = Math.floor(start / DAY_MS) * DAY_MS;
        const values = byDay.get(day);
        if (values) values.push(series.values[i]!);
        else byDay.set(day, [series.values[i]!]);
      });
      for (let day = Math.floor(timeframe.from / DAY_MS) * DAY_MS; day < timeframe.to; day += DAY_MS) {
        const whole = day >= timeframe.from && day + DAY_MS <= timeframe.to;
        const usage = whole ? summarise(byDay.get(day) ?? []) : replayDay(applied, name, series.labelsKey, day);
        if (usage) target.days.set(day, usage);
        else target.days.delete(day);
      }
      if (target.days.size === 0) view.series.delete(series.labelsKey);
    }
  }
}

function metricOf(doc: UsageDocument, name: string): UsageMetric | undefined {
  return doc.metrics.find((metric) => metric.name === name);
}

/**
 * One series' usage on one day from the slots of the applied documents, in order: each drops
 * the earlier slots inside its timeframe and adds its own.
 */
function replayDay(applied: readonly StoredDocument[], name: string, labelsKey: string, day: number): DayUsage | undefined {
  const slots = new Map<number, number>();
  for (const { doc } of applied) {
    const { from, to } = doc.timeframe;
    if (to <= day || from >= day + DAY_MS) continue;
    const series = metricOf(doc, name)?.series.find((candidate) => candidate.labelsKey === labelsKey);
    if (!series) continue;
    for (const start of slots.keys()) if (start >= from && start < to) slots.delete(start);
    series.starts.forEach((start, i) => {
      if (start >= day && start < day + DAY_MS) slots.set(start, series.values[i]!);
    });
  }
  return summarise([...slots.values()]);
}

/** The usage a day record stands for, by the metric's rollup. */
export function usageOf(day: DayUsage, rollup: Rollup): number {
  switch (rollup) {
    case 'sum': return day.sum;
    case 'avg': return day.sum / day.count;
    case 'min': return day.min;
    case 'max': return day.max;
  }
}

/** Which of [from, to) the coverage leaves out, as spans. */
export function uncovered(coverage: readonly TimeRange[], range: TimeRange): TimeRange[] {
  const gaps: TimeRange[] = [];
  let cursor = range.from;
  for (const span of coverage) {
    if (span.to <= cursor) continue;
    if (span.from >= range.to) break;
    if (span.from > cursor) gaps.push({ from: cursor, to: Math.min(span.from, range.to) });
    cursor = Math.max(cursor, span.to);
    if (cursor >= range.to) break;
  }
  if (cursor < range.to) gaps.push({ from: cursor, to: range.to });
  return gaps;
}

function summarise(values: readonly number[]): DayUsage | undefined {
  if (values.length === 0) return undefined;
  const { sum, count, min, max } = summarize(values);
  return { sum, count, min, max };
}

function mergeSpan(spans: readonly TimeRange[], added: TimeRange): TimeRange[] {
  const all = [...spans, added].sort((a, b) => a.from - b.from);
  const merged: TimeRange[] = [];
  for (const span of all) {
    const last = merged[merged.length - 1];
    if (last && span.from <= last.to) last.to = Math.max(last.to, span.to);
    else merged.push({ ...span });
  }
  return merged;
}

function countDayRecords(doc: UsageDocument): number {
  let count = 0;
  for (const metric of doc.metrics) {
    for (const series of metric.series) count += new Set(series.starts.map((start) => Math.floor(start / DAY_MS))).size;
  }
  return count;
}

function chronological(a: StoredDocument, b: StoredDocument): number {
  return a.doc.timeframe.from - b.doc.timeframe.from || a.doc.timeframe.to - b.doc.timeframe.to || a.seq - b.seq;
}

function versionOf(docs: ReadonlyMap<string, StoredDocument>): string {
  const lines = [...docs.values()].map((stored) => `${stored.doc.id}\0${stored.doc.hash}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('base64url').slice(0, 16);
}
