import { describe, expect, it } from 'vitest';
import { RequestDeadline } from '../../src/resilience/request-deadline.js';
import { sleep } from '../../src/core/sleep.js';

describe('RequestDeadline', () => {
  it('aborts with a TimeoutError when the time runs out', async () => {
    const deadline = new RequestDeadline(20, () => new AbortController().signal);
    const signal = deadline.signal;
    expect(signal.aborted).toBe(false);
    await sleep(60);
    expect(signal.aborted).toBe(true);
    expect((signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('aborts with the client reason when the client leaves first', () => {
    const client = new AbortController();
    const deadline = new RequestDeadline(10_000, () => client.signal);
    const signal = deadline.signal;
    client.abort(new Error('client went away'));
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe('client went away');
    deadline.release();
  });

  it('is the same signal for the whole request', () => {
    const deadline = new RequestDeadline(10_000, () => new AbortController().signal);
    expect(deadline.signal).toBe(deadline.signal);
    deadline.release();
  });

  it('once released, neither the timer nor the client aborts it', async () => {
    const client = new AbortController();
    const deadline = new RequestDeadline(20, () => client.signal);
    const signal = deadline.signal;
    deadline.release();
    await sleep(60);
    client.abort();
    expect(signal.aborted).toBe(false);
  });

  it('asks for the client signal only when the deadline is first used', () => {
    let asked = 0;
    const deadline = new RequestDeadline(10_000, () => (asked++, new AbortController().signal));
    deadline.release();
    expect(asked).toBe(0);
    void deadline.signal;
    void deadline.signal;
    expect(asked).toBe(1);
    deadline.release();
  });

  it('releasing a deadline never used is harmless', () => {
    expect(() => new RequestDeadline(10, () => new AbortController().signal).release()).not.toThrow();
  });
});
