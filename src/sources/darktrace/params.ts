import type { TimeRange } from '../../core/time.js';
import type { DarktraceRequest } from './request.js';

/**
 * The query parameters of one GET /metricdata, in the order they are sent (and signed). The
 * names and forms are the appliance's, from the portal guide, not the SDK's docs:
 *
 * - one metric is `metric=`; several are `metric1=`, `metric2=`, … (the SDK's comma-joined
 *   `metric=a,b` returns unrelated data on a real appliance);
 * - the range is a pair, always both ends: `starttime`/`endtime` in epoch milliseconds, or
 *   `from`/`to` as `YYYY-MM-DD HH:MM:SS` in UTC;
 * - `interval` is an integer number of seconds (not `5min`);
 * - booleans are `true`/`false` (the SDK's `True` is Python leaking through);
 * - there is no `devices` parameter: one call per device, each with `did=`.
 */

export type TimeFormat = 'epoch' | 'datetime';
export type QueryParam = readonly [name: string, value: string];

export interface MetricDataCall {
  metrics: readonly string[];
  range: TimeRange;
  intervalS?: number;
  did?: number;
  filters: DarktraceRequest['filters'];
  breachtimes?: boolean;
  fulldevicedetails?: boolean;
}

/** Filters in the order the guide lists them, after the device. */
const FILTER_ORDER = ['ddid', 'odid', 'port', 'sourceport', 'destinationport', 'protocol', 'applicationprotocol'] as const;

export function metricDataParams(call: MetricDataCall, timeFormat: TimeFormat): QueryParam[] {
  const params: QueryParam[] = [];
  if (call.metrics.length === 1) params.push(['metric', call.metrics[0]!]);
  else call.metrics.forEach((metric, i) => params.push([`metric${i + 1}`, metric]));

  if (timeFormat === 'epoch') {
    params.push(['starttime', String(call.range.from)], ['endtime', String(call.range.to)]);
  } else {
    // Whole seconds only: round outwards so the window still covers what was asked.
    params.push(['from', datetime(Math.floor(call.range.from / 1000) * 1000)], ['to', datetime(Math.ceil(call.range.to / 1000) * 1000)]);
  }
  if (call.intervalS !== undefined) params.push(['interval', String(call.intervalS)]);
  if (call.did !== undefined) params.push(['did', String(call.did)]);
  for (const name of FILTER_ORDER) {
    const value = call.filters[name];
    if (value !== undefined) params.push([name, String(value)]);
  }
  if (call.breachtimes !== undefined) params.push(['breachtimes', String(call.breachtimes)]);
  if (call.fulldevicedetails !== undefined) params.push(['fulldevicedetails', String(call.fulldevicedetails)]);
  return params;
}

/** `path?k=v&…` percent-encoded for the wire, parameters in the given order. */
export function pathWithQuery(path: string, params: readonly QueryParam[]): string {
  if (params.length === 0) return path;
  return `${path}?${params.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&')}`;
}

/** Epoch ms as the appliance writes times: `YYYY-MM-DD HH:MM:SS`, UTC. */
export function datetime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
