/**
 * Coalesces concurrent work on the same key: while one call for a key is running, later callers
 * get the same promise instead of starting their own. This is what keeps an expiring cache entry
 * from sending every waiting dashboard to the vendor at once.
 */
export class SingleFlight<T> {
  readonly #inflight = new Map<string, Promise<T>>();

  /** The running promise for `key`, if any. */
  peek(key: string): Promise<T> | undefined {
    return this.#inflight.get(key);
  }

  /**
   * Claims `key` for work the caller runs itself (for example as part of one batched upstream
   * call). Returns the function that settles everyone waiting, or undefined when another caller
   * already holds the key; then `peek(key)` is the promise to wait on.
   */
  claim(key: string): ((outcome: Promise<T>) => void) | undefined {
    if (this.#inflight.has(key)) return undefined;
    let settle!: (outcome: Promise<T>) => void;
    const promise = new Promise<T>((resolve) => {
      settle = resolve;
    }).finally(() => this.#inflight.delete(key));
    // Waiters handle rejections; this only keeps an unobserved claim from crashing the process.
    promise.catch(() => {});
    this.#inflight.set(key, promise);
    return settle;
  }

  run(key: string, work: () => Promise<T>): Promise<T> {
    const settle = this.claim(key);
    if (settle) settle(Promise.resolve().then(work));
    // The entry leaves the map only after its promise settles, which is never in this same tick.
    return this.#inflight.get(key)!;
  }

  get size(): number {
    return this.#inflight.size;
  }
}
