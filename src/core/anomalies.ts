import { quantileInPlace } from './quantile.js';

export interface Anomaly {
  timestamp: number;
  value: number;
  /** What the baseline expected: the median of the preceding window. */
  expected: number;
  /** Robust z-score: how many (MAD-scaled) deviations from the baseline's median. */
  score: number;
}

export interface AnomalyOptions {
  /** Flag points whose |score| exceeds this. @default 3.5 (Iglewicz and Hoaglin's cut-off) */
  threshold?: number;
  /**
   * Preceding points that form the rolling baseline. Small windows make MAD jumpy: with 12 points
   * about 3% of plain Gaussian noise scores above 3.5; with 30 it is under 1%. @default 30
   */
  window?: number;
  /** Fewer preceding points than this and a point is not judged. @default 10 */
  minBaseline?: number;
}

/** MAD is scaled by 1/0.6745 so that, for normal data, it estimates the standard deviation. */
const MAD_TO_SIGMA = 1.4826;
/** Mean absolute deviation to sigma, for normal data: sqrt(pi/2). */
const MEAN_AD_TO_SIGMA = 1.2533;

/**
 * Points that stand out from what came just before them. Each point is scored against the median
 * and median absolute deviation (MAD) of the preceding `window` real points: a robust z-score that
 * one earlier spike cannot inflate the way it would inflate a mean and standard deviation. When
 * MAD is zero (a mostly flat baseline) the mean absolute deviation takes its place; when that is
 * zero too, any departure from the flat line is an anomaly with a score capped at 1e6.
 */
export function findAnomalies(timestamps: readonly number[], values: ReadonlyArray<number | null>, options: AnomalyOptions = {}): Anomaly[] {
  const threshold = options.threshold ?? 3.5;
  const window = options.window ?? 30;
  const minBaseline = options.minBaseline ?? 10;
  const real: Array<{ timestamp: number; value: number }> = [];
  values.forEach((value, i) => {
    if (value !== null && Number.isFinite(value)) real.push({ timestamp: timestamps[i]!, value });
  });

  const anomalies: Anomaly[] = [];
  for (let i = minBaseline; i < real.length; i++) {
    const baseline = real.slice(Math.max(0, i - window), i).map((point) => point.value);
    const median = quantileInPlace(Float64Array.from(baseline), 0.5);
    const deviations = Float64Array.from(baseline, (v) => Math.abs(v - median));
    const mad = quantileInPlace(deviations.slice(), 0.5);
    const meanAd = deviations.reduce((a, b) => a + b, 0) / deviations.length;
    const scale = mad > 0 ? mad * MAD_TO_SIGMA : meanAd * MEAN_AD_TO_SIGMA;
    const { timestamp, value } = real[i]!;
    const distance = value - median;
    const score = scale > 0 ? distance / scale : distance === 0 ? 0 : Math.sign(distance) * 1e6;
    if (Math.abs(score) > threshold) anomalies.push({ timestamp, value, expected: median, score: Math.max(-1e6, Math.min(1e6, score)) });
  }
  return anomalies;
}
