/**
 * One subscriber's queue of events, read as an async iterator by the GraphQL subscription. It is
 * bounded: a subscriber that stops reading (a stalled connection) is ended with an error rather
 * than letting its queue grow without limit.
 */
export class EventQueue<T> implements AsyncIterableIterator<T> {
  readonly #items: T[] = [];
  #waiting: ((result: IteratorResult<T>) => void) | undefined;
  #failure: ((error: Error) => void) | undefined;
  #ended = false;
  #error: Error | undefined;

  /**
   * @param merge When given, a reader that fell behind gets everything queued as one merged item:
   *   under load, subscribers receive fewer, larger events instead of a growing backlog, and the
   *   per-event cost (GraphQL execution, serialisation, a write) is paid once per batch.
   */
  constructor(
    private readonly maxQueued: number,
    private readonly onClose: () => void,
    private readonly merge?: (items: T[]) => T[],
  ) {}

  push(item: T): void {
    if (this.#ended) return;
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = undefined;
      this.#failure = undefined;
      resolve({ value: item, done: false });
      return;
    }
    if (this.#items.length >= this.maxQueued) {
      this.fail(new Error(`the subscriber fell ${this.maxQueued} events behind and was disconnected`));
      return;
    }
    this.#items.push(item);
  }

  /** Ends the stream after what is queued has been read. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#waiting && this.#items.length === 0) {
      this.#waiting({ value: undefined, done: true });
      this.#waiting = undefined;
    }
    this.onClose();
  }

  fail(error: Error): void {
    if (this.#ended) return;
    this.#error = error;
    this.#items.length = 0;
    this.#ended = true;
    if (this.#failure) this.#failure(error);
    this.#waiting = undefined;
    this.#failure = undefined;
    this.onClose();
  }

  get ended(): boolean {
    return this.#ended;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#items.length > 1 && this.merge) {
      const merged = this.merge(this.#items.splice(0, this.#items.length));
      this.#items.unshift(...merged);
    }
    if (this.#items.length > 0) return Promise.resolve({ value: this.#items.shift()!, done: false });
    if (this.#error) return Promise.reject(this.#error);
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.#waiting = resolve;
      this.#failure = reject;
    });
  }

  /** The client went away (or the server completed it): release everything at once. */
  return(): Promise<IteratorResult<T>> {
    this.#items.length = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
