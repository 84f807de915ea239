import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { RedisWindowCounter } from '../../src/limits/window-counter.js';
import { uniquePrefix } from '../helpers/collector.js';
import { gql, startGateway } from '../helpers/gateway.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/redis.js';
import { sha } from '../helpers/api-keys.js';

const KEY = 'redis-pause-key';

/**
 * A hung Redis (SIGSTOP: the connection stays up, nothing answers) costs the client rate limit and
 * the failed-login throttle one command timeout, then nothing until the backoff ends: they count
 * locally at once meanwhile, as the cache answers uncached.
 */
describe('Redis paused under the limiters', () => {
  let redis: PrivateRedis;

  beforeAll(async () => {
    redis = await startPrivateRedis();
  });

  afterAll(async () => {
    redis?.resume();
    await redis?.stop();
  });

  const counter = (options: { commandTimeoutMs: number; backoffMs: number }) => {
    const sent = { commands: 0 };
    const log = pino({ level: 'silent' });
    const onCommand = () => void sent.commands++;
    const made = new RedisWindowCounter({ url: redis.url, keyPrefix: uniquePrefix('pause'), windowMs: 60_000, ...options, log, onCommand });
    return { counter: made, sent };
  };

  it('after one timed-out command the counter stops asking Redis for the backoff, and keeps counting locally', async () => {
    const { counter: windows, sent } = counter({ commandTimeoutMs: 200, backoffMs: 60_000 });
    try {
      await windows.ready(5000);
      expect(await windows.add('client', 1)).toMatchObject({ count: 1 });
      redis.pause();
      try {
        expect((await windows.add('client', 1)).count).toBe(2);
        expect(sent.commands).toBe(2);
        for (let i = 0; i < 50; i++) await windows.add('client', 1);
        // Not one more command: nothing waited for Redis. The limit still counts (locally), it is not lifted.
        expect(sent.commands).toBe(2);
        expect((await windows.add('client', 0)).count).toBe(52);
      } finally {
        redis.resume();
      }
    } finally {
      await windows.close();
    }
  });

  it('once the backoff is over, one command probes Redis again', async () => {
    const backoffMs = 300;
    const { counter: windows, sent } = counter({ commandTimeoutMs: 200, backoffMs });
    try {
      await windows.ready(5000);
      await windows.add('client', 1);
      redis.pause();
      try {
        await windows.add('client', 1);
        expect(sent.commands).toBe(2);
        // Waiting longer than the backoff: the next call is the probe (and times out again), the ones after it are not.
        await sleep(backoffMs + 100);
        await windows.add('client', 1);
        await windows.add('client', 1);
        expect(sent.commands).toBe(3);
      } finally {
        redis.resume();
      }
    } finally {
      await windows.close();
    }
  });

  describe('through the gateway', () => {
    let gateway: Gateway;
    const commandTimeoutMs = 1000;

    beforeAll(async () => {
      gateway = await startGateway({
        redis: { url: redis.url, keyPrefix: uniquePrefix('pause-gw'), commandTimeoutMs, backoffMs: 60_000 },
        auth: { apiKeys: [{ id: 'web', sha256: sha(KEY), tenant: 'acme' }] },
        limits: { rateLimit: { requests: 10_000, windowMs: 60_000 } },
      });
    });

    afterAll(async () => {
      await gateway?.close();
    });

    it('only the first request during the pause waits for the command timeout', async () => {
      const timed = async () => {
        const started = performance.now();
        const answer = await gql(gateway, '{ __typename }', {}, { 'x-api-key': KEY });
        expect(answer.status).toBe(200);
        return performance.now() - started;
      };
      for (let i = 0; i < 3; i++) await timed();
      redis.pause();
      try {
        // The first one pays the timeouts (the throttle's look-up, then the rate limit's): proof Redis was asked and hung.
        expect(await timed()).toBeGreaterThanOrEqual(commandTimeoutMs);
        const after: number[] = [];
        for (let i = 0; i < 20; i++) after.push(await timed());
        // None waits for Redis again: each is far below one command timeout.
        expect(Math.max(...after)).toBeLessThan(commandTimeoutMs);
      } finally {
        redis.resume();
      }
    });
  });
});
