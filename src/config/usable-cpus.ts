import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * How many CPUs this process may keep busy: the CPUs it may run on (its affinity: taskset,
 * cpusets), capped by a cgroup CPU quota (`docker run --cpus`, a Kubernetes CPU limit), which
 * the affinity does not show.
 */
export function usableCpus(): number {
  const quota = cgroupCpuQuota({
    cpuMax: readIfThere('/sys/fs/cgroup/cpu.max'),
    cfsQuotaUs: readIfThere('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'),
    cfsPeriodUs: readIfThere('/sys/fs/cgroup/cpu/cpu.cfs_period_us'),
  });
  return quota === undefined ? availableParallelism() : Math.min(availableParallelism(), quota);
}

/**
 * The CPU quota in CPUs, from cgroup v2's `cpu.max` ("max 100000" is none, "150000 100000" is 1.5)
 * or cgroup v1's quota and period (a quota of -1 is none); undefined when there is none.
 */
export function cgroupCpuQuota(files: { cpuMax?: string | undefined; cfsQuotaUs?: string | undefined; cfsPeriodUs?: string | undefined }): number | undefined {
  if (files.cpuMax !== undefined) {
    const [quota, period = '100000'] = files.cpuMax.trim().split(/\s+/);
    return quota === 'max' ? undefined : share(Number(quota), Number(period));
  }
  if (files.cfsQuotaUs !== undefined && files.cfsPeriodUs !== undefined) return share(Number(files.cfsQuotaUs), Number(files.cfsPeriodUs));
  return undefined;
}

function share(quota: number, period: number): number | undefined {
  return quota > 0 && period > 0 ? quota / period : undefined;
}

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
