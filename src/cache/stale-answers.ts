import { isGatewayError } from '../core/errors.js';
import type { SourceWarning } from '../sources/source.js';

/**
 * Serving stale (a source's `maxStaleMs`): next to each answer the cache keeps a longer-lived
 * copy, served only when the source fails, with a warning that says so. Shared by metricData
 * answers (query-cache.ts) and pushed-down aggregates (aggregate-cache.ts).
 */

/** Where the longer-lived copy of `key`'s answer lives. */
export function staleKey(key: string): string {
  return `stale:${key}`;
}

/** Failures a stale answer may stand in for: the source is down, slow or refusing, not the query wrong. */
export function isSourceFailure(failure: unknown): failure is Error {
  if (!(failure instanceof Error) || !isGatewayError(failure)) return false;
  return ['GATEWAY_TIMEOUT', 'UPSTREAM_UNAVAILABLE', 'CIRCUIT_BREAKER_OPEN', 'UPSTREAM_RATE_LIMITED'].includes(failure.code);
}

/** The warning that goes with an answer served in place of `failure`; `at` is when it arrived. */
export function staleWarning(sourceId: string, failure: Error, at: number): SourceWarning {
  return {
    source: sourceId,
    code: 'STALE_DATA',
    message: `${sourceId} failed (${(failure as { code?: string }).code ?? 'error'}: ${failure.message}); this answer is the cached one from ${new Date(at).toISOString()}`,
  };
}
