import type { EmulatorReply } from '../server.js';
import { breachesBetween, type EmulatedBreach } from './breaches.js';
import { readable, type EmulatedDevice, type EmulatedMetric } from './catalog.js';
import { sample, share, signature, type InOut, type Narrowing, type SampleContext } from './traffic.js';

/**
 * GET /metricdata as the portal guide describes it, strict where the guide is: `metric` or
 * `metric1..N` (a comma-joined `metric=a,b` is refused, though a real 7.0 appliance answers it
 * with unrelated data), time parameters only in pairs (`starttime`/`endtime` epoch ms or
 * `from`/`to` as `YYYY-MM-DD HH:MM:SS`), `interval` an integer number of seconds (default 60,
 * each bucket keeps its maximum), booleans `true`/`false`, and no `devices` parameter. The
 * answer is an array of `{metric, data: [{time, timems, size, in, out}]}`, with `breachtimes`
 * added when asked.
 *
 * Where the guide is silent the behaviour is a setting: what an unknown metric gives, whether
 * `True` passes as a boolean, and how `fulldevicedetails=true` reshapes the answer.
 */

export interface MetricDataSettings {
  /** `error`: 400 INPUT ERROR (default, so gateway bugs surface); `empty`: the metric is left out. */
  unknownMetric: 'error' | 'empty';
  /** Whether Python-style `True`/`False` pass as booleans. @default 'reject' */
  capitalBooleans: 'reject' | 'accept';
  /**
   * `wrapped`: `{metrics: [...], devices: [...]}` like /deviceinfo and /antigena do (default);
   * `inline`: a `devices` array on every element.
   */
  fullDeviceDetailsShape: 'wrapped' | 'inline';
  /** Largest number of buckets per metric before the appliance refuses. @default 100000 */
  maxPoints: number;
}

export interface World {
  seed: number;
  devices: readonly EmulatedDevice[];
  metrics: readonly EmulatedMetric[];
}

const SINGLE = new Set(['did', 'ddid', 'odid', 'port', 'sourceport', 'destinationport', 'applicationprotocol', 'starttime', 'endtime', 'from', 'to', 'interval', 'breachtimes', 'fulldevicedetails', 'metric']);
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const HOUR_MS = 3_600_000;

export function metricData(url: URL, world: World, settings: MetricDataSettings, now: number): EmulatorReply {
  const single = new Map<string, string>();
  const numbered: Array<[number, string]> = [];
  const protocols: string[] = [];
  for (const [name, value] of url.searchParams) {
    if (name === 'devices') return inputError('devices is not a /metricdata parameter; ask for one did per request');
    const metricNumber = /^metric([1-9]\d*)$/.exec(name);
    if (metricNumber) {
      numbered.push([Number(metricNumber[1]), value]);
    } else if (name === 'protocol') {
      protocols.push(value);
    } else if (SINGLE.has(name)) {
      if (single.has(name)) return inputError(`${name} given more than once`);
      single.set(name, value);
    } else {
      return inputError(`unknown parameter ${name}`);
    }
  }

  // Metrics.
  const plain = single.get('metric');
  if (plain !== undefined && numbered.length > 0) return inputError('use metric or metric1..N, not both');
  if (plain !== undefined && plain.includes(',')) return inputError(`one metric per parameter; use metric1, metric2, ... instead of '${plain}'`);
  const names = plain !== undefined ? [plain] : numbered.sort((a, b) => a[0] - b[0]).map(([, name]) => name);
  if (names.length === 0) return inputError('metric is required');

  // Time.
  const window = timeWindow(single, now);
  if (typeof window === 'string') return inputError(window);
  const intervalText = single.get('interval') ?? '60';
  if (!/^\d+$/.test(intervalText) || Number(intervalText) <= 0) return inputError(`interval must be a whole number of seconds; got '${intervalText}'`);
  const intervalMs = Number(intervalText) * 1000;

  // Devices and filters.
  const ints: Partial<Record<'did' | 'ddid' | 'odid' | 'port' | 'sourceport' | 'destinationport', number>> = {};
  for (const name of ['did', 'ddid', 'odid', 'port', 'sourceport', 'destinationport'] as const) {
    const text = single.get(name);
    if (text === undefined) continue;
    if (!/^-?\d+$/.test(text)) return inputError(`${name} must be an integer; got '${text}'`);
    ints[name] = Number(text);
  }
  for (const name of ['did', 'ddid', 'odid'] as const) {
    if (ints[name] !== undefined && !world.devices.some((device) => device.did === ints[name])) return inputError(`no device with ${name} ${ints[name]}`);
  }
  if (protocols.some((protocol) => protocol.trim() === '')) return inputError('protocol must not be empty');
  const flags: Partial<Record<'breachtimes' | 'fulldevicedetails', boolean>> = {};
  for (const name of ['breachtimes', 'fulldevicedetails'] as const) {
    const text = single.get(name);
    if (text === undefined) continue;
    const accepted = settings.capitalBooleans === 'accept' ? text.toLowerCase() : text;
    if (accepted !== 'true' && accepted !== 'false') return inputError(`${name} must be true or false; got '${text}'`);
    flags[name] = accepted === 'true';
  }

  const metrics: EmulatedMetric[] = [];
  for (const name of names) {
    const metric = world.metrics.find((candidate) => candidate.name === name);
    if (metric) metrics.push(metric);
    else if (settings.unknownMetric === 'error') return inputError(`unknown metric ${name}`);
  }

  const first = Math.floor(window.from / intervalMs) * intervalMs;
  const last = Math.min(window.to, now + 1);
  const buckets = Math.max(0, Math.ceil((last - first) / intervalMs));
  if (buckets > settings.maxPoints) return inputError(`too many data points (${buckets}); use a larger interval or a shorter window`);

  const scope = ints.did !== undefined ? world.devices.filter((device) => device.did === ints.did) : world.devices;
  const narrowing: Narrowing = { protocols };
  for (const name of ['ddid', 'odid', 'port', 'sourceport', 'destinationport'] as const) if (ints[name] !== undefined) narrowing[name] = ints[name];
  const application = single.get('applicationprotocol');
  if (application !== undefined) narrowing.applicationprotocol = application;

  const nearby = new Map(scope.map((device) => [device.did, breachesBetween(world.seed, [device], window.from - HOUR_MS, window.to + HOUR_MS, now)]));
  const items: Array<Record<string, unknown>> = metrics.map((metric) => ({
    metric: metric.name,
    data: series(world.seed, metric, scope, narrowing, nearby, first, buckets, intervalMs, now),
  }));

  if (flags.breachtimes) {
    const breaches = breachesBetween(world.seed, scope, window.from, window.to, now).map(breachJson);
    for (const item of items) item.breachtimes = breaches;
  }
  if (!flags.fulldevicedetails) return { status: 200, body: items };

  const referenced = [ints.did, ints.ddid, ints.odid].filter((did): did is number => did !== undefined);
  const devices = (referenced.length > 0 ? world.devices.filter((device) => referenced.includes(device.did)) : scope).map((device) => device.details);
  if (settings.fullDeviceDetailsShape === 'inline') return { status: 200, body: items.map((item) => ({ ...item, devices })) };
  return { status: 200, body: { metrics: items, devices } };
}

function timeWindow(single: Map<string, string>, now: number): { from: number; to: number } | string {
  const has = (name: string) => single.has(name);
  const epoch = has('starttime') || has('endtime');
  const readableForm = has('from') || has('to');
  if (epoch && readableForm) return 'use starttime/endtime or from/to, not both';
  if (!epoch && !readableForm) return { from: now - HOUR_MS, to: now };
  if (epoch) {
    if (!has('starttime') || !has('endtime')) return 'time parameters must be specified in pairs: starttime and endtime';
    const from = single.get('starttime')!;
    const to = single.get('endtime')!;
    if (!/^\d+$/.test(from) || !/^\d+$/.test(to)) return `starttime and endtime must be epoch milliseconds; got '${from}' and '${to}'`;
    return ordered(Number(from), Number(to));
  }
  if (!has('from') || !has('to')) return 'time parameters must be specified in pairs: from and to';
  const from = single.get('from')!;
  const to = single.get('to')!;
  if (!DATETIME.test(from) || !DATETIME.test(to)) return `from and to must be YYYY-MM-DD HH:MM:SS; got '${from}' and '${to}'`;
  const fromMs = Date.parse(`${from.replace(' ', 'T')}Z`);
  const toMs = Date.parse(`${to.replace(' ', 'T')}Z`);
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) return `from and to must be real dates; got '${from}' and '${to}'`;
  return ordered(fromMs, toMs);
}

function ordered(from: number, to: number): { from: number; to: number } | string {
  return from < to ? { from, to } : 'the start of the time window must be before its end';
}

/** One metric's buckets: each keeps the sample with the largest size (in + out) in it. */
function series(
  seed: number,
  metric: EmulatedMetric,
  scope: readonly EmulatedDevice[],
  narrowing: Narrowing,
  nearby: ReadonlyMap<number, EmulatedBreach[]>,
  first: number,
  buckets: number,
  intervalMs: number,
  now: number,
): Array<{ time: string; timems: number; size: number; in: number; out: number }> {
  // Minute samples, but never more than 60 per bucket.
  const step = intervalMs <= 60_000 ? intervalMs : Math.max(60_000, Math.ceil(intervalMs / 60 / 60_000) * 60_000);
  const filters = signature(seed, narrowing);
  const contexts = new Map<number, SampleContext>(
    scope.map((device) => [device.did, { fraction: share(seed, device, narrowing), signature: filters, breaches: nearby.get(device.did)! }]),
  );
  const data = [];
  for (let b = 0; b < buckets; b++) {
    const start = first + b * intervalMs;
    let best: InOut = { in: 0, out: 0 };
    for (let time = start; time < start + intervalMs && time <= now; time += step) {
      const total: InOut = { in: 0, out: 0 };
      for (const device of scope) {
        const value = sample(seed, metric.shape, device, time, contexts.get(device.did)!);
        if (metric.shape === 'anomaly') {
          // A network's anomaly score is its most anomalous device's, not a sum.
          total.out = Math.max(total.out, value.out);
        } else {
          total.in += value.in;
          total.out += value.out;
        }
      }
      if (total.in + total.out > best.in + best.out) best = total;
    }
    data.push({ time: readable(start), timems: start, size: best.in + best.out, in: best.in, out: best.out });
  }
  return data;
}

function breachJson(breach: EmulatedBreach): Record<string, unknown> {
  return { pid: breach.pid, pbid: breach.pbid, score: breach.score, name: breach.name, time: breach.time };
}

function inputError(detail: string): EmulatorReply {
  return { status: 400, body: { error: 'INPUT ERROR', response: detail } };
}
