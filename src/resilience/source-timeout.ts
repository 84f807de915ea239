/**
 * How long one call to a source may take (its `timeoutMs`: every attempt, retry and wait of the
 * call together) when the config does not say. A source's call must end before the request's
 * deadline, or a slow source would hold the answers of all the others until the deadline cut it
 * off anyway, and its own error would never be the one the client reads. So the default is the
 * kind's own default, but never more than a share of `requestDeadlineMs`: an operator who lowers
 * the deadline does not have to edit every source, and the time left after the source gives up
 * is what the gateway needs to answer with the other sources' data.
 */

/** The share of `requestDeadlineMs` an unset `timeoutMs` may take. */
export const SOURCE_TIMEOUT_SHARE = 0.8;

export function effectiveTimeoutMs(configuredMs: number | undefined, kindDefaultMs: number, requestDeadlineMs: number): number {
  if (configuredMs !== undefined) return configuredMs;
  return Math.max(1, Math.min(kindDefaultMs, Math.floor(requestDeadlineMs * SOURCE_TIMEOUT_SHARE)));
}
