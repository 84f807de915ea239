import { ArgusFailure, actionError, type FieldErrors } from './envelope.js';
import type { ArgusApiKey, ArgusDescriptor, ArgusRecord } from './model.js';
import type { ArgusStore } from './store.js';

/**
 * The record selection search and aggregate share: `startTimestamp` (default 0) to
 * `endTimestamp` (default now), both inclusive; `customer` (ids or shortNames, any of them);
 * `keys` (exact values, all of them); `subCriteria` (each `{customer?, keys?, required?,
 * exclude?}`: required ones must all match, of the others at least one, and `exclude` inverts
 * one). A key limited to some customers sees only their records (and global ones); naming
 * another customer is refused with 403.
 */

export type RecordFilter = (record: ArgusRecord) => boolean;

export const SELECTION_FIELDS = ['startTimestamp', 'endTimestamp', 'customer', 'keys', 'subCriteria'] as const;

export function readSelection(
  body: Record<string, unknown>,
  descriptor: ArgusDescriptor,
  store: ArgusStore,
  apiKey: ArgusApiKey,
  errors: FieldErrors,
  now: number,
): RecordFilter {
  const start = timestamp(body.startTimestamp, 'startTimestamp', 0, errors);
  const end = timestamp(body.endTimestamp, 'endTimestamp', now, errors);
  if (start > end) errors.add('endTimestamp', `endTimestamp (${end}) must not be before startTimestamp (${start})`);
  const customers = customerIds(body.customer, 'customer', descriptor, store, apiKey, errors);
  const keys = keyValues(body.keys, 'keys', descriptor, errors);
  const subs: Array<{ match: RecordFilter; required: boolean; exclude: boolean }> = [];
  if (body.subCriteria !== undefined && body.subCriteria !== null) {
    if (!Array.isArray(body.subCriteria)) {
      errors.add('subCriteria', 'subCriteria must be a list of criteria');
    } else {
      body.subCriteria.forEach((raw, i) => {
        const at = `subCriteria[${i}]`;
        if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
          errors.add(at, 'must be a criteria object');
          return;
        }
        const sub = raw as Record<string, unknown>;
        for (const name of Object.keys(sub)) {
          if (!['customer', 'keys', 'required', 'exclude'].includes(name)) errors.add(`${at}.${name}`, `unknown field '${name}'`);
        }
        for (const flag of ['required', 'exclude'] as const) {
          if (sub[flag] !== undefined && typeof sub[flag] !== 'boolean') errors.add(`${at}.${flag}`, `${flag} must be true or false`);
        }
        const subCustomers = customerIds(sub.customer, `${at}.customer`, descriptor, store, apiKey, errors);
        const subKeys = keyValues(sub.keys, `${at}.keys`, descriptor, errors);
        subs.push({ match: (record) => matches(record, subCustomers, subKeys), required: sub.required === true, exclude: sub.exclude === true });
      });
    }
  }
  const visible = apiKey.customers ? new Set(apiKey.customers.map((name) => store.customer(name)?.id)) : undefined;
  const optional = subs.filter((sub) => !sub.required);
  return (record) => {
    if (record.timestamp < start || record.timestamp > end) return false;
    if (visible && record.customer && !visible.has(record.customer.id)) return false;
    if (!matches(record, customers, keys)) return false;
    if (!subs.filter((sub) => sub.required).every((sub) => sub.match(record) !== sub.exclude)) return false;
    return optional.length === 0 || optional.some((sub) => sub.match(record) !== sub.exclude);
  };
}

function matches(record: ArgusRecord, customers: Set<number> | undefined, keys: Record<string, string | number> | undefined): boolean {
  if (customers && (!record.customer || !customers.has(record.customer.id))) return false;
  if (keys) {
    for (const [name, value] of Object.entries(keys)) {
      if (String(record.keys[name]) !== String(value)) return false;
    }
  }
  return true;
}

function timestamp(raw: unknown, field: string, fallback: number, errors: FieldErrors): number {
  if (raw === undefined || raw === null) return fallback;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0) {
    errors.add(field, `${field} must be epoch milliseconds`);
    return fallback;
  }
  return raw;
}

function customerIds(
  raw: unknown,
  field: string,
  descriptor: ArgusDescriptor,
  store: ArgusStore,
  apiKey: ArgusApiKey,
  errors: FieldErrors,
): Set<number> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) {
    errors.add(field, 'customer must be a list of customer ids or shortNames');
    return undefined;
  }
  if (raw.length === 0) return undefined;
  if (descriptor.global) {
    errors.add(field, `descriptor ${descriptor.shortName} is global; its records have no customer`);
    return undefined;
  }
  const ids = new Set<number>();
  raw.forEach((item, i) => {
    const customer = typeof item === 'string' || typeof item === 'number' ? store.customer(item) : undefined;
    if (!customer) {
      errors.add(`${field}[${i}]`, `unknown customer ${JSON.stringify(item)}`);
      return;
    }
    if (apiKey.customers && !apiKey.customers.includes(customer.shortName)) {
      throw new ArgusFailure(403, [actionError(`Access denied to customer ${customer.shortName}`)]);
    }
    ids.add(customer.id);
  });
  return ids;
}

function keyValues(raw: unknown, field: string, descriptor: ArgusDescriptor, errors: FieldErrors): Record<string, string | number> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    errors.add(field, 'keys must be an object of key values');
    return undefined;
  }
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!descriptor.keys.some((key) => key.name === name)) {
      errors.add(`${field}.${name}`, `descriptor ${descriptor.shortName} has no key '${name}'`);
    } else if (typeof value !== 'string' && typeof value !== 'number') {
      errors.add(`${field}.${name}`, 'key values must be strings or numbers');
    } else {
      out[name] = value;
    }
  }
  return out;
}

/** Fields not in `allowed` are refused, as a strict JSON binding would. */
export function refuseUnknownFields(body: Record<string, unknown>, allowed: readonly string[], errors: FieldErrors): void {
  for (const name of Object.keys(body)) {
    if (!allowed.includes(name)) errors.add(name, `unknown field '${name}'`);
  }
}
