import type { Logger } from 'pino';
import type { NativeSourceConfig } from '../../config/schema.js';
import type { GatewayMetrics } from '../../telemetry/metrics.js';
import { NativeSource } from './adapter.js';
import { resolveNativeSettings } from './config.js';
import { COLLECTOR_FAMILY_NAMES } from './collector-families.js';
import { familySampleNames } from './exposed-names.js';
import { MemoryNativeStore } from './memory-store.js';
import { RedisNativeStore } from './redis-store.js';
import type { NativeStore } from './store.js';

export interface NativeDeps {
  log: Logger;
  metrics: GatewayMetrics;
  /** The gateway's Redis, needed for `store: redis`. */
  redis?: { url: string; keyPrefix?: string | undefined } | undefined;
  env?: Readonly<Record<string, string | undefined>>;
}

/** Builds a native source with its store: limits from config, then the environment, then defaults. */
export function createNativeSource(config: NativeSourceConfig, deps: NativeDeps): NativeSource {
  const settings = resolveNativeSettings(config, deps.env ?? process.env);
  // Pushed metrics may not take a name the gateway's own metrics use in the same scrape.
  const reservedNames = new Set([
    ...deps.metrics.registry.getMetricsAsArray().flatMap((metric) => familySampleNames(metric.name, metricType(metric))),
    ...COLLECTOR_FAMILY_NAMES,
  ]);
  const common = { limits: settings.limits, bucketsFor: settings.bucketsFor, reservedNames };
  let store: NativeStore;
  if (config.store === 'redis') {
    if (!deps.redis) {
      throw new Error(`source '${config.id}': store: redis needs the gateway's redis.url (or REDIS_URL); none is configured`);
    }
    store = new RedisNativeStore({ ...common, url: deps.redis.url, keyPrefix: deps.redis.keyPrefix, sourceId: config.id, log: deps.log });
  } else {
    store = new MemoryNativeStore(common);
  }
  return new NativeSource(config.id, store, {
    // Native answers come from the store; they are cached only when the config asks for it.
    cacheable: config.cacheTtl !== undefined && config.cacheTtl !== false && config.cacheTtl !== 0,
    aggregationWindowMs: settings.aggregationWindowMs,
    maxBodyBytes: settings.maxBodyBytes,
    trendThresholdPercent: settings.trendThresholdPercent,
    summaryQuantiles: settings.summaryQuantiles,
  });
}

function metricType(metric: unknown): string {
  // Histograms and summaries need their _bucket/_sum/_count sample names reserved too.
  const type = (metric as { type?: unknown }).type;
  return typeof type === 'string' ? type : 'untyped';
}
