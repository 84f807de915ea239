import type { Plugin } from 'graphql-yoga';
import type { CacheStore } from '../cache/store.js';
import { checkHealth } from '../sources/health.js';
import type { MetricSource, SourceHealth, SourceRegistry } from '../sources/source.js';

export interface HealthOptions {
  registry: SourceRegistry;
  cache: CacheStore;
  /** Per-source deadline for the health check. @default 2000 */
  timeoutMs?: number;
  /** How a source's health is asked (the gateway shares checks across callers). @default checkHealth with timeoutMs */
  check?: (source: MetricSource) => Promise<SourceHealth>;
  startedAt?: number;
  /** A source's circuit breaker, when it has one: its state goes into the report. */
  circuitOf?: (sourceId: string) => { state: string; retryInMs: number } | undefined;
}

/**
 * GET /health: JSON with every source's health and the cache's. It needs credentials when
 * authentication is on (it names the sources and their state). It answers 200 whenever the
 * process can answer at all; a sick source or a dead Redis makes the status `degraded`, because
 * the gateway still serves (partial results, uncached answers). Readiness is /ready's job.
 */
export function useHealth({ registry, cache, timeoutMs = 2000, check = (source) => checkHealth(source, timeoutMs), startedAt = Date.now(), circuitOf }: HealthOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== '/health') return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new fetchAPI.Response(null, { status: 405, headers: { allow: 'GET, HEAD' } }));
        return;
      }
      const sources = await Promise.all(
        registry.list().map(async (source) => {
          const circuit = circuitOf?.(source.id);
          return {
            id: source.id,
            kind: source.kind,
            ...(await check(source)),
            ...(circuit ? { circuit: circuit.state, ...(circuit.state === 'open' ? { circuitRetryInMs: circuit.retryInMs } : {}) } : {}),
          };
        }),
      );
      const cacheHealth = cache.health();
      const healthy = sources.every((source) => source.healthy) && cacheHealth.healthy;
      const body = {
        status: healthy ? 'ok' : 'degraded',
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        sources,
        cache: cacheHealth,
      };
      endResponse(fetchAPI.Response.json(body, { headers: { 'cache-control': 'no-store' } }));
    },
  };
}
