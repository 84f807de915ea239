import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RedisBackoff } from '../resilience/redis-backoff.js';

/** A key's count in its current window, and how long until that window ends. */
export interface WindowCount {
  count: number;
  resetInMs: number;
}

/**
 * Fixed-window counters per key (a client, an address): what the client rate limit and the
 * failed-login throttle are made of.
 */
export interface WindowCounter {
  readonly windowMs: number;
  /** Adds `by` to the key's current window (0 only looks) and returns the count after it. */
  add(key: string, by: 0 | 1): Promise<WindowCount>;
  /** Resolves once the counter is usable as configured, or after `timeoutMs` (it works meanwhile, locally). */
  ready?(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Windows in this process. Memory is bounded twice: ended windows are swept as keys arrive, and
 * past `maxKeys` live windows the oldest one is dropped, so a flood of one-off addresses costs at
 * most `maxKeys` entries.
 */
export class MemoryWindowCounter implements WindowCounter {
  readonly #windows = new Map<string, { start: number; count: number }>();
  #sweptAt = 0;

  constructor(
    readonly windowMs: number,
    readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.#windows.size;
  }

  async add(key: string, by: 0 | 1): Promise<WindowCount> {
    return this.addNow(key, by);
  }

  addNow(key: string, by: 0 | 1): WindowCount {
    const now = this.now();
    this.#sweep(now);
    let window = this.#windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      if (window) this.#windows.delete(key);
      if (by === 0) return { count: 0, resetInMs: 0 };
      // Re-inserted, so the map's order stays oldest window first.
      window = { start: now, count: 0 };
      this.#windows.set(key, window);
      if (this.#windows.size > this.maxKeys) this.#windows.delete(this.#windows.keys().next().value!);
    }
    window.count += by;
    return { count: window.count, resetInMs: Math.max(1, window.start + this.windowMs - now) };
  }

  #sweep(now: number): void {
    if (now - this.#sweptAt < this.windowMs) return;
    this.#sweptAt = now;
    for (const [key, window] of this.#windows) if (now - window.start >= this.windowMs) this.#windows.delete(key);
  }

  async close(): Promise<void> {}
}

const ADD = `
local by = tonumber(ARGV[2])
local n
if by > 0 then n = redis.call('INCRBY', KEYS[1], by) else n = tonumber(redis.call('GET', KEYS[1]) or '0') end
local ttl = redis.call('PTTL', KEYS[1])
if by > 0 and ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
if ttl < 0 then ttl = 0 end
return {n, ttl}`;

export interface RedisWindowCounterOptions {
  url: string;
  /** The gateway's key prefix plus what the counter counts, e.g. `mg:rl:`. */
  keyPrefix: string;
  windowMs: number;
  /** @default 100 */
  commandTimeoutMs?: number | undefined;
  /** After a Redis failure, how long the counter uses only its local windows. @default 1000 */
  backoffMs?: number | undefined;
  /** Live windows kept locally (the fallback). @default 100000 */
  maxKeys?: number;
  log: Logger;
  /** Called for each command sent to Redis (tests count them; metrics may). */
  onCommand?: () => void;
}

/**
 * The same windows shared by every gateway instance through Redis, so a client cannot multiply
 * its budget by spreading requests. Every count is also kept locally; when Redis is down, slow or
 * refusing, the local window decides, at once, and Redis is tried again only after the backoff
 * (the cache's rule, src/resilience/redis-backoff.ts). A Redis fault never refuses a request nor
 * lifts a limit, and a hung Redis costs one command timeout per backoff, not one per request.
 */
export class RedisWindowCounter implements WindowCounter {
  readonly windowMs: number;
  readonly #redis: Redis;
  readonly #local: MemoryWindowCounter;
  readonly #backoff: RedisBackoff;
  readonly #log: Logger;
  readonly #onCommand: (() => void) | undefined;
  #down = false;

  constructor(options: RedisWindowCounterOptions) {
    this.windowMs = options.windowMs;
    this.#local = new MemoryWindowCounter(options.windowMs, options.maxKeys);
    this.#backoff = new RedisBackoff(options.commandTimeoutMs ?? 100, options.backoffMs ?? 1000);
    this.#log = options.log;
    this.#onCommand = options.onCommand;
    this.#redis = new Redis(options.url, {
      keyPrefix: options.keyPrefix,
      commandTimeout: this.#backoff.timeoutMs,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    this.#redis.on('error', (error: Error) => this.#failed(error));
    this.#redis.on('ready', () => {
      if (this.#down) this.#log.info('redis back for limits');
      this.#down = false;
      this.#backoff.recovered();
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

  async add(key: string, by: 0 | 1): Promise<WindowCount> {
    const local = this.#local.addNow(key, by);
    if (!this.#backoff.usable(this.#redis.status)) return local;
    try {
      this.#onCommand?.();
      const [count, ttl] = (await this.#backoff.bounded(this.#redis.eval(ADD, 1, key, String(this.windowMs), String(by)))) as [number, number];
      if (this.#down) this.#log.info('redis back for limits');
      this.#down = false;
      return { count, resetInMs: Math.max(1, ttl) };
    } catch (error) {
      this.#failed(error as Error);
      return local;
    }
  }

  #failed(error: Error): void {
    this.#backoff.failed();
    if (!this.#down) this.#log.warn({ err: error.message.replace(/\/\/[^@/]*@/, '//') }, 'redis unavailable for limits; counting per instance');
    this.#down = true;
  }

  async close(): Promise<void> {
    this.#redis.disconnect();
  }
}
