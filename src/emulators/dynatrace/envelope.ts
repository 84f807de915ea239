import type { EmulatorReply } from '../server.js';

/** Dynatrace's ErrorEnvelope: `{error: {code, message, constraintViolations?}}`. */
export function errorReply(status: number, message: string, violation?: { path: string; message: string }, headers: Record<string, string> = {}): EmulatorReply {
  const error: Record<string, unknown> = { code: status, message };
  if (violation) error.constraintViolations = [{ path: violation.path, message: violation.message, parameterLocation: 'QUERY', location: null }];
  return { status, body: { error }, headers };
}

/** A 400 for one bad query parameter, worded as the API words its constraint violations. */
export function violation(parameter: string, message: string, headers: Record<string, string> = {}): EmulatorReply {
  return errorReply(400, 'Constraints violated.', { path: parameter, message }, headers);
}
