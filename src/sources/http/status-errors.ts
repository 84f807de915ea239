import {
  GatewayTimeoutError,
  UpstreamAuthFailedError,
  UpstreamBadRequestError,
  UpstreamNotFoundError,
  UpstreamRateLimitedError,
  UpstreamUnavailableError,
  type GatewayError,
  type TimeoutPhase,
} from '../../core/errors.js';

/**
 * The default translation of an upstream HTTP status into the gateway's error codes. Adapters pass
 * a `detail` they extracted from the vendor's error body (Argus messages, Dynatrace's error
 * envelope) so the client sees why, without the upstream URL or any credential.
 */
export function errorForStatus(source: string, status: number, detail: string | undefined, retryAfterMs?: number): GatewayError {
  const why = detail ? `: ${detail}` : '';
  const options = { source, upstreamStatus: status };
  if (status === 401) return new UpstreamAuthFailedError(`${source} rejected the gateway's credentials (HTTP 401)${why}`, options);
  if (status === 403) return new UpstreamAuthFailedError(`${source} denied access with the configured credentials (HTTP 403)${why}`, options);
  if (status === 404) return new UpstreamNotFoundError(`${source} has no such resource (HTTP 404)${why}`, options);
  if (status === 429 || status === 402) {
    return new UpstreamRateLimitedError(`${source} is rate limiting the gateway (HTTP ${status})${why}`, retryAfterMs, options);
  }
  if (status >= 500) return new UpstreamUnavailableError(`${source} failed (HTTP ${status})${why}`, options);
  return new UpstreamBadRequestError(`${source} refused the request (HTTP ${status})${why}`, options);
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_UNTRUSTED',
]);

const TIMEOUT_PHASES: Record<string, TimeoutPhase> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'headers',
  UND_ERR_BODY_TIMEOUT: 'body',
};

/** Network-level failures: refused, reset, timed out, untrusted certificate. */
export function errorForNetwork(source: string, error: unknown): GatewayError {
  const code = errorCode(error);
  const phase = code ? TIMEOUT_PHASES[code] : undefined;
  if (phase) return new GatewayTimeoutError(`${source} did not answer in time (${phase} timeout)`, phase, { source, cause: error });
  if (code && TLS_CODES.has(code)) {
    return new UpstreamUnavailableError(
      `${source}'s TLS certificate is not trusted (${code}); give its CA with caFile, or set verifyTls: false for an appliance with a self-signed certificate`,
      { source, cause: error },
    );
  }
  const reason = code ?? (error as Error)?.message ?? 'unknown error';
  return new UpstreamUnavailableError(`${source} could not be reached (${reason})`, { source, cause: error });
}

/** undici puts the interesting code on the error or on its cause. */
export function errorCode(error: unknown): string | undefined {
  for (let current = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; current && depth < 4; current = current.cause as typeof current, depth++) {
    if (typeof current.code === 'string') return current.code;
  }
  return undefined;
}
