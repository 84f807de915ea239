import { randomUUID } from 'node:crypto';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Shares polled streams between gateway instances through Redis: a lock per channel decides
 * which instance polls, and what it finds goes to every instance over Redis pub/sub. The lock
 * lives 1.5 poll intervals and its owner renews it on every poll, so when the owner dies another
 * instance (which retries every half interval) takes over within two intervals.
 *
 * If Redis fails, callers fall back to polling locally: streams keep flowing, each instance polls
 * for itself until Redis is back.
 */
export class StreamCoordination {
  readonly instanceId = randomUUID();
  readonly #commands: Redis;
  readonly #publish: Redis;
  readonly #subscribe: Redis;
  readonly #events: ReturnType<typeof createRedisEventTarget>;
  readonly #prefix: string;
  readonly #log: Logger;

  constructor(options: { url: string; keyPrefix?: string; log: Logger }) {
    const redisOptions = { maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 1000, retryStrategy: (n: number) => Math.min(n * 200, 2000) };
    this.#commands = new Redis(options.url, redisOptions);
    this.#publish = new Redis(options.url, redisOptions);
    // A subscriber connection has no command timeout: it waits for messages indefinitely.
    this.#subscribe = new Redis(options.url, { maxRetriesPerRequest: null, retryStrategy: redisOptions.retryStrategy });
    for (const client of [this.#commands, this.#publish, this.#subscribe]) client.on('error', () => {});
    this.#events = createRedisEventTarget({ publishClient: this.#publish, subscribeClient: this.#subscribe });
    this.#prefix = `${options.keyPrefix ?? 'mg:'}stream:`;
    this.#log = options.log;
  }

  /**
   * Takes or renews the poll lock of a channel. Resolves true when this instance should poll,
   * false when another one does, and undefined when Redis cannot tell (poll locally then).
   */
  async holdLock(channel: string, ttlMs: number): Promise<boolean | undefined> {
    const key = `${this.#prefix}lock:${channel}`;
    try {
      const result = await this.#commands.eval(
        // Renew when we own it; take it when nobody does.
        `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
         if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
         return 0`,
        1,
        key,
        this.instanceId,
        String(Math.max(1, Math.round(ttlMs))),
      );
      return result === 1;
    } catch (error) {
      this.#log.warn({ err: (error as Error).message, channel }, 'stream lock unavailable; polling locally');
      return undefined;
    }
  }

  /** Gives the lock up at once (last subscriber left, or shutdown) so another instance needs not wait. */
  async releaseLock(channel: string): Promise<void> {
    const key = `${this.#prefix}lock:${channel}`;
    await this.#commands
      .eval(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`, 1, key, this.instanceId)
      .catch(() => {});
  }

  /**
   * Sends a message to every instance listening on the channel, this one included. Resolves false
   * when Redis did not take it; the caller then delivers to its own subscribers directly.
   */
  async publish(channel: string, message: unknown): Promise<boolean> {
    try {
      await this.#publish.publish(`${this.#prefix}${channel}`, JSON.stringify(message));
      return true;
    } catch {
      return false;
    }
  }

  /** Listens to a channel's messages from every instance; returns the function that stops it. */
  listen(channel: string, listener: (message: unknown) => void): () => void {
    const topic = `${this.#prefix}${channel}`;
    const handler = (event: Event) => listener((event as CustomEvent).detail);
    this.#events.addEventListener(topic, handler);
    return () => this.#events.removeEventListener(topic, handler);
  }

  async close(): Promise<void> {
    for (const client of [this.#commands, this.#publish, this.#subscribe]) client.disconnect();
  }
}
