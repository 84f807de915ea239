import type { CircuitBreaker } from './circuit-breaker.js';
import type { RetryBudget } from './retry-budget.js';
import type { TokenBucket } from './token-bucket.js';

/**
 * What protects one source's upstream: its outbound bucket, its circuit breaker and its retry
 * budget. The gateway builds one per remote source and hands it to that source's UpstreamClient,
 * which applies it to every HTTP attempt (queries, discovery, health and writes alike).
 */
export interface UpstreamGuard {
  bucket?: TokenBucket | undefined;
  breaker?: CircuitBreaker | undefined;
  retryBudget?: RetryBudget | undefined;
}
