export interface ForecastPoint {
  timestamp: number;
  value: number;
  lower: number;
  upper: number;
}

export interface ForecastOptions {
  /** How many intervals ahead. @default 6 */
  horizon?: number;
  /** Two-sided z for the band. @default 1.96 (about 95%) */
  z?: number;
}

/**
 * Holt's linear exponential smoothing (level + trend), with alpha and beta chosen by a grid search
 * that minimises the one-step-ahead squared error on the series itself. The band uses the spread
 * of those one-step errors, widened with the horizon the way Holt's prediction variance grows:
 * var(h) = sigma^2 * (1 + sum_{j<h} (alpha * (1 + j * beta))^2).
 * Gaps are skipped: the model sees the real points in order, one interval apart. Empty buckets at
 * the end (a range reaching into the present) are steps the forecast has to cover too: the first
 * forecast point is one interval after the last bucket, not after the last real point.
 */
export function holtForecast(
  values: ReadonlyArray<number | null>,
  lastTimestamp: number,
  intervalMs: number,
  options: ForecastOptions = {},
): ForecastPoint[] {
  const horizon = options.horizon ?? 6;
  const z = options.z ?? 1.96;
  const series = values.filter((value): value is number => value !== null && Number.isFinite(value));
  if (horizon <= 0 || series.length < 3) return [];
  let trailingGaps = 0;
  while (!isReal(values[values.length - 1 - trailingGaps])) trailingGaps++;

  const start = initialState(series);
  let best = { alpha: 0.5, beta: 0.1, sse: Infinity, level: 0, trend: 0, errors: [] as number[] };
  for (let alpha = 0.1; alpha <= 0.91; alpha += 0.1) {
    for (let beta = 0.05; beta <= 0.91; beta += 0.1) {
      const fit = fitHolt(series, alpha, beta, start);
      if (fit.sse < best.sse) best = { alpha, beta, ...fit };
    }
  }
  const sigma = Math.sqrt(best.errors.reduce((acc, e) => acc + e * e, 0) / Math.max(1, best.errors.length));
  const out: ForecastPoint[] = [];
  let variance = 0;
  for (let step = 1; step <= trailingGaps + horizon; step++) {
    variance += step === 1 ? 1 : (best.alpha * (1 + (step - 1) * best.beta)) ** 2;
    if (step <= trailingGaps) continue;
    const value = best.level + step * best.trend;
    const spread = z * sigma * Math.sqrt(variance);
    out.push({ timestamp: lastTimestamp + (step - trailingGaps) * intervalMs, value, lower: value - spread, upper: value + spread });
  }
  return out;
}

function isReal(value: number | null | undefined): boolean {
  return value !== null && value !== undefined && Number.isFinite(value);
}

/**
 * Starting level and trend from a least-squares line through the first few points (the usual
 * heuristic, as in Hyndman et al. 2008). Starting from the first difference alone lets one noisy
 * pair set the trend, which the grid search then "fixes" by picking the most nervous alpha and
 * beta, and the forecast follows the last few wiggles instead of the series' direction.
 */
function initialState(series: readonly number[]): { level: number; trend: number } {
  const n = Math.min(10, series.length);
  const meanX = (n - 1) / 2;
  let meanY = 0;
  for (let i = 0; i < n; i++) meanY += series[i]! / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (i - meanX) * (series[i]! - meanY);
    den += (i - meanX) ** 2;
  }
  const trend = num / den;
  // The level one step before the first point, so that the first point is predicted too.
  return { level: meanY - meanX * trend - trend, trend };
}

function fitHolt(series: readonly number[], alpha: number, beta: number, start: { level: number; trend: number }) {
  let { level, trend } = start;
  let sse = 0;
  const errors: number[] = [];
  for (let i = 0; i < series.length; i++) {
    const predicted = level + trend;
    const error = series[i]! - predicted;
    sse += error * error;
    errors.push(error);
    const previousLevel = level;
    level = alpha * series[i]! + (1 - alpha) * (level + trend);
    trend = beta * (level - previousLevel) + (1 - beta) * trend;
  }
  return { sse, level, trend, errors };
}
