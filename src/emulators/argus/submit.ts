import { isIP } from 'node:net';
import type { EmulatorReply } from '../server.js';
import { refuseUnknownFields } from './criteria.js';
import { ArgusFailure, FieldErrors, actionError, fieldError, ok, type Message } from './envelope.js';
import type { ArgusApiKey, ArgusCustomer, ArgusDescriptor, ArgusRecord } from './model.js';
import type { ArgusStore } from './store.js';
import { recordJson } from './search.js';

/**
 * `POST /metrics/v1/metric/{descriptor}`: `{records:[{timestamp, keys, values}], ignoreOnFailed?,
 * customer?}`. Every record must have exactly the descriptor's keys (of their types) and values
 * (numbers). One invalid record fails the request with 412 and FIELD_ERROR messages naming
 * `records[i].keys.x`, and nothing is stored, unless `ignoreOnFailed`: then the valid records are
 * stored and the answer's messages name the skipped ones. The owner is `customer` or the key's own
 * customer; global descriptors take no customer.
 */
export function submit(store: ArgusStore, descriptor: ArgusDescriptor, apiKey: ArgusApiKey, body: Record<string, unknown>): EmulatorReply {
  const errors = new FieldErrors();
  refuseUnknownFields(body, ['records', 'ignoreOnFailed', 'customer'], errors);
  if (body.ignoreOnFailed !== undefined && typeof body.ignoreOnFailed !== 'boolean') errors.add('ignoreOnFailed', 'ignoreOnFailed must be true or false');
  const owner = ownerOf(store, descriptor, apiKey, body.customer, errors);
  if (!Array.isArray(body.records) || body.records.length === 0) errors.add('records', 'records must list at least one record');
  errors.throwIfAny();

  const problems: Message[] = [];
  const valid: ArgusRecord[] = [];
  (body.records as unknown[]).forEach((raw, i) => {
    const found = checkRecord(descriptor, raw, `records[${i}]`);
    if (found.length > 0) problems.push(...found);
    else {
      const record = raw as { timestamp: number; keys: Record<string, string | number>; values: Record<string, number> };
      valid.push({ timestamp: record.timestamp, customer: owner, keys: { ...record.keys }, values: { ...record.values } });
    }
  });
  if (problems.length > 0 && body.ignoreOnFailed !== true) throw ArgusFailure.validation(problems);
  for (const record of valid) store.add(descriptor, record);
  return ok(valid.map(recordJson), { count: valid.length, messages: problems });
}

function ownerOf(store: ArgusStore, descriptor: ArgusDescriptor, apiKey: ArgusApiKey, raw: unknown, errors: FieldErrors): ArgusCustomer | null {
  if (descriptor.global) {
    if (raw !== undefined && raw !== null) errors.add('customer', `descriptor ${descriptor.shortName} is global; leave customer empty`);
    return null;
  }
  const name = raw ?? apiKey.defaultCustomer;
  const customer = typeof name === 'string' || typeof name === 'number' ? store.customer(name) : undefined;
  if (!customer) {
    errors.add('customer', `unknown customer ${JSON.stringify(name)}`);
    return null;
  }
  if (apiKey.customers && !apiKey.customers.includes(customer.shortName)) {
    throw new ArgusFailure(403, [actionError(`Access denied to customer ${customer.shortName}`)]);
  }
  return customer;
}

function checkRecord(descriptor: ArgusDescriptor, raw: unknown, at: string): Message[] {
  const out: Message[] = [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return [fieldError(at, 'record must be an object')];
  const record = raw as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    if (!['timestamp', 'keys', 'values'].includes(name)) out.push(fieldError(`${at}.${name}`, `unknown field '${name}'`));
  }
  if (typeof record.timestamp !== 'number' || !Number.isInteger(record.timestamp) || record.timestamp < 0) {
    out.push(fieldError(`${at}.timestamp`, 'timestamp must be epoch milliseconds'));
  }
  const keys = (record.keys ?? {}) as Record<string, unknown>;
  if (typeof record.keys !== 'object' || record.keys === null || Array.isArray(record.keys)) out.push(fieldError(`${at}.keys`, 'keys must be an object'));
  for (const key of descriptor.keys) {
    const value = keys[key.name];
    const field = `${at}.keys.${key.name}`;
    if (value === undefined || value === null) out.push(fieldError(field, 'missing key'));
    else if (key.type === 'ip' && !(typeof value === 'string' && isIP(value) !== 0)) out.push(fieldError(field, 'must be an IP address'));
    else if (key.type === 'integer' && !(typeof value === 'number' && Number.isInteger(value))) out.push(fieldError(field, 'must be an integer'));
    else if (key.type === 'string' && typeof value !== 'string') out.push(fieldError(field, 'must be a string'));
  }
  for (const name of Object.keys(keys)) {
    if (!descriptor.keys.some((key) => key.name === name)) out.push(fieldError(`${at}.keys.${name}`, `descriptor ${descriptor.shortName} has no key '${name}'`));
  }
  const values = (record.values ?? {}) as Record<string, unknown>;
  if (typeof record.values !== 'object' || record.values === null || Array.isArray(record.values)) out.push(fieldError(`${at}.values`, 'values must be an object'));
  for (const value of descriptor.values) {
    const found = values[value.name];
    if (found === undefined || found === null) out.push(fieldError(`${at}.values.${value.name}`, 'missing value'));
    else if (typeof found !== 'number' || !Number.isFinite(found)) out.push(fieldError(`${at}.values.${value.name}`, 'must be a number'));
  }
  for (const name of Object.keys(values)) {
    if (!descriptor.values.some((value) => value.name === name)) out.push(fieldError(`${at}.values.${name}`, `descriptor ${descriptor.shortName} has no value '${name}'`));
  }
  return out;
}
