import { UpstreamUnavailableError } from '../../core/errors.js';
import type { DarktraceBreach, DarktraceDevice, DarktraceDeviceIp } from './extras.js';

/**
 * Reads a GET /metricdata answer. The real shape (portal schema, not the SDK docs) is an array
 * with one element per metric:
 *
 *     [{ metric, data: [{ time: "YYYY-MM-DD HH:MM:SS", timems, size, in, out }], breachtimes? }]
 *
 * `size` is in + out, the bucket's maximum. `breachtimes` (with breachtimes=true) lists model
 * alerts `{pid, pbid, score, name, time}` in the window.
 *
 * `fulldevicedetails=true` "alters the JSON structure" and the guide does not show how for this
 * endpoint. On the endpoints where it is documented (/antigena, /deviceinfo) the answer becomes
 * an object holding the original list next to a top-level `devices` array of full device objects.
 * Both that form (`{<list>: [...], devices: [...]}`) and a `devices` array on each element are
 * accepted here, so whichever the appliance does, nothing is dropped.
 */

export interface MetricItem {
  metric: string;
  timestamps: number[];
  values: Array<number | null>;
  in: Array<number | null>;
  out: Array<number | null>;
  breaches?: DarktraceBreach[];
  devices?: DarktraceDevice[];
}

export function parseMetricData(source: string, body: unknown): MetricItem[] {
  const { items, devices } = unwrap(source, body);
  return items.map((raw, i) => {
    const item = parseItem(source, raw, `[${i}]`);
    if (devices) item.devices = mergeDevices(item.devices, devices);
    return item;
  });
}

function unwrap(source: string, body: unknown): { items: unknown[]; devices?: DarktraceDevice[] } {
  if (Array.isArray(body)) return { items: body };
  if (body === null || typeof body !== 'object') throw unexpected(source, `expected a list of metrics, got ${typeName(body)}`);
  const record = body as Record<string, unknown>;
  // Only fulldevicedetails wraps the list, and then `devices` sits next to it.
  const lists = Object.entries(record).filter(([key, value]) => key !== 'devices' && Array.isArray(value) && value.every(looksLikeItem));
  if (!Array.isArray(record.devices) || lists.length !== 1) {
    throw unexpected(source, `expected a list of metrics, or one list of metrics next to devices; got an object with keys ${Object.keys(record).join(', ') || '(none)'}`);
  }
  return { items: lists[0]![1] as unknown[], devices: parseDevices(source, record.devices, 'devices') };
}

function looksLikeItem(value: unknown): boolean {
  return value !== null && typeof value === 'object' && 'metric' in value && 'data' in value;
}

function parseItem(source: string, raw: unknown, where: string): MetricItem {
  if (raw === null || typeof raw !== 'object') throw unexpected(source, `${where} should be an object, got ${typeName(raw)}`);
  const record = raw as Record<string, unknown>;
  if (typeof record.metric !== 'string') throw unexpected(source, `${where}.metric should be a string, got ${typeName(record.metric)}`);
  if (!Array.isArray(record.data)) throw unexpected(source, `${where}.data should be a list, got ${typeName(record.data)}`);

  // Straight into columns: this runs for every point of every uncached answer, so no object per point.
  const count = record.data.length;
  const item: MetricItem = { metric: record.metric, timestamps: new Array(count), values: new Array(count), in: new Array(count), out: new Array(count) };
  let ordered = true;
  for (let j = 0; j < count; j++) {
    readPoint(source, record.data[j], where, j, item);
    if (j > 0 && item.timestamps[j]! < item.timestamps[j - 1]!) ordered = false;
  }
  if (!ordered) sortByTime(item);
  if (record.breachtimes !== undefined) item.breaches = parseBreaches(source, record.breachtimes, `${where}.breachtimes`);
  if (record.devices !== undefined) item.devices = parseDevices(source, record.devices, `${where}.devices`);
  return item;
}

/** Reads `data[j]` of the element at `path` into row j of the item's columns. */
function readPoint(source: string, raw: unknown, path: string, j: number, into: MetricItem): void {
  if (raw === null || typeof raw !== 'object') throw unexpected(source, `${path}.data[${j}] should be an object, got ${typeName(raw)}`);
  const record = raw as Record<string, unknown>;
  const time = typeof record.timems === 'number' && Number.isFinite(record.timems) ? record.timems : readableTime(record.time);
  if (time === undefined) throw unexpected(source, `${path}.data[${j}] has neither timems nor a readable time (got ${JSON.stringify(record.time ?? null)})`);
  const inbound = pointNumber(source, record.in, path, j, 'in');
  const outbound = pointNumber(source, record.out, path, j, 'out');
  let size = pointNumber(source, record.size, path, j, 'size');
  // size is documented as in + out; recover it when only the parts came back.
  if (size === null && record.size === undefined && inbound !== null && outbound !== null) size = inbound + outbound;
  into.timestamps[j] = time;
  into.values[j] = size;
  into.in[j] = inbound;
  into.out[j] = outbound;
}

/** A point's number; the path for the error message is built only when there is an error. */
function pointNumber(source: string, value: unknown, path: string, j: number, field: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw unexpected(source, `${path}.data[${j}].${field} should be a number, got ${JSON.stringify(value)}`);
}

/** Appliances answer in time order; this keeps the columns aligned when one does not. */
function sortByTime(item: MetricItem): void {
  const order = item.timestamps.map((_, i) => i).sort((a, b) => item.timestamps[a]! - item.timestamps[b]!);
  const reorder = <T>(column: T[]): T[] => order.map((i) => column[i]!);
  item.timestamps = reorder(item.timestamps);
  item.values = reorder(item.values);
  item.in = reorder(item.in);
  item.out = reorder(item.out);
}

function parseBreaches(source: string, raw: unknown, where: string): DarktraceBreach[] {
  if (!Array.isArray(raw)) throw unexpected(source, `${where} should be a list, got ${typeName(raw)}`);
  return raw.map((entry, i) => {
    const at = `${where}[${i}]`;
    if (entry === null || typeof entry !== 'object') throw unexpected(source, `${at} should be an object, got ${typeName(entry)}`);
    const record = entry as Record<string, unknown>;
    const pbid = requiredInteger(source, record.pbid, `${at}.pbid`);
    const time = typeof record.time === 'number' ? record.time : readableTime(record.time);
    if (time === undefined) throw unexpected(source, `${at}.time should be epoch ms, got ${JSON.stringify(record.time ?? null)}`);
    return {
      pbid,
      pid: optionalNumber(source, record.pid, `${at}.pid`),
      score: optionalNumber(source, record.score, `${at}.score`),
      name: typeof record.name === 'string' ? record.name : null,
      time,
    };
  });
}

function parseDevices(source: string, raw: unknown, where: string): DarktraceDevice[] {
  if (!Array.isArray(raw)) throw unexpected(source, `${where} should be a list, got ${typeName(raw)}`);
  return raw.map((entry, i) => {
    const at = `${where}[${i}]`;
    if (entry === null || typeof entry !== 'object') throw unexpected(source, `${at} should be an object, got ${typeName(entry)}`);
    const record = entry as Record<string, unknown>;
    return {
      did: requiredInteger(source, record.did ?? record.id, `${at}.did`),
      hostname: text(record.hostname),
      ip: text(record.ip),
      ips: Array.isArray(record.ips) ? record.ips.flatMap(deviceIp) : [],
      macaddress: text(record.macaddress),
      vendor: text(record.vendor),
      os: text(record.os),
      typename: text(record.typename),
      typelabel: text(record.typelabel),
      sid: typeof record.sid === 'number' ? record.sid : null,
      firstSeen: typeof record.firstSeen === 'number' ? record.firstSeen : null,
      lastSeen: typeof record.lastSeen === 'number' ? record.lastSeen : null,
      tags: Array.isArray(record.tags) ? record.tags.flatMap(tagName) : [],
      details: entry,
    };
  });
}

function deviceIp(raw: unknown): DarktraceDeviceIp[] {
  if (raw === null || typeof raw !== 'object' || typeof (raw as { ip?: unknown }).ip !== 'string') return [];
  const record = raw as Record<string, unknown>;
  const time = typeof record.timems === 'number' ? record.timems : (readableTime(record.time) ?? null);
  return [{ ip: record.ip as string, time, sid: typeof record.sid === 'number' ? record.sid : null }];
}

function tagName(raw: unknown): string[] {
  if (typeof raw === 'string') return [raw];
  if (raw !== null && typeof raw === 'object' && typeof (raw as { name?: unknown }).name === 'string') return [(raw as { name: string }).name];
  return [];
}

function mergeDevices(own: DarktraceDevice[] | undefined, shared: DarktraceDevice[]): DarktraceDevice[] {
  if (!own) return shared;
  const seen = new Set(own.map((device) => device.did));
  return [...own, ...shared.filter((device) => !seen.has(device.did))];
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, as the appliance writes `time`. */
function readableTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) return undefined;
  const ms = Date.parse(`${value.replace(' ', 'T')}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

function optionalNumber(source: string, value: unknown, where: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw unexpected(source, `${where} should be a number, got ${JSON.stringify(value)}`);
  return value;
}

function requiredInteger(source: string, value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw unexpected(source, `${where} should be an integer, got ${JSON.stringify(value ?? null)}`);
  return value;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function unexpected(source: string, what: string): UpstreamUnavailableError {
  return new UpstreamUnavailableError(`${source} answered /metricdata in an unexpected shape: ${what}`, { source });
}
