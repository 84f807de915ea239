import type { GatewayMetrics } from '../telemetry/metrics.js';
import type { MetricQuery, MetricSource, QueryContext, QueryResult } from './source.js';

/**
 * Counts and times every call into an adapter. It wraps `query` only; everything else passes
 * through, so optional capabilities stay discoverable by presence.
 */
export function observeSource(source: MetricSource, metrics: GatewayMetrics): MetricSource {
  const query = async (queries: readonly MetricQuery[], ctx: QueryContext): Promise<QueryResult[]> => {
    const stopTimer = metrics.upstreamDuration.startTimer({ source: source.id });
    metrics.upstreamQueries.inc({ source: source.id }, queries.length);
    try {
      const results = await source.query(queries, ctx);
      const failed = results.some((result) => result instanceof Error);
      metrics.upstreamCalls.inc({ source: source.id, outcome: failed ? 'partial' : 'ok' });
      return results;
    } catch (error) {
      metrics.upstreamCalls.inc({ source: source.id, outcome: 'error' });
      throw error;
    } finally {
      stopTimer();
    }
  };
  return new Proxy(source, {
    get(target, property) {
      if (property === 'query') return query;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
