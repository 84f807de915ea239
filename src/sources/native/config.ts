import { z } from 'zod';
import { DURATION_FORMS, MS, parseDuration } from '../../core/duration.js';
import { METRIC_NAME } from '../../core/metric-name.js';
import { DEFAULT_LIMITS, type NativeLimits } from './store.js';

/**
 * The native source's own settings (spread into its entry of gateway.yaml's schema) and how its
 * limits are resolved: a key in the source's config wins, then the 254Carbon Metrics Service's
 * environment variables, then that service's documented defaults.
 */

const positiveInt = z.number().int().positive();

const durationMs = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try {
    return parseDuration(value, 'value');
  } catch {
    ctx.addIssue({ code: 'custom', message: `must be ${DURATION_FORMS}; got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
});

const buckets = z
  .array(z.number().refine(Number.isFinite, 'bucket bounds must be finite numbers'))
  .min(1, 'needs at least one bucket bound')
  .refine((bounds) => bounds.every((bound, i) => i === 0 || bound > bounds[i - 1]!), 'bucket bounds must be strictly increasing');

const quantile = z.number().gt(0, 'quantiles are between 0 and 1').lt(1, 'quantiles are between 0 and 1');

export const nativeSourceOptions = {
  /** Most series kept; when full, the series whose newest point is oldest goes. @default 10000 (ACCESS_MAX_METRIC_SERIES) */
  maxSeries: positiveInt.optional(),
  /** Most points per series; the oldest go first. @default 1000 (ACCESS_MAX_POINTS_PER_SERIES) */
  maxPointsPerSeries: positiveInt.optional(),
  /** Window of the aggregated export and of trends. @default 300s (ACCESS_AGGREGATION_WINDOW_SECONDS) */
  aggregationWindow: durationMs.optional(),
  /** How long points are kept; older ones are dropped and refused. @default 24h (ACCESS_RETENTION_HOURS) */
  retention: durationMs.optional(),
  /** `memory`: this gateway's own store. `redis`: shared by every gateway on the same redis.url. @default memory */
  store: z.enum(['memory', 'redis']).optional(),
  /** Histogram bucket bounds. @default Prometheus's .005 .. 10 (times 1000 for a metric whose unit is ms) */
  histogramBuckets: buckets.optional(),
  /** Bucket bounds per metric name, over histogramBuckets. */
  metricBuckets: z.record(z.string().regex(METRIC_NAME, 'must be a metric name'), buckets).optional(),
  /** Quantiles a summary exposes, over its kept observations. @default [0.5, 0.9, 0.99] */
  summaryQuantiles: z.array(quantile).min(1).optional(),
  /** Largest request body the REST API reads; more is refused with 413. @default 4 MiB */
  maxBodyBytes: positiveInt.optional(),
  /** A trend whose change is smaller than this percentage is `stable`. @default 5 */
  trendThresholdPercent: z.number().min(0).optional(),
};

export type NativeSourceOptions = {
  [K in keyof typeof nativeSourceOptions]?: z.output<(typeof nativeSourceOptions)[K]>;
};

export interface ResolvedNativeSettings {
  limits: NativeLimits;
  aggregationWindowMs: number;
  maxBodyBytes: number;
  trendThresholdPercent: number;
  summaryQuantiles: number[];
  bucketsFor: (name: string, unit: string | undefined) => number[];
}

export const DEFAULT_AGGREGATION_WINDOW_MS = 300 * MS.SECOND;
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
export const DEFAULT_TREND_THRESHOLD_PERCENT = 5;
export const DEFAULT_SUMMARY_QUANTILES = [0.5, 0.9, 0.99];
export const PROMETHEUS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The environment variables the 254Carbon Metrics Service reads, with what they set. */
export const ENV_LIMITS = {
  ACCESS_MAX_METRIC_SERIES: 'maxSeries',
  ACCESS_MAX_POINTS_PER_SERIES: 'maxPointsPerSeries',
  ACCESS_AGGREGATION_WINDOW_SECONDS: 'aggregationWindow',
  ACCESS_RETENTION_HOURS: 'retention',
} as const;

/** Config first, then the environment, then the defaults. Throws one message per bad variable. */
export function resolveNativeSettings(
  config: NativeSourceOptions,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedNativeSettings {
  const problems: string[] = [];
  const fromEnv = (name: keyof typeof ENV_LIMITS, scale: number): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return undefined;
    const value = Number(raw.trim());
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < 1) {
      problems.push(`${name} must be a positive whole number; got '${raw}'`);
      return undefined;
    }
    return value * scale;
  };
  const limits: NativeLimits = {
    maxSeries: config.maxSeries ?? fromEnv('ACCESS_MAX_METRIC_SERIES', 1) ?? DEFAULT_LIMITS.maxSeries,
    maxPointsPerSeries: config.maxPointsPerSeries ?? fromEnv('ACCESS_MAX_POINTS_PER_SERIES', 1) ?? DEFAULT_LIMITS.maxPointsPerSeries,
    retentionMs: config.retention ?? fromEnv('ACCESS_RETENTION_HOURS', MS.HOUR) ?? DEFAULT_LIMITS.retentionMs,
  };
  const aggregationWindowMs =
    config.aggregationWindow ?? fromEnv('ACCESS_AGGREGATION_WINDOW_SECONDS', MS.SECOND) ?? DEFAULT_AGGREGATION_WINDOW_MS;
  if (problems.length > 0) throw new Error(`native source settings from the environment: ${problems.join('; ')}`);

  const base = config.histogramBuckets;
  const perMetric = config.metricBuckets ?? {};
  return {
    limits,
    aggregationWindowMs,
    maxBodyBytes: config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    trendThresholdPercent: config.trendThresholdPercent ?? DEFAULT_TREND_THRESHOLD_PERCENT,
    summaryQuantiles: config.summaryQuantiles ?? DEFAULT_SUMMARY_QUANTILES,
    bucketsFor: (name, unit) => {
      const chosen = perMetric[name] ?? base;
      if (chosen) return chosen;
      // Prometheus's defaults are seconds; a metric that says it is in milliseconds gets the same
      // boundaries in its own unit, so its observations do not all land in +Inf.
      return unit !== undefined && /^(ms|millis|milliseconds?)$/i.test(unit) ? PROMETHEUS_BUCKETS.map((b) => b * 1000) : PROMETHEUS_BUCKETS;
    },
  };
}
