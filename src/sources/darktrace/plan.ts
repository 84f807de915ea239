import { stableStringify } from '../../cache/keys.js';
import type { MetricDataCall } from './params.js';
import type { DarktraceRequest } from './request.js';

/**
 * Turns a batch of queries into as few /metricdata calls as the API allows. Queries that differ
 * only in their metrics (same window, interval, devices, filters and flags; typically aliased
 * fields of one dashboard) share calls: their metrics go up together as metric1..N. Each device
 * of a fan-out is its own call, because the appliance takes one `did` per call.
 */

/** Metrics per call: keeps the signed URL short; the guide sets no limit, proxies do. */
export const MAX_METRICS_PER_CALL = 25;

export interface RequestGroup {
  /** The shared part, with the union of the members' metrics in first-asked order. */
  request: DarktraceRequest;
  /** Indexes of the queries this group answers. */
  members: number[];
}

export interface PlannedCall {
  call: MetricDataCall;
  /** Which group it serves. */
  group: number;
}

export function groupRequests(requests: ReadonlyArray<DarktraceRequest | undefined>): RequestGroup[] {
  const groups = new Map<string, RequestGroup>();
  requests.forEach((request, index) => {
    if (!request) return;
    const { metrics, ...shared } = request;
    const key = stableStringify(shared);
    let group = groups.get(key);
    if (!group) {
      group = { request: { ...shared, metrics: [] }, members: [] };
      groups.set(key, group);
    }
    group.members.push(index);
    for (const metric of metrics) if (!group.request.metrics.includes(metric)) group.request.metrics.push(metric);
  });
  return [...groups.values()];
}

export function planCalls(groups: readonly RequestGroup[], maxMetrics = MAX_METRICS_PER_CALL): PlannedCall[] {
  const calls: PlannedCall[] = [];
  groups.forEach(({ request }, group) => {
    const { metrics, dids, ...rest } = request;
    for (let start = 0; start < metrics.length; start += maxMetrics) {
      const chunk = metrics.slice(start, start + maxMetrics);
      for (const did of dids ?? [undefined]) {
        const call: MetricDataCall = { ...rest, metrics: chunk };
        if (did !== undefined) call.did = did;
        calls.push({ call, group });
      }
    }
  });
  return calls;
}

/** The key a call's answer for one metric is filed under. */
export function answerKey(group: number, did: number | undefined, metric: string): string {
  return `${group}\u0000${did ?? ''}\u0000${metric}`;
}
