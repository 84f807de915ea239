import type { GatewayMetrics } from '../telemetry/metrics.js';
import type { AggregateGroup } from '../core/aggregate.js';
import type { AggregateQuery, MetricQuery, MetricSource, QueryContext, QueryResult } from './source.js';

/**
 * Counts and times every call into an adapter: `query`, and `aggregate` when the adapter has it
 * (a push-down that declines, answering undefined, is not counted: nothing was computed upstream).
 * Everything else passes through, so optional capabilities stay discoverable by presence.
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
  const aggregate = async (request: AggregateQuery, ctx: QueryContext): Promise<AggregateGroup[] | undefined> => {
    const stopTimer = metrics.upstreamDuration.startTimer({ source: source.id });
    try {
      const groups = await source.aggregate!(request, ctx);
      if (groups) {
        metrics.upstreamQueries.inc({ source: source.id });
        metrics.upstreamCalls.inc({ source: source.id, outcome: 'ok' });
      }
      return groups;
    } catch (error) {
      metrics.upstreamQueries.inc({ source: source.id });
      metrics.upstreamCalls.inc({ source: source.id, outcome: 'error' });
      throw error;
    } finally {
      stopTimer();
    }
  };
  // Methods are bound once: the proxy is read on every request (ids, capabilities, data versions).
  const bound = new Map<PropertyKey, { method: Function; bound: Function }>();
  return new Proxy(source, {
    get(target, property) {
      if (property === 'query') return query;
      if (property === 'aggregate' && target.aggregate) return aggregate;
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      let entry = bound.get(property);
      if (entry?.method !== value) bound.set(property, (entry = { method: value, bound: value.bind(target) }));
      return entry.bound;
    },
  });
}
