import { BadUserInputError } from '../../core/errors.js';
import { showValue } from '../../core/duration.js';
import type { TimeRange } from '../../core/time.js';
import type { AggregateQuery } from '../source.js';
import { criteriaFromParams, pushDownFilters, type ArgusCriteria } from './criteria.js';
import { CUSTOMER_LABEL, customerIsOwner, labelNames, type Descriptor, type DescriptorCatalog } from './descriptors.js';
import { toResolution, WHOLE_RANGE, type Resolution } from './resolution.js';
import { MAX_BUCKETS } from './search.js';

/**
 * Decides whether Argus can compute an aggregation exactly as the gateway would, and builds the
 * request bodies if so. Argus computes sum, avg, min, max and wavg (weighted by another value of
 * the same record) per group of key values and customer, per time bucket. What it cannot do
 * (other functions, exclusions, several values of one key, a weight from elsewhere, paging) is
 * answered `undefined`, and the gateway computes it from search results instead. What is wrong
 * whichever way it is computed (a label the descriptor does not have, WAVG without a weight) is
 * refused here, before anything is sent.
 */

export const PUSH_DOWN_FUNCTIONS = ['sum', 'avg', 'min', 'max', 'wavg'] as const;
export type PushDownFunction = (typeof PUSH_DOWN_FUNCTIONS)[number];

/**
 * Groups asked of Argus per groupBy key. Argus keeps the top `limit` values of each key, but in
 * which order it ranks them and how it shapes its "others" group are not published; the gateway
 * ranks by value and merges the rest itself, so it asks for every group.
 */
export const GROUP_FETCH_LIMIT = 10_000;

export interface AggregateValue {
  name: string;
  aggregationFunction: PushDownFunction;
  valueAsWeight?: string;
}

export interface AggregateBody extends ArgusCriteria, Resolution {
  values: AggregateValue[];
  groupBy?: Array<{ key: string; limit: number }>;
  groupByCustomer?: boolean;
  /** The shape of Argus's own "others" group is not published; it is not asked for. */
  includeOthers: false;
  startTimestamp: number;
  /** Argus's end is inclusive; the gateway's ranges are half-open. */
  endTimestamp: number;
}

export interface AggregatePlan {
  descriptor: Descriptor;
  value: string;
  fn: PushDownFunction;
  /** For wavg: the value that weighs each record. */
  weightValue?: string;
  /** With wavg and a limit: the weight's sum is asked for too, to weigh the "others" group. */
  weightSum: boolean;
  groupBy: readonly string[];
  limit?: number;
  range: TimeRange;
  intervalMs?: number;
  /** Groups (and buckets) as asked. */
  body: AggregateBody;
  /** The same groups over the whole range, when bucket values cannot be combined into it (avg, wavg). */
  totals?: AggregateBody;
  /** One group per series (every key and the customer), to count series per group. */
  seriesCount?: AggregateBody;
}

export function planAggregate(catalog: DescriptorCatalog, query: AggregateQuery): AggregatePlan | undefined {
  const source = catalog.sourceId;
  if (!(PUSH_DOWN_FUNCTIONS as readonly string[]).includes(query.fn)) return undefined;
  const fn = query.fn as PushDownFunction;
  const target = catalog.resolve(query.metric);
  const { descriptor } = target;
  if (target.values.length !== 1) {
    throw new BadUserInputError(
      `aggregate one value at a time: name ${target.values.map((value) => `${descriptor.shortName}.${value}`).join(' or ')}; got '${query.metric}'`,
      { field: 'metric', source },
    );
  }
  const value = target.values[0]!;
  const groupBy = checkGroupBy(descriptor, query.groupBy, source);

  let weightValue: string | undefined;
  if (fn === 'wavg') {
    const weightBy = query.weightBy?.trim();
    if (!weightBy) {
      throw new BadUserInputError(
        `function WAVG needs weightBy: the value of Argus descriptor ${descriptor.shortName} that weighs each record (${descriptor.values.map((v) => `${descriptor.shortName}.${v}`).join(', ')})`,
        { field: 'weightBy', source },
      );
    }
    weightValue = weightFrom(descriptor, weightBy);
    // A constant weight, or a metric of another descriptor: the gateway pairs those points itself.
    if (weightValue === undefined) return undefined;
  }

  const params = (query.params ?? {}) as Record<string, unknown>;
  // Paging picks which records a search sees; an aggregate over a page is the gateway's to compute.
  if ((params.limit ?? 0) !== 0 || (params.offset ?? 0) !== 0) return undefined;
  const { criteria, local } = pushDownFilters(descriptor, criteriaFromParams(descriptor, params, source), query.filters, source);
  if (local.length > 0) return undefined;

  const resolution = query.intervalMs === undefined ? WHOLE_RANGE : toResolution(query.intervalMs, source);
  if (query.intervalMs !== undefined) {
    const first = Math.floor(query.range.from / query.intervalMs) * query.intervalMs;
    const buckets = Math.ceil((query.range.to - first) / query.intervalMs);
    if (buckets > MAX_BUCKETS) {
      throw new BadUserInputError(
        `interval gives ${buckets} buckets over this range; at most ${MAX_BUCKETS} are allowed, so use a longer interval or a shorter range`,
        { field: 'interval', source },
      );
    }
  }

  if (query.limit !== undefined && (!Number.isInteger(query.limit) || query.limit < 1)) {
    throw new BadUserInputError(`limit must be a positive whole number of groups; got ${showValue(query.limit)}`, { field: 'limit', source });
  }
  const limit = query.limit !== undefined && groupBy.length > 0 ? query.limit : undefined;
  const weightSum = fn === 'wavg' && limit !== undefined && weightValue !== value;
  const values: AggregateValue[] = [{ name: value, aggregationFunction: fn, ...(weightValue ? { valueAsWeight: weightValue } : {}) }];
  if (weightSum) values.push({ name: weightValue!, aggregationFunction: 'sum' });

  const common = {
    startTimestamp: query.range.from,
    endTimestamp: query.range.to - 1,
    includeOthers: false as const,
    ...criteria,
  };
  const body: AggregateBody = { values, ...resolution, ...common, ...grouping(descriptor, groupBy) };
  const plan: AggregatePlan = { descriptor, value, fn, weightSum, groupBy, range: query.range, body };
  if (weightValue !== undefined) plan.weightValue = weightValue;
  if (limit !== undefined) plan.limit = limit;
  if (query.intervalMs !== undefined) {
    plan.intervalMs = query.intervalMs;
    if (fn === 'avg' || fn === 'wavg') plan.totals = { ...body, ...WHOLE_RANGE };
  }
  const everyLabel = labelNames(descriptor);
  if (!everyLabel.every((label) => groupBy.includes(label))) {
    plan.seriesCount = { values: [{ name: value, aggregationFunction: 'sum' }], ...WHOLE_RANGE, ...common, ...grouping(descriptor, everyLabel) };
  }
  return plan;
}

/** groupBy labels in Argus terms: keys with a limit each, and the owner customer as a flag. */
function grouping(descriptor: Descriptor, labels: readonly string[]): Pick<AggregateBody, 'groupBy' | 'groupByCustomer'> {
  const owner = customerIsOwner(descriptor);
  const keys = labels.filter((label) => !(owner && label === CUSTOMER_LABEL));
  const out: Pick<AggregateBody, 'groupBy' | 'groupByCustomer'> = {};
  if (keys.length > 0) out.groupBy = keys.map((key) => ({ key, limit: GROUP_FETCH_LIMIT }));
  if (keys.length !== labels.length) out.groupByCustomer = true;
  return out;
}

/** `frames` or `netstats.frames` name a value of this descriptor; anything else is not Argus's to weigh. */
function weightFrom(descriptor: Descriptor, weightBy: string): string | undefined {
  if (descriptor.values.includes(weightBy)) return weightBy;
  const prefix = `${descriptor.shortName}.`;
  if (weightBy.startsWith(prefix) && descriptor.values.includes(weightBy.slice(prefix.length))) return weightBy.slice(prefix.length);
  return undefined;
}

function checkGroupBy(descriptor: Descriptor, groupBy: readonly string[], source: string): string[] {
  const labels = labelNames(descriptor);
  for (const label of groupBy) {
    if (!labels.includes(label)) {
      throw new BadUserInputError(
        `groupBy must name labels of Argus descriptor ${descriptor.shortName} (${labels.join(', ')}); got '${label}'`,
        { field: 'groupBy', source },
      );
    }
  }
  const unique = [...new Set(groupBy)];
  if (unique.length !== groupBy.length) throw new BadUserInputError(`groupBy names a label twice: ${showValue(groupBy)}`, { field: 'groupBy', source });
  return unique;
}
