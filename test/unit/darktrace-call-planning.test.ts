import { describe, expect, it } from 'vitest';
import { settleLimited } from '../../src/sources/darktrace/concurrency.js';
import { groupRequests, planCalls } from '../../src/sources/darktrace/plan.js';
import type { DarktraceRequest } from '../../src/sources/darktrace/request.js';

const range = { from: 1_000_000_000_000, to: 1_000_003_600_000 };
const request = (metrics: string[], extra: Partial<DarktraceRequest> = {}): DarktraceRequest => ({ metrics, range, filters: {}, ...extra });

describe('planning /metricdata calls for a batch', () => {
  it('merges queries that differ only in metrics, keeping first-asked order and dropping repeats', () => {
    const groups = groupRequests([request(['a']), request(['b', 'a']), undefined, request(['c'])]);
    expect(groups).toEqual([{ request: request(['a', 'b', 'c']), members: [0, 1, 3] }]);
    expect(planCalls(groups).map(({ call }) => call.metrics)).toEqual([['a', 'b', 'c']]);
  });

  it('keeps queries apart when the window, interval, filters or flags differ', () => {
    const groups = groupRequests([
      request(['a']),
      request(['a'], { range: { from: range.from, to: range.to + 1000 } }),
      request(['a'], { intervalS: 300 }),
      request(['a'], { filters: { port: 443 } }),
      request(['a'], { breachtimes: true }),
      request(['a'], { dids: [12] }),
    ]);
    expect(groups).toHaveLength(6);
  });

  it('makes one call per device and per chunk of metrics', () => {
    const metrics = Array.from({ length: 5 }, (_, i) => `m${i}`);
    const calls = planCalls(groupRequests([request(metrics, { dids: [12, 13] })]), 2);
    expect(calls.map(({ call }) => [call.did, call.metrics])).toEqual([
      [12, ['m0', 'm1']], [13, ['m0', 'm1']],
      [12, ['m2', 'm3']], [13, ['m2', 'm3']],
      [12, ['m4']], [13, ['m4']],
    ]);
  });
});

describe('bounded concurrency', () => {
  it('never runs more than the limit at once and settles every task in order', async () => {
    let running = 0;
    let peak = 0;
    const tasks = Array.from({ length: 9 }, (_, i) => async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      if (i === 4) throw new Error('task 4 failed');
      return i;
    });
    const settled = await settleLimited(tasks, 3);
    expect(peak).toBe(3);
    expect(settled.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : (outcome.reason as Error).message))).toEqual([
      0, 1, 2, 3, 'task 4 failed', 5, 6, 7, 8,
    ]);
  });
});
