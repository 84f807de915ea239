import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cgroupCpuFiles, cgroupCpuQuota, usableCpus } from '../../src/config/usable-cpus.js';
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

  it('reads the mount root when the cgroup named in /proc/self/cgroup is not under it', () => {
    // No such cgroup directory: the mount's root is read instead (a container without its own cgroup namespace).
    const files = cgroupCpuFiles('12:cpu,cpuacct:/no/such/group\n0::/no/such/group\n');
    expect(files).toEqual(cgroupCpuFiles(''));
  });

  it.skipIf(!cpuCgroupV1Writable())('takes a cgroup CPU quota the affinity does not show (cgroup v1, as root)', async () => {
    const group = `/sys/fs/cgroup/cpu/metric-gateway-test-${process.pid}`;
    mkdirSync(group);
    try {
      writeFileSync(`${group}/cpu.cfs_quota_us`, '150000');
      const script = "import('./src/config/usable-cpus.ts').then(({ usableCpus }) => console.log(usableCpus()));";
      const { stdout } = await run('sh', ['-c', `echo $$ > ${group}/tasks && exec "$0" --import tsx -e "$1"`, process.execPath, script], { cwd: ROOT });
      expect(Number(stdout.trim())).toBe(Math.min(1.5, availableParallelism()));
    } finally {
      rmdirSync(group);
    }
  }, 30_000);
});

function cpuCgroupV1Writable(): boolean {
  try {
    return existsSync('/sys/fs/cgroup/cpu/cpu.cfs_quota_us') && readFileSync('/proc/self/cgroup', 'utf8').includes(':cpu') && process.getuid?.() === 0;
  } catch {
    return false;
  }
}
