import type { TestProject } from 'vitest/node';
import { redisAnswers, startPrivateRedis, type PrivateRedis } from './redis.js';

/**
 * Finds the Redis every test shares and publishes its URL as TEST_REDIS_URL: REDIS_URL if set,
 * else 127.0.0.1:6379, else a redis-server started here. Without any, the run stops with a message
 * that says how to get one.
 */
let started: PrivateRedis | undefined;

export async function setup(project: TestProject): Promise<void> {
  const candidates = [process.env.REDIS_URL, 'redis://127.0.0.1:6379'].filter((url): url is string => Boolean(url));
  for (const url of candidates) {
    if (await redisAnswers(url)) {
      project.provide('redisUrl', url);
      return;
    }
  }
  try {
    started = await startPrivateRedis();
  } catch {
    throw new Error(
      'The tests need a real Redis: set REDIS_URL, run one on 127.0.0.1:6379, or install redis-server (apt-get install redis-server).',
    );
  }
  project.provide('redisUrl', started.url);
}

export async function teardown(): Promise<void> {
  await started?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
