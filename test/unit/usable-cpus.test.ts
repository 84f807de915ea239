import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cgroupCpuQuota, usableCpus } from '../../src/config/usable-cpus.js';
import { ROOT } from '../helpers/process.js';

const run = promisify(execFile);

describe('usableCpus', () => {
  it('reads a cgroup v2 cpu.max', () => {
    expect(cgroupCpuQuota({ cpuMax: 'max 100000\n' })).toBeUndefined();
    expect(cgroupCpuQuota({ cpuMax: '150000 100000\n' })).toBe(1.5);
    expect(cgroupCpuQuota({ cpuMax: '50000 100000' })).toBe(0.5);
    expect(cgroupCpuQuota({ cpuMax: '200000' })).toBe(2);
  });

  it('reads cgroup v1 quota and period, -1 being none', () => {
    expect(cgroupCpuQuota({ cfsQuotaUs: '-1\n', cfsPeriodUs: '100000\n' })).toBeUndefined();
    expect(cgroupCpuQuota({ cfsQuotaUs: '100000\n', cfsPeriodUs: '100000\n' })).toBe(1);
    expect(cgroupCpuQuota({ cfsQuotaUs: '300000', cfsPeriodUs: '100000' })).toBe(3);
    expect(cgroupCpuQuota({})).toBeUndefined();
  });

  it('is never more than the CPUs the process may run on', () => {
    expect(usableCpus()).toBeGreaterThan(0);
    expect(usableCpus()).toBeLessThanOrEqual(availableParallelism());
  });

  it('is one under taskset -c 0, and the upstream thread is then off by default', async () => {
    const script = [
      "const { usableCpus } = await import('./src/config/usable-cpus.ts');",
      "const { validateConfig } = await import('./src/config/load.ts');",
      "console.log(JSON.stringify({ cpus: usableCpus(), upstreamThread: validateConfig({ sources: [{ id: 'native', kind: 'native' }] }, 'test', {}).upstreamThread }));",
    ].join('\n');
    const { stdout } = await run('taskset', ['-c', '0', process.execPath, '--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT });
    expect(JSON.parse(stdout.trim())).toEqual({ cpus: 1, upstreamThread: false });
  }, 30_000);
});
