import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { stableStringify } from '../../../cache/keys.js';
import { labelsKey } from '../../../core/series.js';
import type { MetricMappings } from '../mappings.js';
import { convert, declaredTimeUnit, friendlyUnit, NO_CONVERSION, unitConversion, type UnitConversion } from '../units.js';
import type { ParsedExport, ParsedMetric } from './document.js';
import { parseExportValue } from './parse.js';
import { fail, type ExportDocumentError } from './problem.js';
import { ExportStore, type IngestStatus, type StoredDocument, type UsageDocument, type UsageMetric } from './store.js';

/**
 * Turns checked export documents into usage: keys mapped to the names queries use (either the
 * mapped name or the key finds a metric), values converted to the unit the name promises, gaps
 * dropped. Refused documents are kept in a short list with where and why, for the
 * `dynatraceExports` query and the log.
 */

export type DocumentOrigin = 'file' | 'client';

export interface IngestReport {
  name: string;
  origin: DocumentOrigin;
  status: IngestStatus;
  format: ParsedExport['format'];
  timeframe: { from: number; to: number } | undefined;
  metrics: string[];
  series: number;
  dayRecords: number;
  notes: string[];
}

export interface RejectedDocument {
  name: string;
  origin: DocumentOrigin;
  path: string;
  reason: string;
  at: number;
}

/** A document checked and converted, ready to store (or, without a timeframe, to report only). */
export interface PreparedDocument {
  parsed: ParsedExport;
  usage: UsageDocument | undefined;
  name: string;
  origin: DocumentOrigin;
  hash: string;
}

export interface ExportIngestorOptions {
  source: string;
  mappings: MetricMappings;
  /**
   * The Dynatrace unit of a key from the environment's catalogue; undefined when unknown or
   * offline. `required` says whether it is worth asking upstream (a name that promises a unit)
   * or only a catalogue already at hand should be consulted.
   */
  unitOf: (key: string, required: boolean) => Promise<string | undefined>;
  log: Logger;
}

const MAX_REJECTED = 100;

export class ExportIngestor {
  readonly store = new ExportStore();
  readonly #rejected: RejectedDocument[] = [];

  constructor(private readonly options: ExportIngestorOptions) {}

  /**
   * Checks a document whole and converts it; throws ExportDocumentError without storing anything.
   * A document without a name is named after its content.
   */
  async prepare(givenName: string | undefined, origin: DocumentOrigin, document: unknown): Promise<PreparedDocument> {
    const hash = contentHash(document);
    const name = givenName ?? documentName(document);
    const parsed = parseExportValue(document);
    if (!parsed.timeframe) return { parsed, usage: undefined, name, origin, hash };
    const metrics: UsageMetric[] = [];
    for (const metric of parsed.metrics) metrics.push(await this.#toUsage(metric));
    const usage: UsageDocument = {
      id: `${origin}:${name}`,
      name,
      origin,
      hash,
      format: parsed.format,
      timeframe: parsed.timeframe,
      metrics,
      notes: parsed.notes,
    };
    return { parsed, usage, name, origin, hash };
  }

  ingest(prepared: PreparedDocument, now = Date.now()): IngestReport {
    const { parsed, usage } = prepared;
    let status: IngestStatus = 'unchanged';
    let stored: StoredDocument | undefined;
    if (usage) ({ status, stored } = this.store.add(usage, now));
    const report: IngestReport = {
      name: prepared.name,
      origin: prepared.origin,
      status,
      format: parsed.format,
      timeframe: parsed.timeframe,
      metrics: usage?.metrics.map((metric) => metric.name) ?? [],
      series: usage?.metrics.reduce((sum, metric) => sum + metric.series.length, 0) ?? 0,
      dayRecords: stored?.dayRecords ?? 0,
      notes: parsed.notes,
    };
    const log = { source: this.options.source, document: prepared.name, origin: prepared.origin, status, notes: parsed.notes.length > 0 ? parsed.notes : undefined };
    if (parsed.notes.length > 0) this.options.log.warn(log, 'export document ingested with notes');
    else this.options.log.info(log, 'export document ingested');
    return report;
  }

  reject(name: string, origin: DocumentOrigin, error: ExportDocumentError, now = Date.now()): void {
    this.#rejected.push({ name, origin, path: error.jsonPath, reason: error.reason, at: now });
    if (this.#rejected.length > MAX_REJECTED) this.#rejected.splice(0, this.#rejected.length - MAX_REJECTED);
    this.options.log.error({ source: this.options.source, document: name, origin, path: error.jsonPath, reason: error.reason }, 'export document refused');
  }

  rejected(): RejectedDocument[] {
    return [...this.#rejected];
  }

  async #toUsage(metric: ParsedMetric): Promise<UsageMetric> {
    const resolved = this.options.mappings.resolve(metric.key);
    const needsUnit = resolved.mapping !== undefined && declaredTimeUnit(resolved.name) !== undefined;
    const upstreamUnit = metric.unit ?? resolved.mapping?.upstreamUnit ?? (await this.options.unitOf(resolved.key, needsUnit));
    let conversion: UnitConversion;
    if (resolved.mapping) {
      try {
        conversion = unitConversion(resolved.name, upstreamUnit);
      } catch (error) {
        fail(metric.path, `${(error as Error).message}, or state the unit of the values in the document (metrics[].unit)`);
      }
    } else {
      conversion = { ...NO_CONVERSION, unit: friendlyUnit(upstreamUnit) };
    }
    return {
      name: resolved.name,
      upstreamMetric: resolved.key,
      unit: conversion.unit,
      rollup: resolved.mapping?.rollup ?? 'sum',
      series: metric.series.map((series) => {
        const present = series.points.filter((point): point is [number, number] => point[1] !== null);
        return {
          labels: series.labels,
          labelsKey: labelsKey(series.labels),
          starts: present.map(([start]) => start),
          values: present.map(([, value]) => convert(value, conversion)),
        };
      }),
    };
  }
}

/** What names a document that came without a name: its content. */
export function documentName(document: unknown): string {
  return `sha256-${contentHash(document).slice(0, 16)}`;
}

/** Equal for equal JSON, whatever its key order or spacing. */
function contentHash(document: unknown): string {
  return createHash('sha256').update(stableStringify(document)).digest('hex');
}
