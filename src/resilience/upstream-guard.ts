import { AsyncLocalStorage } from 'node:async_hooks';
import type { MetricSource } from '../sources/source.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { RetryBudget } from './retry-budget.js';
import type { TokenBucket } from './token-bucket.js';

/** What protects one source's upstream: its outbound bucket and its circuit breaker. */
export interface UpstreamGuard {
  bucket?: TokenBucket | undefined;
  breaker?: CircuitBreaker | undefined;
  retryBudget?: RetryBudget | undefined;
}

const current = new AsyncLocalStorage<UpstreamGuard>();

/** The guard of the source whose call is running; UpstreamClient asks before every attempt. */
export function currentUpstreamGuard(): UpstreamGuard | undefined {
  return current.getStore();
}

/**
 * Runs every call into a source (queries, discovery, health, writes) with that source's guard in
 * scope, so the shared UpstreamClient applies it to each HTTP attempt without adapters passing it
 * along. Everything else passes through; `instanceof` and optional capabilities still work.
 */
export function guardSource(source: MetricSource, guard: UpstreamGuard): MetricSource {
  if (!guard.bucket && !guard.breaker && !guard.retryBudget) return source;
  return new Proxy(source, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => current.run(guard, () => value.apply(target, args));
    },
  });
}
