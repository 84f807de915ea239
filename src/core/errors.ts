/**
 * The gateway's error model. Every failure the gateway means to report is a GatewayError subclass
 * with a stable code from a closed list; the code becomes `extensions.code` in GraphQL responses so
 * clients can branch on it. Anything that is not a GatewayError is a bug and gets masked.
 *
 * Messages are written for the client: they restate what was expected and show the bad value, and
 * never carry tokens or upstream URLs (those go to the server log only).
 */

export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'UPSTREAM_AUTH_FAILED',
  'UPSTREAM_NOT_FOUND',
  'UPSTREAM_BAD_REQUEST',
  'UPSTREAM_RATE_LIMITED',
  'GATEWAY_TIMEOUT',
  'UPSTREAM_UNAVAILABLE',
  'CIRCUIT_BREAKER_OPEN',
  'STALE_DATA',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'DOCUMENT_LIMIT_EXCEEDED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface GatewayErrorOptions {
  /** Id of the source the failure belongs to, when there is one. */
  source?: string;
  /** Argument or field the failure is about (`from`, `darktrace.did`, `labels.region`). */
  field?: string;
  /** HTTP status the upstream answered with, when the failure came from one. */
  upstreamStatus?: number;
  cause?: unknown;
}

export abstract class GatewayError extends Error {
  abstract readonly code: ErrorCode;
  readonly source: string | undefined;
  readonly field: string | undefined;
  readonly upstreamStatus: number | undefined;

  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.source = options.source;
    this.field = options.field;
    this.upstreamStatus = options.upstreamStatus;
  }

  /** What goes into `extensions` next to the code. */
  extensions(): Record<string, unknown> {
    const out: Record<string, unknown> = { code: this.code };
    if (this.source !== undefined) out.source = this.source;
    if (this.field !== undefined) out.field = this.field;
    if (this.upstreamStatus !== undefined) out.upstreamStatus = this.upstreamStatus;
    return out;
  }
}

export class BadUserInputError extends GatewayError {
  readonly code = 'BAD_USER_INPUT' as const;
}

export class UpstreamAuthFailedError extends GatewayError {
  readonly code = 'UPSTREAM_AUTH_FAILED' as const;
}

export class UpstreamNotFoundError extends GatewayError {
  readonly code = 'UPSTREAM_NOT_FOUND' as const;
}

export class UpstreamBadRequestError extends GatewayError {
  readonly code = 'UPSTREAM_BAD_REQUEST' as const;
}

export class UpstreamRateLimitedError extends GatewayError {
  readonly code = 'UPSTREAM_RATE_LIMITED' as const;
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
    options: GatewayErrorOptions = {},
  ) {
    super(message, options);
  }
  override extensions(): Record<string, unknown> {
    const out = super.extensions();
    if (this.retryAfterMs !== undefined) out.retryAfterMs = this.retryAfterMs;
    return out;
  }
}

export type TimeoutPhase = 'connect' | 'headers' | 'body' | 'total';

export class GatewayTimeoutError extends GatewayError {
  readonly code = 'GATEWAY_TIMEOUT' as const;
  constructor(
    message: string,
    readonly phase: TimeoutPhase,
    options: GatewayErrorOptions = {},
  ) {
    super(message, options);
  }
  override extensions(): Record<string, unknown> {
    return { ...super.extensions(), phase: this.phase };
  }
}

export class UpstreamUnavailableError extends GatewayError {
  readonly code = 'UPSTREAM_UNAVAILABLE' as const;
}

export class CircuitBreakerOpenError extends GatewayError {
  readonly code = 'CIRCUIT_BREAKER_OPEN' as const;
}

export class StaleDataError extends GatewayError {
  readonly code = 'STALE_DATA' as const;
}

/** No credentials, or credentials the gateway does not accept (HTTP 401). */
export class UnauthenticatedError extends GatewayError {
  readonly code = 'UNAUTHENTICATED' as const;
}

/** The caller is known but may not use this source, customer or tenant. */
export class ForbiddenError extends GatewayError {
  readonly code = 'FORBIDDEN' as const;
}

/** The caller sent more requests than its limit allows; it may retry after `retryAfterMs`. */
export class RateLimitedError extends GatewayError {
  readonly code = 'RATE_LIMITED' as const;
  constructor(
    message: string,
    readonly retryAfterMs: number,
    options: GatewayErrorOptions = {},
  ) {
    super(message, options);
  }
  override extensions(): Record<string, unknown> {
    return { ...super.extensions(), retryAfterMs: this.retryAfterMs };
  }
}

/** Which limit on a request's shape a document, its variables or a body broke. */
export type DocumentLimit = 'depth' | 'aliases' | 'tokens' | 'directives' | 'cost' | 'nesting' | 'inputNesting';

/**
 * The request itself is too big or too deep to be worth reading (HTTP 400). The message names the
 * limit and how to stay under it; `extensions.limit` names it for programs.
 */
export class DocumentLimitExceededError extends GatewayError {
  readonly code = 'DOCUMENT_LIMIT_EXCEEDED' as const;
  constructor(
    message: string,
    readonly limit: DocumentLimit,
    options: GatewayErrorOptions = {},
  ) {
    super(message, options);
  }
  override extensions(): Record<string, unknown> {
    return { ...super.extensions(), limit: this.limit };
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}

/** The wire form of a GatewayError (stream events cross instances through Redis as JSON). */
export interface GatewayErrorData {
  code: ErrorCode;
  message: string;
  source?: string;
  upstreamStatus?: number;
  retryAfterMs?: number;
  limit?: DocumentLimit;
}

export function gatewayErrorToData(error: GatewayError): GatewayErrorData {
  const data: GatewayErrorData = { code: error.code, message: error.message };
  if (error.source !== undefined) data.source = error.source;
  if (error.upstreamStatus !== undefined) data.upstreamStatus = error.upstreamStatus;
  if (error instanceof UpstreamRateLimitedError && error.retryAfterMs !== undefined) data.retryAfterMs = error.retryAfterMs;
  if (error instanceof RateLimitedError) data.retryAfterMs = error.retryAfterMs;
  if (error instanceof DocumentLimitExceededError) data.limit = error.limit;
  return data;
}

/** Rebuilds the GatewayError subclass for a code; unknown codes become UPSTREAM_UNAVAILABLE. */
export function gatewayErrorFromData(data: GatewayErrorData): GatewayError {
  const options = {
    ...(data.source !== undefined ? { source: data.source } : {}),
    ...(data.upstreamStatus !== undefined ? { upstreamStatus: data.upstreamStatus } : {}),
  };
  switch (data.code) {
    case 'BAD_USER_INPUT': return new BadUserInputError(data.message, options);
    case 'UPSTREAM_AUTH_FAILED': return new UpstreamAuthFailedError(data.message, options);
    case 'UPSTREAM_NOT_FOUND': return new UpstreamNotFoundError(data.message, options);
    case 'UPSTREAM_BAD_REQUEST': return new UpstreamBadRequestError(data.message, options);
    case 'UPSTREAM_RATE_LIMITED': return new UpstreamRateLimitedError(data.message, data.retryAfterMs, options);
    case 'GATEWAY_TIMEOUT': return new GatewayTimeoutError(data.message, 'total', options);
    case 'CIRCUIT_BREAKER_OPEN': return new CircuitBreakerOpenError(data.message, options);
    case 'STALE_DATA': return new StaleDataError(data.message, options);
    case 'UNAUTHENTICATED': return new UnauthenticatedError(data.message, options);
    case 'FORBIDDEN': return new ForbiddenError(data.message, options);
    case 'RATE_LIMITED': return new RateLimitedError(data.message, data.retryAfterMs ?? 1000, options);
    case 'DOCUMENT_LIMIT_EXCEEDED': return new DocumentLimitExceededError(data.message, data.limit ?? 'nesting', options);
    default: return new UpstreamUnavailableError(data.message, options);
  }
}
