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
 * Gaps are skipped: the model sees the real points in order, one interval apart.
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

  let best = { alpha: 0.5, beta: 0.1, sse: Infinity, level: 0, trend: 0, errors: [] as number[] };
  for (let alpha = 0.1; alpha <= 0.91; alpha += 0.1) {
    for (let beta = 0.05; beta <= 0.91; beta += 0.1) {
      const fit = fitHolt(series, alpha, beta);
      if (fit.sse < best.sse) best = { alpha, beta, ...fit };
    }
  }
  const sigma = Math.sqrt(best.errors.reduce((acc, e) => acc + e * e, 0) / Math.max(1, best.errors.length));
  const out: ForecastPoint[] = [];
  let variance = 0;
  for (let h = 1; h <= horizon; h++) {
    variance += h === 1 ? 1 : (best.alpha * (1 + (h - 1) * best.beta)) ** 2;
    const value = best.level + h * best.trend;
    const spread = z * sigma * Math.sqrt(variance);
    out.push({ timestamp: lastTimestamp + h * intervalMs, value, lower: value - spread, upper: value + spread });
  }
  return out;
}

function fitHolt(series: readonly number[], alpha: number, beta: number) {
  let level = series[0]!;
  let trend = series[1]! - series[0]!;
  let sse = 0;
  const errors: number[] = [];
  for (let i = 1; i < series.length; i++) {
    const predicted = level + trend;
    const error = series[i]! - predicted;
    if (i > 1) {
      sse += error * error;
      errors.push(error);
    }
    const previousLevel = level;
    level = alpha * series[i]! + (1 - alpha) * (level + trend);
    trend = beta * (level - previousLevel) + (1 - beta) * trend;
  }
  return { sse, level, trend, errors };
}
