import { labelsKey, type Labels } from '../../../core/series.js';
import { REMAINDER_LABEL } from '../response.js';
import { dayAlignmentNote, keyOfMetricId, readDimensionObject, readPoints, type ParsedExport, type ParsedMetric } from './document.js';
import { fail, isObject, shown } from './problem.js';

/**
 * A saved GET /api/v2/metrics/query answer (`MetricData`): `resolution`, and `result[]` with
 * `metricId` and `data[]` of `{dimensionMap, timestamps, values}`. Its timestamps mark slot ENDS,
 * so each moves back by the resolution. The answer records no timeframe; it is the span of its
 * slots. Slots longer than a day cannot be kept per day, and `Inf` (one value for a timeframe the
 * answer does not record) cannot be placed in time at all.
 */
const RESOLUTION = /^(\d+)([mhd])$/;
const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
const DAY_MS = 86_400_000;

export function parseQueryResponse(root: Record<string, unknown>): ParsedExport {
  const slotMs = readResolution(root.resolution);
  if (!Array.isArray(root.result)) fail('$.result', `must be the list of metric results; got ${shown(root.result)}`);
  const notes: string[] = [];
  if (typeof root.nextPageKey === 'string' && root.nextPageKey !== '' && root.nextPageKey !== 'null') {
    notes.push('the answer was one page of several (nextPageKey is set); series on the other pages are not in it');
  }

  const byKey = new Map<string, ParsedMetric>();
  const seenLabels = new Map<string, string>();
  let from = Infinity;
  let to = -Infinity;
  let misalignedDays = false;
  root.result.forEach((entry, r) => {
    const path = `$.result[${r}]`;
    if (!isObject(entry)) fail(path, `must be an object with metricId and data; got ${shown(entry)}`);
    if (typeof entry.metricId !== 'string' || entry.metricId.trim() === '') fail(`${path}.metricId`, `must be the metric key (with any transformations); got ${shown(entry.metricId)}`);
    if (!Array.isArray(entry.data)) fail(`${path}.data`, `must be a list of series; got ${shown(entry.data)}`);
    if (Array.isArray(entry.warnings)) {
      for (const warning of entry.warnings) if (typeof warning === 'string') notes.push(`Dynatrace warned about ${entry.metricId}: ${warning}`);
    }
    const key = keyOfMetricId(entry.metricId);
    let metric = byKey.get(key);
    if (!metric) byKey.set(key, (metric = { key, path, series: [] }));

    entry.data.forEach((item, d) => {
      const itemPath = `${path}.data[${d}]`;
      if (!isObject(item)) fail(itemPath, `must be an object with dimensionMap, timestamps and values; got ${shown(item)}`);
      const labels = readLabels(item, itemPath);
      const identity = `${key}\0${labelsKey(labels)}`;
      const earlier = seenLabels.get(identity);
      if (earlier) fail(itemPath, `repeats the dimensions of ${earlier} for the same metric; each series may appear once`);
      seenLabels.set(identity, itemPath);
      const points = readPoints(item, itemPath).map(({ at, value }): [number, number | null] => [at - slotMs, value]);
      if (points.length > 0) {
        from = Math.min(from, points[0]![0]);
        to = Math.max(to, points[points.length - 1]![0] + slotMs);
      }
      if (slotMs === DAY_MS && points.some(([start]) => start % DAY_MS !== 0)) misalignedDays = true;
      metric.series.push({ path: itemPath, labels, points });
    });
  });

  if (misalignedDays) {
    notes.push("its day slots do not start at 00:00 UTC (the environment's time zone is not UTC); each value is kept on the UTC day its slot starts in");
  }
  const timeframe = Number.isFinite(from) ? { from, to } : undefined;
  if (!timeframe) notes.push('the answer holds no data points, so it tells nothing about any day; nothing was stored');
  else {
    const alignment = dayAlignmentNote(timeframe);
    if (alignment) notes.push(alignment);
  }
  return { format: 'query-response', timeframe, metrics: [...byKey.values()], notes };
}

function readResolution(value: unknown): number {
  if (value === 'Inf') {
    fail('$.resolution', 'is Inf: one value for the whole query timeframe, which a saved answer does not record; save the answer of a query with a resolution of 1d or finer');
  }
  const match = typeof value === 'string' ? RESOLUTION.exec(value) : null;
  if (!match) fail('$.resolution', `must be the slot size the answer used, from 1m to 1d (like 1h or 1d); got ${shown(value)}`);
  const ms = Number(match[1]) * UNIT_MS[match[2]!]!;
  if (ms === 0 || ms > DAY_MS || DAY_MS % ms !== 0) {
    fail('$.resolution', `must divide a day (1m to 1d, like 5m, 1h or 1d) so each value falls on one UTC day; got ${shown(value)}`);
  }
  return ms;
}

function readLabels(item: Record<string, unknown>, path: string): Labels {
  // dimensionMap null is Dynatrace's remainder series: every tuple beyond its top N, merged.
  if (item.dimensionMap === null) return { [REMAINDER_LABEL]: 'true' };
  if (item.dimensionMap !== undefined) return readDimensionObject(item.dimensionMap, `${path}.dimensionMap`);
  if (Array.isArray(item.dimensions) && item.dimensions.length > 0) {
    fail(`${path}.dimensionMap`, 'is missing; the dimensions list has values without their keys, so the series cannot be labelled');
  }
  return {};
}
