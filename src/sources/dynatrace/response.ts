import { UpstreamUnavailableError } from '../../core/errors.js';
import type { Labels, Series } from '../../core/series.js';
import type { TimeRange } from '../../core/time.js';
import { parseResolution } from './selector.js';
import { convert, type UnitConversion } from './units.js';

/**
 * Reads a /metrics/query answer (`MetricData`). Each `result` entry belongs to one expression of
 * the selector, in order; each of its `data` items is one series, labelled by `dimensionMap`
 * (the `dimensions` array is deprecated and carries no keys). Dynatrace stamps a data point with
 * the END of its time slot; the gateway stamps buckets with their start, so stamps move back by
 * one slot. A null value is a gap and stays one.
 */

export interface MetricData {
  resolution?: string;
  result?: MetricSeriesCollection[];
  warnings?: string[];
}

export interface MetricSeriesCollection {
  metricId?: string;
  data?: MetricSeries[];
  warnings?: string[];
}

interface MetricSeries {
  dimensionMap?: Record<string, string | null> | null;
  timestamps?: unknown[];
  values?: unknown[];
}

/** Label carried by the series into which Dynatrace folds the tuples beyond its top N. */
export const REMAINDER_LABEL = 'dt.remainder';

export interface SeriesShape {
  source: string;
  metric: string;
  upstreamMetric?: string;
  conversion: UnitConversion;
  range: TimeRange;
}

/** The slot size of an answer; throws when the answer has none the gateway can use. */
export function answerSlotMs(data: MetricData, source: string): number {
  const slot = typeof data.resolution === 'string' ? parseResolution(data.resolution) : undefined;
  if (slot === undefined) {
    throw new UpstreamUnavailableError(`${source} answered with resolution ${JSON.stringify(data.resolution)}, which has no fixed slot length`, { source });
  }
  return slot;
}

export function toSeries(collection: MetricSeriesCollection, slotMs: number, shape: SeriesShape): Series[] {
  const out: Series[] = [];
  for (const item of collection.data ?? []) {
    const timestamps = Array.isArray(item?.timestamps) ? item.timestamps : [];
    const values = Array.isArray(item?.values) ? item.values : [];
    if (timestamps.length !== values.length) {
      throw new UpstreamUnavailableError(
        `${shape.source} answered ${timestamps.length} timestamps and ${values.length} values for one series of ${shape.upstreamMetric ?? shape.metric}`,
        { source: shape.source },
      );
    }
    const series: Series = { source: shape.source, metric: shape.metric, labels: labelsOf(item.dimensionMap), timestamps: [], values: [] };
    if (shape.upstreamMetric !== undefined && shape.upstreamMetric !== shape.metric) series.upstreamMetric = shape.upstreamMetric;
    if (shape.conversion.unit !== undefined) series.unit = shape.conversion.unit;
    if (Number.isFinite(slotMs)) series.intervalMs = slotMs;
    for (let i = 0; i < timestamps.length; i++) {
      const end = Number(timestamps[i]);
      // Resolution Inf is one slot spanning the whole timeframe asked for.
      const start = Number.isFinite(slotMs) ? end - slotMs : shape.range.from;
      if (!Number.isFinite(end) || start < shape.range.from || start >= shape.range.to) continue;
      const raw = values[i];
      series.timestamps.push(start);
      series.values.push(typeof raw === 'number' && Number.isFinite(raw) ? convert(raw, shape.conversion) : null);
    }
    out.push(series);
  }
  return out;
}

function labelsOf(dimensionMap: Record<string, string | null> | null | undefined): Labels {
  if (dimensionMap === null) return { [REMAINDER_LABEL]: 'true' };
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(dimensionMap ?? {})) {
    // A key mapped to null is a literal null dimension value: the series has no such label.
    if (typeof value === 'string') labels[key] = value;
  }
  return labels;
}
