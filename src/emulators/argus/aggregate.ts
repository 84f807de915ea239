import type { EmulatorReply } from '../server.js';
import { readSelection, refuseUnknownFields, SELECTION_FIELDS } from './criteria.js';
import { FieldErrors, ok } from './envelope.js';
import { UNIT_MS, type AggregationFunction, type ArgusApiKey, type ArgusDescriptor, type ArgusRecord, type TimeUnit } from './model.js';
import type { ArgusStore } from './store.js';

/**
 * `POST /metrics/v1/metric/{descriptor}/aggregate`.
 *
 * - `values: [{name, aggregationFunction?, valueAsWeight?}]` (required): sum, avg, min, max or
 *   wavg, default the descriptor's function for the value; wavg needs `valueAsWeight`, another
 *   value of the record that weighs it.
 * - `groupBy: [{key, limit}]`: the top `limit` values of each key (by record count, ties by value,
 *   as an Elasticsearch terms aggregation ranks them), found over the whole range before any
 *   histogram is built; nested keys are ranked within their parent. `groupByCustomer` adds the
 *   owner customer as the outermost group, without a limit.
 * - `resolution` of `resolutionUnit` (milliseconds..days): buckets aligned on multiples of the
 *   bucket length since the epoch (UTC); 0 is one bucket over the whole range; above 10000 it is
 *   capped at 10000. Empty buckets are left out.
 * - Answer: one item per group and bucket, `{customer?, keys:[{name, value}], metricTimestamp?,
 *   values:[{name, value}], metricDescriptorID}`.
 *
 * `includeOthers` is accepted, but the shape of the group it adds is not published, so none is
 * added. `calendarInterval` is refused (not emulated).
 */

const FUNCTIONS: readonly AggregationFunction[] = ['sum', 'avg', 'min', 'max', 'wavg'];
const UNITS = Object.keys(UNIT_MS) as TimeUnit[];
const MAX_RESOLUTION = 10_000;
const MAX_BUCKETS = 100_000;
const DEFAULT_GROUP_LIMIT = 10;

interface ValueSpec {
  name: string;
  fn: AggregationFunction;
  weight?: string;
}

export function aggregate(store: ArgusStore, descriptor: ArgusDescriptor, apiKey: ArgusApiKey, body: Record<string, unknown>, now: number): EmulatorReply {
  const errors = new FieldErrors();
  refuseUnknownFields(
    body,
    [...SELECTION_FIELDS, 'values', 'groupBy', 'groupByCustomer', 'resolution', 'resolutionUnit', 'includeOthers', 'calendarInterval', 'descriptorDomain', 'customerDomain'],
    errors,
  );
  const filter = readSelection(body, descriptor, store, apiKey, errors, now);
  const values = valueSpecs(body.values, descriptor, errors);
  const groupBy = groupSpecs(body.groupBy, descriptor, errors);
  if (body.groupByCustomer !== undefined && typeof body.groupByCustomer !== 'boolean') errors.add('groupByCustomer', 'groupByCustomer must be true or false');
  if (body.groupByCustomer === true && descriptor.global) errors.add('groupByCustomer', `descriptor ${descriptor.shortName} is global; its records have no customer`);
  if (body.includeOthers !== undefined && typeof body.includeOthers !== 'boolean') errors.add('includeOthers', 'includeOthers must be true or false');
  if (body.calendarInterval !== undefined && body.calendarInterval !== null) errors.add('calendarInterval', 'calendarInterval is not supported by this emulator');
  const stepMs = bucketLength(body.resolution, body.resolutionUnit, errors);
  const start = typeof body.startTimestamp === 'number' ? body.startTimestamp : 0;
  const end = typeof body.endTimestamp === 'number' ? body.endTimestamp : now;
  if (stepMs > 0 && (end - start) / stepMs > MAX_BUCKETS) errors.add('resolution', `the range would need more than ${MAX_BUCKETS} buckets`);
  errors.throwIfAny();

  const records = store.records(descriptor).filter(filter);
  const byCustomer = body.groupByCustomer === true;
  const items: unknown[] = [];
  const emit = (group: readonly ArgusRecord[], keys: Array<{ name: string; value: string | number }>) => {
    const customer = byCustomer ? group[0]?.customer : undefined;
    const buckets = new Map<number | undefined, ArgusRecord[]>();
    for (const record of group) {
      const bucket = stepMs > 0 ? Math.floor(record.timestamp / stepMs) * stepMs : undefined;
      let list = buckets.get(bucket);
      if (!list) buckets.set(bucket, (list = []));
      list.push(record);
    }
    for (const bucket of [...buckets.keys()].sort((a, b) => (a ?? 0) - (b ?? 0))) {
      const inBucket = buckets.get(bucket)!;
      const item: Record<string, unknown> = {};
      if (customer) item.customer = { id: customer.id, shortName: customer.shortName, name: customer.name };
      item.keys = keys.map((key) => ({ ...key }));
      if (bucket !== undefined) item.metricTimestamp = bucket;
      item.values = values.map((spec) => ({ name: spec.name, value: compute(spec, inBucket) }));
      item.metricDescriptorID = descriptor.id;
      items.push(item);
    }
  };
  const nest = (group: readonly ArgusRecord[], level: number, keys: Array<{ name: string; value: string | number }>) => {
    if (level === groupBy.length) return emit(group, keys);
    const { key, limit } = groupBy[level]!;
    for (const [value, members] of topValues(group, key, limit)) nest(members, level + 1, [...keys, { name: key, value }]);
  };
  if (byCustomer) {
    const customers = new Map<number, ArgusRecord[]>();
    for (const record of records) {
      const id = record.customer?.id ?? 0;
      let list = customers.get(id);
      if (!list) customers.set(id, (list = []));
      list.push(record);
    }
    for (const id of [...customers.keys()].sort((a, b) => a - b)) nest(customers.get(id)!, 0, []);
  } else if (records.length > 0 || groupBy.length === 0) {
    nest(records, 0, []);
  }
  return ok(items, { count: items.length });
}

/** The `limit` most frequent values of a key, ties by value, with their records. */
function topValues(records: readonly ArgusRecord[], key: string, limit: number): Array<[string | number, ArgusRecord[]]> {
  const groups = new Map<string, { value: string | number; records: ArgusRecord[] }>();
  for (const record of records) {
    const value = record.keys[key]!;
    const id = String(value);
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { value, records: [] }));
    group.records.push(record);
  }
  return [...groups.values()]
    .sort((a, b) => b.records.length - a.records.length || (String(a.value) < String(b.value) ? -1 : String(a.value) > String(b.value) ? 1 : 0))
    .slice(0, limit)
    .map((group) => [group.value, group.records]);
}

function compute(spec: ValueSpec, records: readonly ArgusRecord[]): number | null {
  const values = records.map((record) => record.values[spec.name]!).filter((value) => typeof value === 'number');
  if (values.length === 0) return null;
  switch (spec.fn) {
    case 'sum':
      return values.reduce((total, value) => total + value, 0);
    case 'avg':
      return values.reduce((total, value) => total + value, 0) / values.length;
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'wavg': {
      let weighted = 0;
      let total = 0;
      for (const record of records) {
        const value = record.values[spec.name];
        const weight = record.values[spec.weight!];
        if (typeof value !== 'number' || typeof weight !== 'number') continue;
        weighted += value * weight;
        total += weight;
      }
      return total === 0 ? null : weighted / total;
    }
  }
}

function valueSpecs(raw: unknown, descriptor: ArgusDescriptor, errors: FieldErrors): ValueSpec[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    errors.add('values', 'values must list at least one value to aggregate');
    return [];
  }
  const names = descriptor.values.map((value) => value.name);
  const specs: ValueSpec[] = [];
  raw.forEach((item, i) => {
    const at = `values[${i}]`;
    const entry = (item ?? {}) as { name?: unknown; aggregationFunction?: unknown; valueAsWeight?: unknown };
    const value = descriptor.values.find((candidate) => candidate.name === entry.name);
    if (!value) {
      errors.add(`${at}.name`, `descriptor ${descriptor.shortName} has no value ${JSON.stringify(entry.name)}; its values are ${names.join(', ')}`);
      return;
    }
    const fn = entry.aggregationFunction ?? value.defaultFunction;
    if (!FUNCTIONS.includes(fn as AggregationFunction)) {
      errors.add(`${at}.aggregationFunction`, `aggregationFunction must be one of ${FUNCTIONS.join(', ')}; got ${JSON.stringify(fn)}`);
      return;
    }
    const spec: ValueSpec = { name: value.name, fn: fn as AggregationFunction };
    if (fn === 'wavg') {
      if (entry.valueAsWeight === undefined || entry.valueAsWeight === null || entry.valueAsWeight === '') {
        errors.add(`${at}.valueAsWeight`, 'wavg requires valueAsWeight');
        return;
      }
      if (!names.includes(entry.valueAsWeight as string)) {
        errors.add(`${at}.valueAsWeight`, `valueAsWeight must be a value of descriptor ${descriptor.shortName}; got ${JSON.stringify(entry.valueAsWeight)}`);
        return;
      }
      spec.weight = entry.valueAsWeight as string;
    }
    specs.push(spec);
  });
  return specs;
}

function groupSpecs(raw: unknown, descriptor: ArgusDescriptor, errors: FieldErrors): Array<{ key: string; limit: number }> {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    errors.add('groupBy', 'groupBy must be a list of {key, limit}');
    return [];
  }
  const out: Array<{ key: string; limit: number }> = [];
  raw.forEach((item, i) => {
    const entry = (item ?? {}) as { key?: unknown; limit?: unknown };
    if (!descriptor.keys.some((key) => key.name === entry.key)) {
      errors.add(`groupBy[${i}].key`, `descriptor ${descriptor.shortName} has no key ${JSON.stringify(entry.key)}`);
      return;
    }
    if (out.some((spec) => spec.key === entry.key)) {
      errors.add(`groupBy[${i}].key`, `key ${JSON.stringify(entry.key)} is grouped twice`);
      return;
    }
    const limit = entry.limit ?? DEFAULT_GROUP_LIMIT;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
      errors.add(`groupBy[${i}].limit`, 'limit must be a whole number, 1 or more');
      return;
    }
    out.push({ key: entry.key as string, limit });
  });
  return out;
}

function bucketLength(resolution: unknown, unit: unknown, errors: FieldErrors): number {
  const count = resolution ?? 0;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    errors.add('resolution', 'resolution must be a whole number, 0 or more');
    return 0;
  }
  const name = unit ?? 'milliseconds';
  if (!UNITS.includes(name as TimeUnit)) {
    errors.add('resolutionUnit', `resolutionUnit must be one of ${UNITS.join(', ')}; got ${JSON.stringify(name)}`);
    return 0;
  }
  return Math.min(count, MAX_RESOLUTION) * UNIT_MS[name as TimeUnit];
}
