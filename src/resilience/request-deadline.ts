import { timedSignal, type TimedSignal } from './timed-signal.js';

/**
 * A GraphQL request's deadline as a signal: it aborts when the client goes away or when `ms` have
 * passed. Made on first use, so a request answered from cache never pays for it, and released
 * when execution ends, so a finished request leaves no timer behind for the rest of its `ms`.
 * (`AbortSignal.any([signal, AbortSignal.timeout(ms)])` does the same with weak references and
 * finalizers, at several times the cost, on every uncached request.)
 */
export class RequestDeadline {
  #timed: TimedSignal | undefined;

  constructor(
    private readonly ms: number,
    /** The client's signal, asked for only when the deadline is: a request's signal is made on first access. */
    private readonly clientSignal: () => AbortSignal,
  ) {}

  get signal(): AbortSignal {
    return (this.#timed ??= timedSignal(this.ms, this.clientSignal())).signal;
  }

  /** Execution is over: the timer and the listener on the client's signal go. */
  release(): void {
    this.#timed?.done();
  }
}
