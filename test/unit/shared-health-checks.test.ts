import { describe, expect, it } from 'vitest';
import { RequestDeadline } from '../../src/resilience/request-deadline.js';
import { SharedHealthChecks } from '../../src/sources/health.js';
import type { MetricSource, SourceHealth } from '../../src/sources/source.js';

/** A source whose health check counts its calls and answers after `delayMs`. */
function probed(kind: string, delayMs = 10) {
  const source = {
    id: kind,
    kind,
    probes: 0,
    async health(): Promise<SourceHealth> {
      const probe = ++source.probes;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return { healthy: true, message: `probe ${probe}` };
    },
  };
  return source;
}

describe('SharedHealthChecks', () => {
  it('sends one probe for callers asking at once, and reuses it within the window', async () => {
    let now = 0;
    const checks = new SharedHealthChecks(2000, 1000, () => now);
    const source = probed('darktrace');
    const answers = await Promise.all(Array.from({ length: 20 }, () => checks.check(source as unknown as MetricSource)));
    expect(new Set(answers.map((answer) => answer.message))).toEqual(new Set(['probe 1']));
    now = 999;
    expect((await checks.check(source as unknown as MetricSource)).message).toBe('probe 1');
    now = 1000;
    expect((await checks.check(source as unknown as MetricSource)).message).toBe('probe 2');
    expect(source.probes).toBe(2);
  });

  it('keeps sources apart, and asks the native source afresh every time', async () => {
    const checks = new SharedHealthChecks(2000, 1000, () => 0);
    const dynatrace = probed('dynatrace');
    const native = probed('native', 0);
    await Promise.all([checks.check(dynatrace as unknown as MetricSource), checks.check(dynatrace as unknown as MetricSource)]);
    await checks.check(native as unknown as MetricSource);
    await checks.check(native as unknown as MetricSource);
    expect(dynatrace.probes).toBe(1);
    expect(native.probes).toBe(2);
  });

  it('still answers a check that takes too long as unhealthy, shared like any other', async () => {
    const checks = new SharedHealthChecks(20, 1000);
    const slow = probed('argus', 200);
    const [first, second] = await Promise.all([checks.check(slow as unknown as MetricSource), checks.check(slow as unknown as MetricSource)]);
    expect(first).toMatchObject({ healthy: false, message: 'health check took over 20 ms' });
    expect(second).toBe(first);
    expect(slow.probes).toBe(1);
  });

  it("reads a source as unhealthy when the request's deadline comes before the shared probe ends, and the probe goes on", async () => {
    const checks = new SharedHealthChecks(60_000, 1000);
    const source = probed('darktrace', 300);
    const deadline = new RequestDeadline(20, () => new AbortController().signal);
    const first = checks.check(source as unknown as MetricSource);
    const answer = await checks.check(source as unknown as MetricSource, deadline.signal);
    expect(answer).toEqual({
      healthy: false,
      message: 'health check unfinished: darktrace did not answer within the request deadline (requestDeadlineMs: 20)',
    });
    expect(await first).toMatchObject({ healthy: true, message: 'probe 1' });
    expect(source.probes).toBe(1);
  });
});
