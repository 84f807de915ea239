import type { SourceConfig } from '../config/schema.js';
import { NativeSource } from './native/adapter.js';
import { NativeStore } from './native/store.js';
import type { MetricSource } from './source.js';

/** Builds the adapter for one configured source. New kinds register here. */
export function createSource(config: SourceConfig): MetricSource {
  switch (config.kind) {
    case 'native': {
      const store = new NativeStore({ maxSeries: config.maxSeries, maxPointsPerSeries: config.maxPointsPerSeries });
      // Native answers come from memory; they are cached only when the config asks for it.
      return new NativeSource(config.id, store, { cacheable: config.cacheTtl !== undefined && config.cacheTtl !== false && config.cacheTtl !== 0 });
    }
  }
}
