import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The gateway's own operational metrics, one registry per gateway instance (so several gateways
 * in one process, as in tests, do not collide). Names follow Prometheus conventions: snake_case,
 * `_total` on counters, base units in the name.
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  readonly upstreamCalls = new Counter({
    name: 'gateway_upstream_calls_total',
    help: 'Calls into a source adapter (one call may carry a batch of queries)',
    labelNames: ['source', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly upstreamQueries = new Counter({
    name: 'gateway_upstream_queries_total',
    help: 'Queries carried by calls into source adapters',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  readonly upstreamDuration = new Histogram({
    name: 'gateway_upstream_duration_seconds',
    help: 'Time a source adapter took to answer one call',
    labelNames: ['source'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly upstreamHttp = new Counter({
    name: 'gateway_upstream_http_requests_total',
    help: 'HTTP requests sent to upstream APIs, by status (or "error" when no response came)',
    labelNames: ['source', 'status'] as const,
    registers: [this.registry],
  });

  readonly upstreamHttpDuration = new Histogram({
    name: 'gateway_upstream_http_duration_seconds',
    help: 'Time from sending an upstream HTTP request to having its whole body',
    labelNames: ['source'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly upstreamRetries = new Counter({
    name: 'gateway_upstream_retries_total',
    help: 'Upstream HTTP requests sent again after a retryable failure',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  readonly responseCacheLookups = new Counter({
    name: 'gateway_response_cache_lookups_total',
    help: 'Whole-response cache lookups by result: hit (sent as kept) or miss (executed)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly cacheLookups = new Counter({
    name: 'gateway_cache_lookups_total',
    help: 'Cache lookups by result: hit, miss, coalesced (joined an identical request in flight), revalidate (served past its TTL while one call refreshes it) or stale (served for a failed source)',
    labelNames: ['source', 'result'] as const,
    registers: [this.registry],
  });

  readonly cacheErrors = new Counter({
    name: 'gateway_cache_errors_total',
    help: 'Cache commands that failed; the request went on uncached',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  readonly httpRequests = new Counter({
    name: 'gateway_http_requests_total',
    help: 'HTTP requests served, by route and status class',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });

  readonly activeStreams = new Gauge({
    name: 'gateway_active_streams',
    help: 'Open HTTP responses that are still streaming (SSE subscriptions)',
    registers: [this.registry],
  });

  /** Native collector, per gateway instance (store-wide figures are rendered from the store). */
  readonly collectorRejected = new Counter({
    name: 'metrics_errors_total',
    help: 'Points the native collector refused (invalid, too old, or a name/type conflict)',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  readonly collectorDuration = new Histogram({
    name: 'metrics_collection_duration_seconds',
    help: 'Time the native collector took to validate and store one track request',
    labelNames: ['source'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  readonly collectorExports = new Counter({
    name: 'metrics_exported_total',
    help: 'Prometheus scrapes of the native collector served by this instance',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  readonly circuitState = new Gauge({
    name: 'gateway_circuit_breaker_state',
    help: "A source's circuit breaker: 0 closed, 1 half-open (probing), 2 open (calls fail at once)",
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  /**
   * How busy each thread's event loop was since the previous scrape, 0 to 1: `main` serves clients
   * (the one that saturates first under load), `upstream` talks to the vendors. Read at scrape
   * time from the loops themselves (`watchEventLoop`).
   */
  readonly eventLoopUtilization = new Gauge({
    name: 'gateway_event_loop_utilization_ratio',
    help: "Share of the time since the previous scrape that a thread's event loop was busy (main: clients; upstream: vendors' HTTP)",
    labelNames: ['thread'] as const,
    registers: [this.registry],
    collect: () => {
      for (const [thread, read] of this.#loops) {
        const value = read();
        if (value === undefined) this.eventLoopUtilization.remove({ thread });
        else this.eventLoopUtilization.set({ thread }, value);
      }
    },
  });

  readonly #loops = new Map<string, () => number | undefined>();

  /** Reports a thread's event-loop utilization on every scrape; `read` gives undefined while it does not run. */
  watchEventLoop(thread: string, read: () => number | undefined): void {
    this.#loops.set(thread, read);
  }

  readonly circuitTransitions = new Counter({
    name: 'gateway_circuit_breaker_transitions_total',
    help: 'Circuit breaker state changes, by the state entered',
    labelNames: ['source', 'state'] as const,
    registers: [this.registry],
  });

  /** Sum of a counter's values matching `labels`; for /health and for tests. */
  async count(counter: Counter<string>, labels: Record<string, string> = {}): Promise<number> {
    const { values } = await counter.get();
    return values
      .filter((value) => Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted))
      .reduce((sum, value) => sum + value.value, 0);
  }
}
