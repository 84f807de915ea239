import { labelsKey } from '../../../core/series.js';
import { parseTime } from '../../../core/time.js';
import { dayAlignmentNote, readDimensionObject, readPoints, type ParsedExport, type ParsedMetric } from './document.js';
import { fail, isObject, shown } from './problem.js';

/**
 * The export format of the cost allocation integration document:
 *
 *   { "timeframe": { "start": "2024-01-01T00:00:00Z", "end": "2024-01-02T00:00:00Z" },
 *     "metrics": [ { "metricId": "builtin:service.requestCount.total",
 *                    "data": [ { "dimensions": { "customer_id": "customer_001" },
 *                                "timestamps": [1704067200000], "values": [50000] } ] } ] }
 *
 * Its timestamps mark the START of each value's slot (the document's example stamps a day's
 * value with the timeframe's start), unlike /metrics/query answers, which stamp slot ends. So
 * every timestamp must lie in [start, end). A metric may state `unit` (a Dynatrace unit such as
 * MicroSecond); without it its values are taken to be in the metric's Dynatrace unit.
 */
export function parseExportFormat(root: Record<string, unknown>): ParsedExport {
  const timeframe = readTimeframe(root.timeframe);
  if (!Array.isArray(root.metrics)) fail('$.metrics', `must be a list of metrics; got ${shown(root.metrics)}`);
  const notes: string[] = [];
  const alignment = dayAlignmentNote({ from: timeframe.from, to: timeframe.end });
  if (alignment) notes.push(alignment);

  const byKey = new Map<string, ParsedMetric>();
  const seenLabels = new Map<string, string>();
  root.metrics.forEach((entry, m) => {
    const path = `$.metrics[${m}]`;
    if (!isObject(entry)) fail(path, `must be an object with metricId and data; got ${shown(entry)}`);
    const key = entry.metricId;
    if (typeof key !== 'string' || key.trim() === '') fail(`${path}.metricId`, `must be a Dynatrace metric key like builtin:service.requestCount.total; got ${shown(key)}`);
    if (entry.unit !== undefined && (typeof entry.unit !== 'string' || entry.unit === '')) fail(`${path}.unit`, `must be a Dynatrace unit like MicroSecond or Count; got ${shown(entry.unit)}`);
    if (!Array.isArray(entry.data)) fail(`${path}.data`, `must be a list of series; got ${shown(entry.data)}`);

    let metric = byKey.get(key);
    if (!metric) {
      metric = { key, path, series: [], ...(typeof entry.unit === 'string' ? { unit: entry.unit } : {}) };
      byKey.set(key, metric);
    } else if (typeof entry.unit === 'string' && metric.unit !== entry.unit) {
      fail(`${path}.unit`, `states ${entry.unit} but ${metric.path} gives the same metric in ${metric.unit ?? 'its Dynatrace unit'}`);
    }

    entry.data.forEach((item, d) => {
      const itemPath = `${path}.data[${d}]`;
      if (!isObject(item)) fail(itemPath, `must be an object with dimensions, timestamps and values; got ${shown(item)}`);
      const labels = readLabels(item, itemPath);
      const identity = `${key}\0${labelsKey(labels)}`;
      const earlier = seenLabels.get(identity);
      if (earlier) fail(itemPath, `repeats the dimensions of ${earlier} for the same metric; each series may appear once`);
      seenLabels.set(identity, itemPath);
      const points = readPoints(item, itemPath).map(({ at, value }, i): [number, number | null] => {
        if (at < timeframe.from || at >= timeframe.end) {
          fail(
            `${itemPath}.timestamps[${i}]`,
            `${new Date(at).toISOString()} lies outside the timeframe [${new Date(timeframe.from).toISOString()}, ${new Date(timeframe.end).toISOString()}); ` +
              'export timestamps mark the start of each slot (save /metrics/query answers unchanged instead: those stamp slot ends)',
          );
        }
        return [at, value];
      });
      metric.series.push({ path: itemPath, labels, points });
    });
  });
  return { format: 'export', timeframe: { from: timeframe.from, to: timeframe.end }, metrics: [...byKey.values()], notes };
}

function readTimeframe(value: unknown): { from: number; end: number } {
  if (!isObject(value)) fail('$.timeframe', `must be an object with start and end (ISO-8601 UTC or epoch ms); got ${shown(value)}`);
  const from = readInstant(value.start, '$.timeframe.start');
  const end = readInstant(value.end, '$.timeframe.end');
  if (end <= from) fail('$.timeframe', `end must be after start; got start ${new Date(from).toISOString()} and end ${new Date(end).toISOString()}`);
  return { from, end };
}

function readInstant(value: unknown, path: string): number {
  const forms = 'an absolute time: ISO-8601 with a zone (2024-01-01T00:00:00Z) or epoch milliseconds';
  if (typeof value !== 'string' && typeof value !== 'number') fail(path, `must be ${forms}; got ${shown(value)}`);
  let spec;
  try {
    spec = parseTime(value, path);
  } catch {
    fail(path, `must be ${forms}; got ${shown(value)}`);
  }
  // A relative time (now-1d) means something different every time the file is read.
  if (spec.kind !== 'absolute') fail(path, `must be ${forms}, not relative to now; got ${shown(value)}`);
  return spec.ms;
}

function readLabels(item: Record<string, unknown>, path: string) {
  // The real API's `dimensions` is a list of values without keys; `dimensionMap` has the keys.
  if (item.dimensionMap !== undefined) return readDimensionObject(item.dimensionMap, `${path}.dimensionMap`);
  if (item.dimensions === undefined) return {};
  if (Array.isArray(item.dimensions)) {
    fail(`${path}.dimensions`, 'is a list of values without their keys; give dimensions as an object {"customer_id": "customer_001"} (or add dimensionMap)');
  }
  return readDimensionObject(item.dimensions, `${path}.dimensions`);
}

