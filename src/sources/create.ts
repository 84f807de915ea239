import type { Logger } from 'pino';
import type { SourceConfig } from '../config/schema.js';
import type { GatewayMetrics } from '../telemetry/metrics.js';
import { NativeSource } from './native/adapter.js';
import { NativeStore } from './native/store.js';
import type { MetricSource } from './source.js';

export interface SourceDeps {
  log: Logger;
  metrics: GatewayMetrics;
}

/** Builds the adapter for one configured source. New kinds register here. */
export function createSource(config: SourceConfig, deps: SourceDeps): MetricSource {
  void deps;
  switch (config.kind) {
    case 'native': {
      const store = new NativeStore({ maxSeries: config.maxSeries, maxPointsPerSeries: config.maxPointsPerSeries });
      // Native answers come from memory; they are cached only when the config asks for it.
      return new NativeSource(config.id, store, { cacheable: config.cacheTtl !== undefined && config.cacheTtl !== false && config.cacheTtl !== 0 });
    }
  }
}
