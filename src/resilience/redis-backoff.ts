/**
 * The one rule for a Redis that misbehaves, shared by the cache and the limiters: a command may
 * take at most `timeoutMs`; after any failure Redis is left alone for `backoffMs`, and the caller
 * uses its local answer at once. A hung Redis (SIGSTOP, a full socket buffer, a failover) then
 * costs one timeout per `backoffMs`, not one per request.
 */
export class RedisBackoff {
  #skipUntil = 0;

  constructor(
    /** Longest one command may take. */
    readonly timeoutMs: number,
    /** How long to skip Redis after a failure. */
    readonly backoffMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether to ask Redis now: its connection is ready and no failure is within the backoff. */
  usable(status: string): boolean {
    return status === 'ready' && this.now() >= this.#skipUntil;
  }

  /** ioredis's commandTimeout covers sent commands; this also covers a stalled socket write. */
  bounded<T>(promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`redis command took over ${this.timeoutMs} ms`)), this.timeoutMs + 20);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  /** A command failed or timed out: skip Redis for the backoff. */
  failed(): void {
    this.#skipUntil = this.now() + this.backoffMs;
  }

  /** The connection is (re)established: try Redis again at once. */
  recovered(): void {
    this.#skipUntil = 0;
  }
}
