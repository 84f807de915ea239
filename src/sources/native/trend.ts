import { summarize } from './windows.js';

/**
 * The trend of one metric over its aggregation windows, as the 254Carbon REST API reports it:
 * `increasing`, `decreasing` or `stable` (the change is smaller than the threshold), with the
 * change in percent. Its original code had no `stable` (equal ends were "decreasing") and
 * reported a fraction as the magnitude; this follows its documentation instead.
 */

export type TrendDirection = 'increasing' | 'decreasing' | 'stable';

export interface WindowPoint {
  timestamp: number;
  value: number;
}

export interface TrendFigures {
  trend: TrendDirection;
  /** (last - first) / |first| in percent, rounded to 2 decimals; null when first is 0 and last is not. */
  changePercent: number | null;
  first?: number;
  last?: number;
  min?: number;
  max?: number;
  avg?: number;
  /** Why there is no trend to speak of, when there is none. */
  note?: string;
}

export function trendOf(points: readonly WindowPoint[], thresholdPercent: number): TrendFigures {
  if (points.length === 0) return { trend: 'stable', changePercent: null, note: 'no data in the period' };
  const values = points.map((point) => point.value);
  const first = values[0]!;
  const last = values[values.length - 1]!;
  const { min, max, avg } = summarize(values);
  const figures = { first, last, min, max, avg: round(avg) };
  if (points.length < 2) {
    return { trend: 'stable', changePercent: 0, ...figures, note: 'only one aggregation window holds data; a trend needs two' };
  }
  if (first === 0) {
    if (last === 0) return { trend: 'stable', changePercent: 0, ...figures };
    // No percentage of zero; the direction still stands.
    return { trend: last > 0 ? 'increasing' : 'decreasing', changePercent: null, ...figures };
  }
  const changePercent = round(((last - first) / Math.abs(first)) * 100);
  const trend: TrendDirection = Math.abs(changePercent) < thresholdPercent ? 'stable' : changePercent > 0 ? 'increasing' : 'decreasing';
  return { trend, changePercent, ...figures };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
