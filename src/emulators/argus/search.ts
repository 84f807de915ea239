import type { EmulatorReply } from '../server.js';
import { readSelection, refuseUnknownFields, SELECTION_FIELDS } from './criteria.js';
import { FieldErrors, ok } from './envelope.js';
import type { ArgusApiKey, ArgusDescriptor, ArgusRecord } from './model.js';
import type { ArgusStore } from './store.js';

/**
 * `POST /metrics/v1/metric/{descriptor}/search`. Elasticsearch pages only through the first
 * 10,000 hits: `limit` <= 10000 and `limit + offset` <= 10000, else 412. `limit: 0` means every
 * match, and fails with 412 when there are more than 10000. `sortBy` takes key and value names
 * (and `timestamp`), `-` in front for descending; when a key and a value share a name the value
 * wins; an unknown name is a 412. Without `limit` a page of 25 comes back.
 */

export const SEARCH_WINDOW = 10_000;
const DEFAULT_LIMIT = 25;

export function search(store: ArgusStore, descriptor: ArgusDescriptor, apiKey: ArgusApiKey, body: Record<string, unknown>, now: number): EmulatorReply {
  const errors = new FieldErrors();
  refuseUnknownFields(body, [...SELECTION_FIELDS, 'limit', 'offset', 'sortBy'], errors);
  const filter = readSelection(body, descriptor, store, apiKey, errors, now);
  const limit = wholeNumber(body.limit, 'limit', DEFAULT_LIMIT, errors);
  const offset = wholeNumber(body.offset, 'offset', 0, errors);
  if (limit > SEARCH_WINDOW) errors.add('limit', `limit must be at most ${SEARCH_WINDOW}`);
  else if (limit > 0 && limit + offset > SEARCH_WINDOW) errors.add('offset', `limit + offset must be at most ${SEARCH_WINDOW}`);
  const order = sortOrder(body.sortBy, descriptor, errors);
  errors.throwIfAny();

  const hits = store.records(descriptor).filter(filter);
  if (limit === 0 && hits.length > SEARCH_WINDOW) {
    errors.add('limit', `the search matches ${hits.length} records, more than ${SEARCH_WINDOW} can be returned; narrow your search`);
    errors.throwIfAny();
  }
  if (order) hits.sort(order);
  const page = limit === 0 ? hits.slice(offset) : hits.slice(offset, offset + limit);
  return ok(page.map(recordJson), { limit, offset, count: hits.length });
}

export function recordJson(record: ArgusRecord): Record<string, unknown> {
  return {
    timestamp: record.timestamp,
    customer: record.customer ? { id: record.customer.id, shortName: record.customer.shortName, name: record.customer.name } : null,
    keys: { ...record.keys },
    values: { ...record.values },
  };
}

function wholeNumber(raw: unknown, field: string, fallback: number, errors: FieldErrors): number {
  if (raw === undefined || raw === null) return fallback;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0) {
    errors.add(field, `${field} must be a whole number, 0 or more`);
    return fallback;
  }
  return raw;
}

function sortOrder(raw: unknown, descriptor: ArgusDescriptor, errors: FieldErrors): ((a: ArgusRecord, b: ArgusRecord) => number) | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) {
    errors.add('sortBy', 'sortBy must be a list of field names');
    return undefined;
  }
  const fields: Array<(a: ArgusRecord, b: ArgusRecord) => number> = [];
  raw.forEach((item, i) => {
    const text = typeof item === 'string' ? item : '';
    const descending = text.startsWith('-');
    const name = descending ? text.slice(1) : text;
    const sign = descending ? -1 : 1;
    let read: ((record: ArgusRecord) => string | number) | undefined;
    if (descriptor.values.some((value) => value.name === name)) read = (record) => record.values[name]!;
    else if (descriptor.keys.some((key) => key.name === name)) read = (record) => record.keys[name]!;
    else if (name === 'timestamp') read = (record) => record.timestamp;
    if (!read) {
      errors.add(`sortBy[${i}]`, `cannot sort by ${JSON.stringify(item)}: not a key or value of descriptor ${descriptor.shortName}`);
      return;
    }
    const get = read;
    fields.push((a, b) => {
      const x = get(a);
      const y = get(b);
      return sign * (x < y ? -1 : x > y ? 1 : 0);
    });
  });
  return (a, b) => {
    for (const compare of fields) {
      const result = compare(a, b);
      if (result !== 0) return result;
    }
    return a.timestamp - b.timestamp;
  };
}
