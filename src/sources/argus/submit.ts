import { isIP } from 'node:net';
import { BadUserInputError, GatewayTimeoutError, UpstreamUnavailableError } from '../../core/errors.js';
import { showValue } from '../../core/duration.js';
import { metricPath, type ArgusClient } from './client.js';
import type { Descriptor } from './descriptors.js';
import { ArgusRequestError, type ArgusMessage } from './envelope.js';

/**
 * `POST /metrics/v1/metric/{descriptor}`: stores records. Each record must carry exactly the
 * descriptor's keys and values. Argus refuses the whole request (HTTP 412) when one record is
 * invalid, unless `ignoreOnFailed` is set, in which case it stores the valid ones.
 *
 * The gateway checks every record against the configured descriptor first, so a bad record is
 * explained without a round trip, and reports per record what was stored and what was refused.
 * A submit is not idempotent (a repeat stores the records twice), so it is never retried; when no
 * answer comes, the outcome is unknown and the error says so.
 */

export const MAX_RECORDS = 10_000;

export interface SubmitRecord {
  /** Epoch milliseconds. */
  timestamp: number;
  keys: unknown;
  values: unknown;
}

export interface SubmitRequest {
  descriptor: Descriptor;
  records: readonly SubmitRecord[];
  /** Store the valid records when some are invalid. @default false */
  ignoreOnFailed?: boolean;
  /** Owner of the records (id or shortName); Argus defaults to the API key's own customer. */
  customer?: string;
}

export interface RecordOutcome {
  index: number;
  stored: boolean;
  /** Why the record was not stored. */
  error?: string;
  /** The record field at fault, as `records[2].keys.vlan`. */
  field?: string;
}

export interface SubmitOutcome {
  descriptor: string;
  success: boolean;
  total: number;
  stored: number;
  refused: number;
  results: RecordOutcome[];
}

interface Problem {
  field: string;
  message: string;
}

export async function submitRecords(client: ArgusClient, request: SubmitRequest, signal: AbortSignal | undefined): Promise<SubmitOutcome> {
  const source = client.sourceId;
  const { descriptor, records } = request;
  if (records.length === 0) throw new BadUserInputError('records must hold at least one record', { field: 'records', source });
  if (records.length > MAX_RECORDS) {
    throw new BadUserInputError(`records may hold at most ${MAX_RECORDS} records per call; got ${records.length}`, { field: 'records', source });
  }
  if (request.customer !== undefined && descriptor.global) {
    throw new BadUserInputError(
      `Argus descriptor ${descriptor.shortName} is global: its records belong to no customer; drop customer`,
      { field: 'customer', source },
    );
  }
  const ignoreOnFailed = request.ignoreOnFailed ?? false;
  const results: RecordOutcome[] = records.map((_, index) => ({ index, stored: false }));
  const valid: number[] = [];
  records.forEach((record, index) => {
    const problems = checkRecord(descriptor, record, index);
    if (problems.length === 0) valid.push(index);
    else refuse(results[index]!, problems[0]!.field, problems.map((problem) => problem.message).join('; '));
  });

  const invalid = records.length - valid.length;
  if (valid.length === 0) return outcome(descriptor, results);
  if (invalid > 0 && !ignoreOnFailed) {
    const named = results.filter((result) => result.error).map((result) => result.index);
    for (const index of valid) refuse(results[index]!, undefined, notSentBecause(named, 'invalid'));
    return outcome(descriptor, results);
  }

  const body: Record<string, unknown> = {
    records: valid.map((index) => {
      const record = records[index]!;
      return { timestamp: record.timestamp, keys: record.keys, values: record.values };
    }),
    ignoreOnFailed,
  };
  if (request.customer !== undefined) body.customer = request.customer;

  let messages: readonly ArgusMessage[];
  try {
    const envelope = await client.post(metricPath(descriptor.shortName), body, { idempotent: false, ...(signal ? { signal } : {}) });
    messages = envelope.messages;
  } catch (error) {
    // A 412 whose every message names a sent record: Argus refused the whole request because of them.
    const refusals =
      error instanceof ArgusRequestError && error.messages.length > 0 && error.messages.every((message) => RECORD_FIELD.test(message.field ?? ''))
        ? recordRefusals(error.messages, valid)
        : undefined;
    if (!refusals || refusals.size === 0) throw unknownOutcome(error, source);
    for (const [index, message] of refusals) refuse(results[index]!, message.field, message.message);
    const named = [...refusals.keys()].sort((a, b) => a - b);
    for (const index of valid) if (!refusals.has(index)) refuse(results[index]!, undefined, notSentBecause(named, 'refused by Argus'));
    return outcome(descriptor, results);
  }

  // With ignoreOnFailed, Argus stores the valid records and names the others in its messages.
  const refusals = recordRefusals(messages, valid);
  for (const index of valid) {
    const message = refusals.get(index);
    if (message) refuse(results[index]!, message.field, message.message);
    else results[index]!.stored = true;
  }
  return outcome(descriptor, results);
}

const RECORD_FIELD = /^records\[(\d+)\](.*)$/;

/** Messages about `records[i]` of the sent body, keyed by the index in the client's list. */
function recordRefusals(messages: readonly ArgusMessage[], sent: readonly number[]): Map<number, ArgusMessage> {
  const out = new Map<number, ArgusMessage>();
  for (const message of messages) {
    const match = RECORD_FIELD.exec(message.field ?? '');
    const original = match ? sent[Number(match[1])] : undefined;
    if (original === undefined) continue;
    if (!out.has(original)) out.set(original, { ...message, field: `records[${original}]${match![2]}` });
  }
  return out;
}

export function checkRecord(descriptor: Descriptor, record: SubmitRecord, index: number): Problem[] {
  const at = `records[${index}]`;
  const problems: Problem[] = [];
  if (!Number.isInteger(record.timestamp) || record.timestamp < 0) {
    problems.push({ field: `${at}.timestamp`, message: `${at}.timestamp must be epoch milliseconds; got ${showValue(record.timestamp)}` });
  }
  const keyNames = descriptor.keys.map((key) => key.name);
  const keys = asObject(record.keys);
  if (!keys) {
    problems.push({ field: `${at}.keys`, message: `${at}.keys must be an object with ${keyNames.join(', ')}; got ${showValue(record.keys)}` });
  } else {
    for (const key of descriptor.keys) {
      const field = `${at}.keys.${key.name}`;
      const value = keys[key.name];
      if (value === undefined || value === null) {
        problems.push({ field, message: `${field} is missing; Argus descriptor ${descriptor.shortName} needs every key (${keyNames.join(', ')})` });
        continue;
      }
      const wrong = keyTypeProblem(key.type, value);
      if (wrong) problems.push({ field, message: `${field} must be ${wrong}; got ${showValue(value)}` });
    }
    for (const name of Object.keys(keys)) {
      if (!keyNames.includes(name)) {
        problems.push({ field: `${at}.keys.${name}`, message: `${at}.keys.${name} is not a key of Argus descriptor ${descriptor.shortName} (${keyNames.join(', ')})` });
      }
    }
  }
  const values = asObject(record.values);
  if (!values) {
    problems.push({ field: `${at}.values`, message: `${at}.values must be an object with ${descriptor.values.join(', ')}; got ${showValue(record.values)}` });
  } else {
    for (const name of descriptor.values) {
      const field = `${at}.values.${name}`;
      const value = values[name];
      if (value === undefined || value === null) {
        problems.push({ field, message: `${field} is missing; Argus descriptor ${descriptor.shortName} needs every value (${descriptor.values.join(', ')})` });
      } else if (typeof value !== 'number' || !Number.isFinite(value)) {
        problems.push({ field, message: `${field} must be a number; got ${showValue(value)}` });
      }
    }
    for (const name of Object.keys(values)) {
      if (!descriptor.values.includes(name)) {
        problems.push({ field: `${at}.values.${name}`, message: `${at}.values.${name} is not a value of Argus descriptor ${descriptor.shortName} (${descriptor.values.join(', ')})` });
      }
    }
  }
  return problems;
}

function keyTypeProblem(type: Descriptor['keys'][number]['type'], value: unknown): string | undefined {
  switch (type) {
    case 'ip':
      return typeof value === 'string' && isIP(value) !== 0 ? undefined : 'an IPv4 or IPv6 address';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? undefined : 'a whole number';
    case 'string':
      return typeof value === 'string' && value !== '' ? undefined : 'a non-empty string';
    default:
      return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? undefined : 'a string or a number';
  }
}

/** A submit that got no answer may have been stored; the client must know before trying again. */
function unknownOutcome(error: unknown, source: string): unknown {
  const note = 'no answer came, so the records may or may not have been stored (submits are never retried automatically)';
  if (error instanceof GatewayTimeoutError) return new GatewayTimeoutError(`${error.message}; ${note}`, error.phase, { source, cause: error });
  if (error instanceof UpstreamUnavailableError && error.upstreamStatus === undefined) {
    return new UpstreamUnavailableError(`${error.message}; ${note}`, { source, cause: error });
  }
  return error;
}

function notSentBecause(indexes: readonly number[], why: string): string {
  const list = indexes.length === 1 ? `record ${indexes[0]} was` : `records ${indexes.join(', ')} were`;
  return `not stored: ${list} ${why}, and without ignoreOnFailed Argus stores none of the request`;
}

function refuse(result: RecordOutcome, field: string | undefined, error: string): void {
  result.stored = false;
  result.error = error;
  if (field !== undefined) result.field = field;
}

function outcome(descriptor: Descriptor, results: RecordOutcome[]): SubmitOutcome {
  const stored = results.filter((result) => result.stored).length;
  return {
    descriptor: descriptor.shortName,
    success: stored === results.length,
    total: results.length,
    stored,
    refused: results.length - stored,
    results,
  };
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
