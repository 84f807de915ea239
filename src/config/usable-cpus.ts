import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * How many CPUs this process may keep busy: the CPUs it may run on (its affinity: taskset,
 * cpusets), capped by a cgroup CPU quota (`docker run --cpus`, a Kubernetes CPU limit), which
 * the affinity does not show.
 */
export function usableCpus(): number {
  const quota = cgroupCpuQuota(cgroupCpuFiles(readIfThere('/proc/self/cgroup') ?? ''));
  return quota === undefined ? availableParallelism() : Math.min(availableParallelism(), quota);
}

/**
 * The quota files of this process's own cgroup, as /proc/self/cgroup names it ("0::/path" under
 * cgroup v2, "N:cpu,cpuacct:/path" under v1). In a container with its own cgroup namespace the
 * path is "/", the mount's root; where the path is not under the mount (a container without that
 * namespace sees its host's path), the mount's root is the container's own cgroup.
 */
export function cgroupCpuFiles(selfCgroup: string): CgroupCpuFiles {
  // "id:controllers:path"; the path itself may hold colons.
  const lines = selfCgroup.split('\n').map((line) => {
    const [, controllers, ...path] = line.split(':');
    return { controllers, path: path.join(':') };
  });
  const v2 = lines.find(({ controllers }) => controllers === '')?.path;
  const v1 = lines.find(({ controllers }) => controllers?.split(',').includes('cpu'))?.path;
  for (const path of unique([v2, '/'])) {
    const cpuMax = path === undefined ? undefined : readIfThere(`/sys/fs/cgroup${trimmed(path)}/cpu.max`);
    if (cpuMax !== undefined) return { cpuMax };
  }
  for (const mount of ['/sys/fs/cgroup/cpu', '/sys/fs/cgroup/cpu,cpuacct']) {
    for (const path of unique([v1, '/'])) {
      if (path === undefined) continue;
      const cfsQuotaUs = readIfThere(`${mount}${trimmed(path)}/cpu.cfs_quota_us`);
      const cfsPeriodUs = readIfThere(`${mount}${trimmed(path)}/cpu.cfs_period_us`);
      if (cfsQuotaUs !== undefined && cfsPeriodUs !== undefined) return { cfsQuotaUs, cfsPeriodUs };
    }
  }
  return {};
}

export interface CgroupCpuFiles {
  cpuMax?: string | undefined;
  cfsQuotaUs?: string | undefined;
  cfsPeriodUs?: string | undefined;
}

function trimmed(path: string): string {
  return path === '/' ? '' : path.replace(/\/$/, '');
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/**
 * The CPU quota in CPUs, from cgroup v2's `cpu.max` ("max 100000" is none, "150000 100000" is 1.5)
 * or cgroup v1's quota and period (a quota of -1 is none); undefined when there is none.
 */
export function cgroupCpuQuota(files: CgroupCpuFiles): number | undefined {
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
