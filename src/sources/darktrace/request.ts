import { BadUserInputError } from '../../core/errors.js';
import { showValue } from '../../core/duration.js';
import type { LabelFilter } from '../../core/series.js';
import type { TimeRange } from '../../core/time.js';
import type { MetricQuery } from '../source.js';

/**
 * One `metricData` query in Darktrace terms, validated: what /metricdata will be asked, before it
 * is split into calls. Inputs come from two places that mean the same thing: the `darktrace: {...}`
 * argument (the appliance's own parameter names) and the generic `filters` (so `trend` or
 * `aggregate` can narrow a Darktrace metric to a device or port without vendor arguments).
 */

/** The filters /metricdata applies upstream; each becomes a label on the series it narrows. */
export const DIMENSIONS = ['did', 'ddid', 'odid', 'port', 'sourceport', 'destinationport', 'protocol', 'applicationprotocol'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

const INTEGER_DIMENSIONS = new Set<Dimension>(['did', 'ddid', 'odid', 'port', 'sourceport', 'destinationport']);
const PORT_DIMENSIONS = new Set<Dimension>(['port', 'sourceport', 'destinationport']);
const KNOWN_PARAMS = new Set<string>([...DIMENSIONS, 'breachtimes', 'fulldevicedetails', 'devices']);

/** More devices than this in one query is a different tool's job (and that many upstream calls). */
export const MAX_DEVICES = 100;

export interface DarktraceRequest {
  metrics: string[];
  range: TimeRange;
  /** Bucket width in whole seconds; absent = the appliance's default (60 s). */
  intervalS?: number;
  /** Devices asked one by one (`did`, or a `devices` fan-out); absent = network-wide. */
  dids?: number[];
  /** The other upstream filters (everything in DIMENSIONS but did). */
  filters: Partial<Record<Exclude<Dimension, 'did'>, number | string>>;
  breachtimes?: boolean;
  fulldevicedetails?: boolean;
}

export function toDarktraceRequest(query: MetricQuery): DarktraceRequest {
  const params = query.params ?? {};
  for (const key of Object.keys(params)) {
    if (!KNOWN_PARAMS.has(key)) {
      throw new BadUserInputError(`darktrace parameters are ${[...KNOWN_PARAMS].join(', ')}; got '${key}'`, { field: `darktrace.${key}` });
    }
  }

  const request: DarktraceRequest = { metrics: query.metrics.map(checkMetricName), range: query.range, filters: {} };
  if (query.intervalMs !== undefined) request.intervalS = intervalSeconds(query.intervalMs);

  const did = optionalInteger(params.did, 'did');
  const devices = deviceList(params.devices);
  if (did !== undefined && devices !== undefined) {
    throw new BadUserInputError('give darktrace.did or darktrace.devices, not both', { field: 'darktrace.devices' });
  }
  if (did !== undefined) request.dids = [did];
  if (devices !== undefined) request.dids = devices;

  for (const dimension of DIMENSIONS) {
    if (dimension === 'did') continue;
    const value = dimensionValue(dimension, params[dimension], `darktrace.${dimension}`);
    if (value !== undefined) request.filters[dimension] = value;
  }
  for (const key of ['breachtimes', 'fulldevicedetails'] as const) {
    const value = params[key];
    if (value === null || value === undefined) continue;
    if (typeof value !== 'boolean') throw new BadUserInputError(`darktrace.${key} must be true or false; got ${showValue(value)}`, { field: `darktrace.${key}` });
    request[key] = value;
  }
  applyLabelFilters(request, query.filters);
  return request;
}

/**
 * Generic label filters are pushed upstream: `did` with several values fans out per device, the
 * other dimensions take one value each. A filter the appliance cannot apply is refused rather
 * than emulated, because the series carry only the labels the query itself set.
 */
function applyLabelFilters(request: DarktraceRequest, filters: readonly LabelFilter[]): void {
  for (const filter of filters) {
    const field = `filters.${filter.key}`;
    if (!(DIMENSIONS as readonly string[]).includes(filter.key)) {
      throw new BadUserInputError(`darktrace series can be filtered by ${DIMENSIONS.join(', ')}; got filter key '${filter.key}'`, { field });
    }
    if (filter.exclude) {
      throw new BadUserInputError(`darktrace applies filters upstream and cannot exclude values; drop exclude from the '${filter.key}' filter`, { field });
    }
    const dimension = filter.key as Dimension;
    if (filter.values.length === 0) throw new BadUserInputError(`the '${filter.key}' filter needs at least one value`, { field });
    if (dimension === 'did') {
      const dids = deviceList(filter.values, field)!;
      if (request.dids !== undefined && !sameSet(request.dids, dids)) {
        throw new BadUserInputError(`the did filter (${dids.join(', ')}) disagrees with darktrace.did/devices (${request.dids.join(', ')})`, { field });
      }
      request.dids = dids;
      continue;
    }
    if (filter.values.length > 1) {
      throw new BadUserInputError(`darktrace takes one value per '${filter.key}' filter; got ${filter.values.length} (${filter.values.join(', ')}). Use aliased fields, one per value`, { field });
    }
    const value = dimensionValue(dimension, filter.values[0], field)!;
    const current = request.filters[dimension];
    if (current !== undefined && String(current) !== String(value)) {
      throw new BadUserInputError(`the ${filter.key} filter (${value}) disagrees with darktrace.${filter.key} (${current})`, { field });
    }
    request.filters[dimension] = value;
  }
}

function dimensionValue(dimension: Dimension, raw: unknown, field: string): number | string | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (INTEGER_DIMENSIONS.has(dimension)) {
    const value = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw new BadUserInputError(`${field} must be an integer${PORT_DIMENSIONS.has(dimension) ? ' port number' : ' device id'}; got ${showValue(raw)}`, { field });
    }
    if (PORT_DIMENSIONS.has(dimension) && (value < 0 || value > 65535)) {
      throw new BadUserInputError(`${field} must be a port number from 0 to 65535; got ${value}`, { field });
    }
    return value;
  }
  if (typeof raw !== 'string' || raw.trim() === '' || /[\u0000-\u001f\u007f]/.test(raw)) {
    throw new BadUserInputError(`${field} must be a protocol name or code as /enums lists it (e.g. TCP or 6); got ${showValue(raw)}`, { field });
  }
  return raw.trim();
}

function optionalInteger(raw: unknown, name: string): number | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw)) {
    throw new BadUserInputError(`darktrace.${name} must be an integer device id; got ${showValue(raw)}`, { field: `darktrace.${name}` });
  }
  return raw;
}

/** Device ids as the appliance numbers them ("did"), de-duplicated in the order given. */
function deviceList(raw: unknown, field = 'darktrace.devices'): number[] | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (!Array.isArray(raw)) throw new BadUserInputError(`${field} must be a list of device ids; got ${showValue(raw)}`, { field });
  if (raw.length === 0) throw new BadUserInputError(`${field} must name at least one device id`, { field });
  const dids: number[] = [];
  for (const item of raw) {
    const text = typeof item === 'number' ? String(item) : typeof item === 'string' ? item.trim() : '';
    if (!/^-?\d{1,15}$/.test(text)) {
      throw new BadUserInputError(`${field} takes device ids (the appliance's did numbers, e.g. "12"); got ${showValue(item)}`, { field });
    }
    const did = Number(text);
    if (!dids.includes(did)) dids.push(did);
  }
  if (dids.length > MAX_DEVICES) {
    throw new BadUserInputError(`${field} may name at most ${MAX_DEVICES} devices per query; got ${dids.length}`, { field });
  }
  return dids;
}

/**
 * Darktrace takes the bucket width in whole seconds. Sub-second widths (`1500ms`) cannot be
 * expressed and are refused rather than rounded, so a chart's step is what the client asked.
 */
export function intervalSeconds(intervalMs: number): number {
  if (intervalMs % 1000 !== 0) {
    throw new BadUserInputError(`interval for a darktrace source must be a whole number of seconds; got ${intervalMs} ms`, { field: 'interval' });
  }
  return intervalMs / 1000;
}

/** Darktrace metric names are system names such as `externalconnections`, listed by Query.metrics. */
function checkMetricName(name: string): string {
  if (name.includes(',')) {
    throw new BadUserInputError(`give several metrics as a list (metrics: ["a", "b"]), not comma-joined; got '${name}'`, { field: 'metric' });
  }
  if (!/^[A-Za-z0-9_.:-]{1,200}$/.test(name)) {
    throw new BadUserInputError(
      `darktrace metric names are system names like externalconnections (letters, digits, _ . : -); got ${showValue(name)}`,
      { field: 'metric' },
    );
  }
  return name;
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((value) => b.includes(value));
}
