import { BadUserInputError } from '../../core/errors.js';
import { showValue } from '../../core/duration.js';
import type { LabelFilter } from '../../core/series.js';
import { CUSTOMER_LABEL, customerIsOwner, labelNames, type Descriptor } from './descriptors.js';

/**
 * The record selection Argus search and aggregate share: exact key values (`keys`), owner
 * customers by id or shortName (`customer`), and nested criteria (`subCriteria`) passed through as
 * the client wrote them. Label filters that say the same thing move into these fields, so Argus
 * does the filtering; the rest are applied by the gateway (search) or refused (aggregate).
 */

export type KeyValue = string | number;

export interface ArgusCriteria {
  keys?: Record<string, KeyValue>;
  customer?: string[];
  subCriteria?: Array<Record<string, unknown>>;
}

export interface CriteriaParams {
  keys?: unknown;
  customer?: unknown;
  subCriteria?: unknown;
}

/** Checks the client's `argus: {keys, customer, subCriteria}` against the descriptor. */
export function criteriaFromParams(descriptor: Descriptor, params: CriteriaParams, source: string): ArgusCriteria {
  const criteria: ArgusCriteria = {};
  if (params.keys != null) criteria.keys = parseKeys(descriptor, params.keys, source);
  if (params.customer != null) {
    const customers = params.customer;
    if (!Array.isArray(customers) || customers.some((customer) => typeof customer !== 'string' || customer.trim() === '')) {
      throw new BadUserInputError(`argus.customer must be a list of customer ids or shortNames; got ${showValue(customers)}`, { field: 'argus.customer', source });
    }
    if (descriptor.global) {
      throw new BadUserInputError(
        `Argus descriptor ${descriptor.shortName} is global: its records belong to no customer, so argus.customer cannot select any; drop it`,
        { field: 'argus.customer', source },
      );
    }
    if (customers.length > 0) criteria.customer = customers as string[];
  }
  if (params.subCriteria != null) {
    const sub = params.subCriteria;
    if (!Array.isArray(sub) || sub.some((item) => item === null || typeof item !== 'object' || Array.isArray(item))) {
      throw new BadUserInputError(
        `argus.subCriteria must be a list of criteria objects like [{ "keys": { "vlan": 10 }, "required": false }]; got ${showValue(sub)}`,
        { field: 'argus.subCriteria', source },
      );
    }
    if (sub.length > 0) criteria.subCriteria = sub as Array<Record<string, unknown>>;
  }
  return criteria;
}

/**
 * Moves label filters Argus can apply into the criteria: one included value of a key becomes
 * `keys[k]`, included customers become `customer`. Returns the filters left over. A filter on a
 * label the descriptor does not have would silently match nothing, so it is refused.
 */
export function pushDownFilters(
  descriptor: Descriptor,
  criteria: ArgusCriteria,
  filters: readonly LabelFilter[],
  source: string,
): { criteria: ArgusCriteria; local: LabelFilter[] } {
  const labels = labelNames(descriptor);
  const out: ArgusCriteria = { ...criteria, ...(criteria.keys ? { keys: { ...criteria.keys } } : {}) };
  const local: LabelFilter[] = [];
  for (const filter of filters) {
    if (!labels.includes(filter.key)) {
      throw new BadUserInputError(
        `filters[].key must be a label of Argus descriptor ${descriptor.shortName} (${labels.join(', ')}); got '${filter.key}'`,
        { field: 'filters', source },
      );
    }
    if (filter.exclude || filter.values.length === 0) {
      local.push(filter);
    } else if (filter.key === CUSTOMER_LABEL && customerIsOwner(descriptor)) {
      if (out.customer === undefined) out.customer = [...filter.values];
      else local.push(filter);
    } else if (filter.values.length === 1 && out.keys?.[filter.key] === undefined) {
      const key = descriptor.keys.find((candidate) => candidate.name === filter.key)!;
      const value = filter.values[0]!;
      out.keys = { ...out.keys, [filter.key]: key.type === 'integer' && /^-?\d+$/.test(value) ? Number(value) : value };
    } else {
      local.push(filter);
    }
  }
  return { criteria: out, local };
}

function parseKeys(descriptor: Descriptor, raw: unknown, source: string): Record<string, KeyValue> {
  const names = descriptor.keys.map((key) => key.name);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new BadUserInputError(
      `argus.keys must be an object of key values like { "${names[0]}": "..." }; got ${showValue(raw)}`,
      { field: 'argus.keys', source },
    );
  }
  const out: Record<string, KeyValue> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!names.includes(name)) {
      throw new BadUserInputError(
        `argus.keys.${name} is not a key of Argus descriptor ${descriptor.shortName}; its keys are ${names.join(', ')}`,
        { field: `argus.keys.${name}`, source },
      );
    }
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
      throw new BadUserInputError(
        `argus.keys.${name} must be one string or number (Argus matches keys exactly; for several values use filters); got ${showValue(value)}`,
        { field: `argus.keys.${name}`, source },
      );
    }
    out[name] = value;
  }
  return out;
}
