import { GatewayTimeoutError } from '../core/errors.js';

/**
 * When a request's signal runs out of time. The signal is what travels through every layer to an
 * upstream call (loaders, cache, adapters, the HTTP client), so its end travels with it: a wait
 * that will not finish before that end (a Retry-After, a backoff, a token of the outbound rate
 * limit) is refused at once, instead of starting and being cut off by the deadline. Held weakly:
 * a finished request's entry goes with its signal.
 */
export interface SignalDeadline {
  /** Epoch ms at which the signal aborts with a TimeoutError. */
  at: number;
  /** The configured length, for messages (`requestDeadlineMs`). */
  ms: number;
}

const deadlines = new WeakMap<AbortSignal, SignalDeadline>();

export function markDeadline(signal: AbortSignal, deadline: SignalDeadline): void {
  deadlines.set(signal, deadline);
}

/** The end of the request `signal` belongs to; undefined for a signal with no known end. */
export function deadlineOf(signal: AbortSignal | undefined): SignalDeadline | undefined {
  return signal ? deadlines.get(signal) : undefined;
}

/** Whether `signal` aborted because time ran out (not because the client left). */
export function timedOut(signal: AbortSignal | undefined): boolean {
  const reason: unknown = signal?.aborted ? signal.reason : undefined;
  return (reason instanceof DOMException || reason instanceof Error) && reason.name === 'TimeoutError';
}

/**
 * What a client sees for `source` when the request's deadline cut its work short: GATEWAY_TIMEOUT
 * naming the deadline. Undefined when the signal did not time out (the client left: nobody reads
 * the answer, and the abort's own reason goes on up).
 */
export function requestTimeoutError(signal: AbortSignal | undefined, source: string | undefined, cause?: unknown): GatewayTimeoutError | undefined {
  if (!timedOut(signal)) return undefined;
  const ms = deadlineOf(signal)?.ms;
  const who = source ?? 'the gateway';
  // A signal with no recorded end is a caller's own timer (a health check's), not the request's.
  const limit = ms !== undefined ? `the request deadline (requestDeadlineMs: ${ms})` : "the caller's time limit";
  return new GatewayTimeoutError(`${who} did not answer within ${limit}`, 'total', {
    ...(source !== undefined ? { source } : {}),
    ...(cause !== undefined ? { cause } : {}),
  });
}
