import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/resilience/circuit-breaker.js';
import { RetryBudget } from '../../src/resilience/retry-budget.js';
import { timedSignal } from '../../src/resilience/timed-signal.js';
import { TokenBucket } from '../../src/resilience/token-bucket.js';
import { channelKey, type StreamRequest } from '../../src/streams/stream-hub.js';

describe('retry budget', () => {
  it('lets retries add at most the ratio of first attempts once the reserve is spent', () => {
    const budget = new RetryBudget(0.2, 2);
    expect([budget.withdraw(), budget.withdraw(), budget.withdraw()]).toEqual([true, true, false]);
    for (let i = 0; i < 10; i++) budget.deposit();
    expect([budget.withdraw(), budget.withdraw(), budget.withdraw()]).toEqual([true, true, false]);
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures, lets one probe through after the cooldown, and closes on success', () => {
    let now = 0;
    const states: string[] = [];
    const breaker = new CircuitBreaker({ source: 's', failures: 2, cooldownMs: 100, now: () => now, onChange: (state) => states.push(state) });
    breaker.failure();
    breaker.success();
    breaker.failure();
    expect(breaker.state).toBe('closed');
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(() => breaker.enter()).toThrow(/next try in 1 s/);
    now = 100;
    breaker.enter(); // the probe
    expect(() => breaker.enter()).toThrow(/probe is under way/);
    breaker.success();
    expect(breaker.state).toBe('closed');
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });
});

describe('token bucket', () => {
  it('refuses at once what could not start before the deadline', async () => {
    let now = 0;
    const bucket = new TokenBucket(1, 1, () => now);
    await bucket.take('s', 10_000);
    await expect(bucket.take('s', 500)).rejects.toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', retryAfterMs: 1000 });
    now = 1000;
    await bucket.take('s', 2000);
  });
});

describe('stream channels', () => {
  it('are never shared across identities or tenants', () => {
    const base = { source: { id: 'native', watch: () => () => {} }, metrics: ['m'], filters: [], pollIntervalMs: 1000, backfillMs: 0 } as unknown as StreamRequest;
    const keys = new Set([channelKey(base), channelKey({ ...base, identity: 'a' }), channelKey({ ...base, identity: 'b' }), channelKey({ ...base, identity: 'a', tenantId: 't' })]);
    expect(keys.size).toBe(4);
  });
});

describe('timedSignal', () => {
  it('aborts with a TimeoutError when the time runs out, and says so', async () => {
    const timed = timedSignal(20);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(timed.signal.aborted).toBe(true);
    expect(timed.timedOut).toBe(true);
    expect((timed.signal.reason as Error).name).toBe('TimeoutError');
  });

  it('aborts with the parent, with its reason, and not as a timeout', () => {
    const parent = new AbortController();
    const timed = timedSignal(10_000, parent.signal);
    parent.abort(new Error('client left'));
    expect(timed.signal.aborted).toBe(true);
    expect(timed.timedOut).toBe(false);
    expect((timed.signal.reason as Error).message).toBe('client left');
    timed.done();
    expect(timedSignal(10_000, parent.signal).signal.aborted).toBe(true);
  });

  it('leaves the parent and the clock alone once done', async () => {
    const parent = new AbortController();
    const timed = timedSignal(20, parent.signal);
    timed.done();
    await new Promise((resolve) => setTimeout(resolve, 40));
    parent.abort();
    expect(timed.signal.aborted).toBe(false);
  });
});
