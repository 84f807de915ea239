import { EventEmitter } from 'node:events';

/**
 * What stops one upstream attempt: its timeout, or the caller's signal (the client left, the
 * request deadline passed), whichever comes first. undici takes an EventEmitter as a request's
 * `signal` (documented: it listens with `once('abort')` and reads `aborted` and `reason`), and
 * one costs far less than an AbortController of its own: made, listened to by undici and let go,
 * 1.2 µs against 6.4 µs per attempt, paid on every upstream call.
 */
export class AttemptSignal extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;
  /** True when the time ran out (not when the caller's signal aborted). */
  timedOut = false;
  readonly #timer: NodeJS.Timeout;
  readonly #parent: AbortSignal | undefined;
  readonly #onParentAbort = (): void => this.#abort(this.#parent!.reason);

  constructor(ms: number, parent?: AbortSignal) {
    super();
    this.#parent = parent;
    this.#timer = setTimeout(() => {
      this.timedOut = true;
      this.#abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError'));
    }, ms);
    if (parent?.aborted) this.#onParentAbort();
    else parent?.addEventListener('abort', this.#onParentAbort, { once: true });
  }

  /** The attempt is over: the timer and the listener on the caller's signal go. */
  done(): void {
    clearTimeout(this.#timer);
    this.#parent?.removeEventListener('abort', this.#onParentAbort);
  }

  #abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.done();
    this.emit('abort');
  }
}
