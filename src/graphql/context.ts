import type { GraphQLError } from 'graphql';
import type { YogaInitialContext } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Identity } from '../auth/identity.js';
import type { QueryCache } from '../cache/query-cache.js';
import type { SourceHealth, SourceRegistry, MetricSource, SourceWarning } from '../sources/source.js';
import type { RequestDeadline } from '../resilience/request-deadline.js';
import type { GatewayMetrics } from '../telemetry/metrics.js';
import type { DemandMeter } from './cost/demand-meter.js';
import type { SeriesLoaders } from './loaders.js';
import type { Pacer } from './pacing.js';

/** What every resolver gets. Built fresh per request: loaders are never shared across requests. */
export interface GatewayFields {
  requestId: string;
  log: Logger;
  /** One `now` for the whole request, so every relative time in it means the same instant. */
  now: number;
  /** Who is asking (tenant and credential); part of every cache key so answers never cross identities. */
  identity: string;
  /** The authenticated caller: its tenant, the sources and Argus customers it may use. */
  caller: Identity;
  registry: SourceRegistry;
  loaders: SeriesLoaders;
  /** Aborts upstream work when the client leaves or `requestDeadlineMs` passes; released after execution. */
  deadline: RequestDeadline;
  cache: QueryCache;
  metrics: GatewayMetrics;
  /** Health of a source; remote sources are probed at most once a second, whoever asks (SharedHealthChecks). */
  health(source: MetricSource): Promise<SourceHealth>;
  /**
   * Adds an error to the response without failing the field: for answers that are partly there
   * (discovery across sources where one failed). useReportedErrors appends these to `errors`.
   */
  reportError(error: GraphQLError): void;
  readonly reported: GraphQLError[];
  /** Upstream warnings about this request's answers; useWarnings puts them in `extensions.warnings`. */
  readonly warnings: SourceWarning[];
  streams: {
    hub: import('../streams/stream-hub.js').StreamHub;
    /** The smallest poll interval a client may ask of a source. */
    minPollIntervalMs(source: MetricSource): number;
    defaultPollIntervalMs: number;
  };
  /** This request's demand: each root field's points, estimated and actual (src/graphql/cost). */
  demand: DemandMeter;
  /** Cuts the execution of a very large answer into turns of the event loop (pacing.ts). */
  pacer: Pacer;
  /** Aborts when the gateway begins shutting down; streams end cleanly on it. */
  shutdownSignal: AbortSignal;
}

/** The context resolvers see: yoga's own fields (request, params) plus the gateway's. */
export type GatewayContext = YogaInitialContext & GatewayFields;
