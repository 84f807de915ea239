import { capMessage } from '../core/echo.js';
import { isGatewayError, type ErrorCode } from '../core/errors.js';

/**
 * An HTTP error of the collector's REST API. Bodies keep the 254Carbon service's `detail` key
 * (its clients read it) and add the gateway's error `code` and, when there is one, the `field`.
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: ErrorCode | 'NOT_FOUND' | 'METHOD_NOT_ALLOWED' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE',
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpProblem';
  }
}

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  BAD_USER_INPUT: 400,
  DOCUMENT_LIMIT_EXCEEDED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  UPSTREAM_UNAVAILABLE: 503,
  GATEWAY_TIMEOUT: 504,
};

export interface ProblemBody {
  detail: string;
  code: string;
  field?: string;
}

/**
 * The status and body for an error; anything without a code is a bug and stays opaque. `detail`
 * is cut to MAX_MESSAGE_CHARS whatever made it: a safety net for echoes of client input.
 */
export function describeProblem(error: unknown): { status: number; body: ProblemBody; headers: Record<string, string> } {
  if (error instanceof HttpProblem) {
    const body: ProblemBody = { detail: capMessage(error.message), code: error.code };
    if (error.field !== undefined) body.field = error.field;
    return { status: error.status, body, headers: error.headers };
  }
  if (isGatewayError(error)) {
    const body: ProblemBody = { detail: capMessage(error.message), code: error.code };
    if (error.field !== undefined) body.field = error.field;
    return { status: STATUS_BY_CODE[error.code] ?? 502, body, headers: {} };
  }
  return { status: 500, body: { detail: 'Internal server error', code: 'INTERNAL_SERVER_ERROR' }, headers: {} };
}
