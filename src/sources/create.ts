import type { Logger } from 'pino';
import type { SourceConfig } from '../config/schema.js';
import type { UpstreamGuard } from '../resilience/upstream-guard.js';
import type { GatewayMetrics } from '../telemetry/metrics.js';
import type { UpstreamTransport } from './http/transport.js';
import { createArgusSource } from './argus/create.js';
import { createDarktraceSource } from './darktrace/adapter.js';
import { DynatraceSource } from './dynatrace/adapter.js';
import { createNativeSource } from './native/create.js';
import type { MetricSource } from './source.js';

export interface SourceDeps {
  log: Logger;
  metrics: GatewayMetrics;
  /** The gateway's Redis (`redis.url`), for sources that keep shared state there. */
  redis?: { url: string; keyPrefix?: string | undefined } | undefined;
  /** What protects a remote source's upstream (src/gateway.ts builds one per remote source). */
  guard?: UpstreamGuard | undefined;
  /** Where remote sources' HTTP runs: the gateway's upstream thread, or this thread when absent. */
  transport?: UpstreamTransport | undefined;
}

/** Builds the adapter for one configured source. New kinds register here. */
export function createSource(config: SourceConfig, deps: SourceDeps): MetricSource {
  void deps;
  switch (config.kind) {
    case 'darktrace':
      return createDarktraceSource(config, deps);
    case 'argus':
      return createArgusSource(config, deps);
    case 'dynatrace':
      return new DynatraceSource(config.id, config, deps);
    case 'native':
      return createNativeSource(config, deps);
  }
}
