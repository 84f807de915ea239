import { UpstreamRateLimitedError } from '../core/errors.js';
import { sleep } from '../core/sleep.js';

/**
 * An outbound token bucket: `perSecond` tokens a second, at most `burst` saved up. A request
 * that cannot get a token before its deadline fails at once with the wait it would have needed,
 * rather than queueing past the point where its answer is useful.
 */
export class TokenBucket {
  #tokens: number;
  #updated: number;
  /** Waiters hold their place: a token is reserved at once, the wait is for it to exist. */
  constructor(
    readonly perSecond: number,
    readonly burst: number = Math.max(1, Math.ceil(perSecond)),
    private readonly now: () => number = Date.now,
  ) {
    this.#tokens = burst;
    this.#updated = now();
  }

  /** Waits for a token; throws UPSTREAM_RATE_LIMITED (without waiting) when it would come after `deadline`. */
  async take(source: string, deadline: number, signal?: AbortSignal): Promise<void> {
    const now = this.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#updated) / 1000) * this.perSecond);
    this.#updated = now;
    const waitMs = this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) / this.perSecond) * 1000);
    if (now + waitMs >= deadline) {
      throw new UpstreamRateLimitedError(`the gateway's outbound limit for ${source} (${this.perSecond}/s) is used up; retry in ${waitMs} ms`, waitMs, { source });
    }
    this.#tokens -= 1;
    if (waitMs > 0) await sleep(waitMs, signal);
  }
}

