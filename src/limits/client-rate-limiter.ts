import type { WindowCounter } from './window-counter.js';

export interface RateDecision {
  allowed: boolean;
  /** When refused: how long until the client's window opens again. */
  retryAfterMs: number;
}

/**
 * A client's request budget per window: `requests` per `counter.windowMs`, counted by a
 * WindowCounter (in process, or shared through Redis with a local fallback).
 */
export class ClientRateLimiter {
  constructor(
    readonly requests: number,
    readonly counter: WindowCounter,
  ) {}

  async take(client: string): Promise<RateDecision> {
    const { count, resetInMs } = await this.counter.add(client, 1);
    return count <= this.requests ? { allowed: true, retryAfterMs: 0 } : { allowed: false, retryAfterMs: Math.max(1, resetInMs) };
  }

  async ready(timeoutMs: number): Promise<void> {
    await this.counter.ready?.(timeoutMs);
  }

  close(): Promise<void> {
    return this.counter.close();
  }
}
