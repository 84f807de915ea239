import { findAnomalies, type Anomaly, type AnomalyOptions } from './anomalies.js';
import { holtForecast, type ForecastPoint } from './forecast.js';
import { MS } from './duration.js';

export type TrendDirection = 'increasing' | 'decreasing' | 'stable';

export interface TrendOptions {
  intervalMs: number;
  /** |change| within this many percent is stable. @default 1 */
  stableBandPercent?: number;
  anomalies?: AnomalyOptions;
  /** Intervals to forecast. @default 6 */
  forecastIntervals?: number;
}

export interface TrendResult {
  points: number;
  first: number | null;
  last: number | null;
  min: number | null;
  max: number | null;
  mean: number | null;
  /** (last - first) / |first| * 100; null when first is 0 and last is not (no finite percent). */
  changePercent: number | null;
  /** Least-squares slope of value over time, per hour. */
  slopePerHour: number | null;
  direction: TrendDirection;
  anomalies: Anomaly[];
  forecast: ForecastPoint[];
}

/** Describes a regular series (buckets; null = gap): where it went, how fast, what stood out, what comes next. */
export function analyzeTrend(timestamps: readonly number[], values: ReadonlyArray<number | null>, options: TrendOptions): TrendResult {
  const band = options.stableBandPercent ?? 1;
  const xs: number[] = [];
  const ys: number[] = [];
  values.forEach((value, i) => {
    if (value !== null && Number.isFinite(value)) {
      xs.push(timestamps[i]!);
      ys.push(value);
    }
  });
  const n = ys.length;
  if (n === 0) {
    return { points: 0, first: null, last: null, min: null, max: null, mean: null, changePercent: null, slopePerHour: null, direction: 'stable', anomalies: [], forecast: [] };
  }
  const first = ys[0]!;
  const last = ys[n - 1]!;
  const mean = ys.reduce((a, b) => a + b, 0) / n;
  const changePercent = first === 0 ? (last === 0 ? 0 : null) : ((last - first) / Math.abs(first)) * 100;
  const slopePerHour = n < 2 ? null : leastSquaresSlope(xs, ys) * MS.HOUR;

  let direction: TrendDirection;
  if (changePercent === null) direction = last > first ? 'increasing' : 'decreasing';
  else if (Math.abs(changePercent) <= band) direction = 'stable';
  else direction = changePercent > 0 ? 'increasing' : 'decreasing';

  return {
    points: n,
    first,
    last,
    min: ys.reduce((a, b) => (b < a ? b : a)),
    max: ys.reduce((a, b) => (b > a ? b : a)),
    mean,
    changePercent,
    slopePerHour,
    direction,
    anomalies: findAnomalies(timestamps, values, options.anomalies),
    forecast: holtForecast(values, timestamps[timestamps.length - 1]!, options.intervalMs, { horizon: options.forecastIntervals ?? 6 }),
  };
}

/** Slope per millisecond; x is centred first so epoch-sized numbers do not swamp the sums. */
function leastSquaresSlope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - meanX) * (ys[i]! - meanY);
    den += (xs[i]! - meanX) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
