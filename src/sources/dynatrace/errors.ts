/**
 * Dynatrace's failure answers, read for the client. Errors come wrapped in an ErrorEnvelope
 * `{error: {code, message, constraintViolations: [{path, message, parameterLocation}]}}`; the
 * violations say which parameter was wrong, so their paths go into the message. A 429 carries
 * `X-RateLimit-Reset`, a timestamp in microseconds, and usually no Retry-After.
 */

interface ErrorEnvelope {
  error?: {
    code?: number;
    message?: string;
    constraintViolations?: Array<{ path?: string | null; message?: string | null; parameterLocation?: string | null }> | null;
  };
}

/** A short, safe reason from an ErrorEnvelope body; undefined when the body is not one. */
export function describeError(_status: number, body: string): string | undefined {
  let envelope: ErrorEnvelope;
  try {
    envelope = JSON.parse(body) as ErrorEnvelope;
  } catch {
    return undefined;
  }
  const error = envelope?.error;
  if (!error || typeof error !== 'object') return undefined;
  const message = typeof error.message === 'string' && error.message.trim() !== '' ? error.message.trim() : undefined;
  const violations = (Array.isArray(error.constraintViolations) ? error.constraintViolations : [])
    .filter((violation) => violation && (violation.path || violation.message))
    .map((violation) => (violation.path ? `${violation.path}: ${violation.message ?? 'invalid'}` : String(violation.message)));
  if (violations.length === 0) return message;
  return `${message ?? 'constraints violated'} (${violations.join('; ')})`;
}

/**
 * How long a 429 asks the gateway to wait when there is no Retry-After: until X-RateLimit-Reset,
 * which is epoch microseconds.
 */
export function rateLimitWaitMs(status: number, headers: Readonly<Record<string, string>>, now = Date.now()): number | undefined {
  if (status !== 429) return undefined;
  const reset = headers['x-ratelimit-reset'];
  if (reset === undefined || !/^\d+$/.test(reset.trim())) return undefined;
  const resetMs = Math.ceil(Number(reset.trim()) / 1000);
  return Math.max(0, resetMs - now);
}
