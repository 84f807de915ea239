import { markDeadline } from './signal-deadline.js';
import { timedSignal, type TimedSignal } from './timed-signal.js';

/**
 * A GraphQL request's deadline as a signal: it aborts when the client goes away or when `ms` have
 * passed since the request began. The signal is made on first use, so a request answered from
 * cache never pays for it, and released when execution ends, so a finished request leaves no timer
 * behind for the rest of its `ms`. Its end is counted from construction (the request's start), not
 * from first use: time spent before the first upstream call (parsing, auth, cache lookups) is part
 * of what the client waits. (`AbortSignal.any([signal, AbortSignal.timeout(ms)])` does the same
 * with weak references and finalizers, at several times the cost, on every uncached request.)
 */
export class RequestDeadline {
  #timed: TimedSignal | undefined;
  /** Epoch ms at which the request's time is up. */
  readonly at: number;

  constructor(
    private readonly ms: number,
    /** The client's signal, asked for only when the deadline is: a request's signal is made on first access. */
    private readonly clientSignal: () => AbortSignal,
    now: number = Date.now(),
  ) {
    this.at = now + ms;
  }

  get signal(): AbortSignal {
    if (!this.#timed) {
      this.#timed = timedSignal(Math.max(0, this.at - Date.now()), this.clientSignal(), this.ms);
      markDeadline(this.#timed.signal, { at: this.at, ms: this.ms });
    }
    return this.#timed.signal;
  }

  /** Execution is over: the timer and the listener on the client's signal go. */
  release(): void {
    this.#timed?.done();
  }
}
