import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface RateDecision {
  allowed: boolean;
  /** When refused: how long until the client's window opens again. */
  retryAfterMs: number;
}

export interface ClientRateLimiter {
  take(client: string): Promise<RateDecision>;
  /** Resolves once the limiter is usable as configured, or after `timeoutMs` (it works meanwhile, locally). */
  ready?(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Fixed windows per client, in this process. Old windows are swept as new clients arrive, so a
 * stream of one-off clients cannot grow the map without bound.
 */
export class MemoryRateLimiter implements ClientRateLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();
  #sweptAt = 0;

  constructor(
    readonly requests: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async take(client: string): Promise<RateDecision> {
    return this.takeNow(client);
  }

  takeNow(client: string): RateDecision {
    const now = this.now();
    this.#sweep(now);
    let window = this.#windows.get(client);
    if (!window || now - window.start >= this.windowMs) this.#windows.set(client, (window = { start: now, count: 0 }));
    window.count++;
    return window.count <= this.requests ? { allowed: true, retryAfterMs: 0 } : { allowed: false, retryAfterMs: Math.max(1, window.start + this.windowMs - now) };
  }

  #sweep(now: number): void {
    if (now - this.#sweptAt < this.windowMs) return;
    this.#sweptAt = now;
    for (const [client, window] of this.#windows) if (now - window.start >= this.windowMs) this.#windows.delete(client);
  }

  async close(): Promise<void> {}
}

const TAKE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

/**
 * The same windows shared by every gateway instance through Redis, so a client cannot multiply
 * its limit by spreading requests. When Redis is down or slow the decision falls back to this
 * process's own windows: a Redis fault never refuses a request nor lifts the limit.
 */
export class RedisRateLimiter implements ClientRateLimiter {
  readonly #redis: Redis;
  readonly #fallback: MemoryRateLimiter;
  readonly #log: Logger;
  #down = false;

  constructor(options: { url: string; keyPrefix?: string | undefined; commandTimeoutMs?: number | undefined; requests: number; windowMs: number; log: Logger }) {
    this.#fallback = new MemoryRateLimiter(options.requests, options.windowMs);
    this.#log = options.log;
    this.#redis = new Redis(options.url, {
      keyPrefix: `${options.keyPrefix ?? 'mg:'}rl:`,
      commandTimeout: options.commandTimeoutMs ?? 100,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    this.#redis.on('error', (error: Error) => {
      if (!this.#down) this.#log.warn({ err: error.message }, 'redis unavailable for rate limits; limiting per instance');
      this.#down = true;
    });
    this.#redis.on('ready', () => {
      if (this.#down) this.#log.info('redis back for rate limits');
      this.#down = false;
    });
  }

  async ready(timeoutMs: number): Promise<void> {
    if (this.#redis.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#redis.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#redis.once('ready', done);
    });
  }

  async take(client: string): Promise<RateDecision> {
    const local = this.#fallback.takeNow(client);
    if (this.#down || this.#redis.status !== 'ready') return local;
    try {
      const [count, ttl] = (await this.#redis.eval(TAKE, 1, client, String(this.#fallback.windowMs))) as [number, number];
      return count <= this.#fallback.requests ? { allowed: true, retryAfterMs: 0 } : { allowed: false, retryAfterMs: Math.max(1, ttl) };
    } catch {
      return local;
    }
  }

  async close(): Promise<void> {
    this.#redis.disconnect();
  }
}
