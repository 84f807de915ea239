import { describe, expect, it } from 'vitest';
import { AttemptSignal } from '../../src/sources/http/attempt-signal.js';

describe('AttemptSignal', () => {
  it('aborts once with a TimeoutError when the time runs out, and says so', async () => {
    const attempt = new AttemptSignal(20);
    let heard = 0;
    attempt.once('abort', () => heard++);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(attempt.aborted).toBe(true);
    expect(attempt.timedOut).toBe(true);
    expect((attempt.reason as Error).name).toBe('TimeoutError');
    expect(heard).toBe(1);
  });

  it('aborts with the caller, with its reason, and not as a timeout', () => {
    const caller = new AbortController();
    const attempt = new AttemptSignal(10_000, caller.signal);
    let heard = 0;
    attempt.on('abort', () => heard++);
    caller.abort(new Error('client left'));
    caller.abort(new Error('again'));
    expect(attempt.aborted).toBe(true);
    expect(attempt.timedOut).toBe(false);
    expect((attempt.reason as Error).message).toBe('client left');
    expect(heard).toBe(1);
  });

  it('starts aborted when the caller already is', () => {
    const caller = new AbortController();
    caller.abort(new Error('gone'));
    const attempt = new AttemptSignal(10_000, caller.signal);
    expect(attempt.aborted).toBe(true);
    expect((attempt.reason as Error).message).toBe('gone');
  });

  it('leaves the caller and the clock alone once done', async () => {
    const caller = new AbortController();
    const attempt = new AttemptSignal(20, caller.signal);
    attempt.done();
    await new Promise((resolve) => setTimeout(resolve, 40));
    caller.abort();
    expect(attempt.aborted).toBe(false);
    expect(attempt.timedOut).toBe(false);
  });
});
