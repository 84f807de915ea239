import { BadUserInputError } from '../../core/errors.js';
import { showValue } from '../../core/duration.js';
import type { LabelFilter } from '../../core/series.js';
import type { MetricQuery } from '../source.js';
import { metricPath, type ArgusClient } from './client.js';
import { criteriaFromParams, pushDownFilters, type ArgusCriteria } from './criteria.js';
import type { Descriptor } from './descriptors.js';
import { ArgusRequestError, relabelField } from './envelope.js';
import { readRecord, type RecordView } from './records.js';

/**
 * `POST /metrics/v1/metric/{descriptor}/search`: the records of one descriptor in a time range.
 *
 * Argus searches Elasticsearch, which pages only through the first 10,000 hits: `limit` and
 * `limit + offset` may not pass 10000, and `limit: 0` ("all of them") fails when more than 10000
 * match. The gateway refuses a request that cannot fit before sending it, and sends `limit: 0`
 * when the client names no limit, so an answer is complete or is an error, never silently cut.
 */

export const SEARCH_WINDOW = 10_000;
/** Largest number of buckets one series may have after resampling. */
export const MAX_BUCKETS = 10_000;

/** How a search can be made to fit the window. */
export const NARROW_WAYS =
  'a shorter range (from/to), exact key values (filters or argus.keys), fewer customers (argus.customer), ' +
  'or pages with argus.limit and argus.offset inside the first 10000 records';

export interface SearchBody extends ArgusCriteria {
  startTimestamp: number;
  /** Argus's end is inclusive; the gateway's ranges are half-open, so this is `to - 1`. */
  endTimestamp: number;
  limit: number;
  offset?: number;
  sortBy?: string[];
}

export interface SearchPlan {
  descriptor: Descriptor;
  body: SearchBody;
  /** Filters Argus cannot apply, matched by the gateway against series labels. */
  localFilters: LabelFilter[];
}

export interface SearchParams {
  keys?: unknown;
  customer?: unknown;
  subCriteria?: unknown;
  sortBy?: unknown;
  limit?: unknown;
  offset?: unknown;
}

/** Builds the search body for one descriptor of a query, or throws BAD_USER_INPUT before anything is sent. */
export function planSearch(descriptor: Descriptor, query: MetricQuery, source: string): SearchPlan {
  const params = (query.params ?? {}) as SearchParams;
  if (query.intervalMs !== undefined) {
    const buckets = Math.ceil((query.range.to - query.range.from) / query.intervalMs);
    if (buckets > MAX_BUCKETS) {
      throw new BadUserInputError(
        `interval gives ${buckets} points per series over this range; at most ${MAX_BUCKETS} are allowed, so use a longer interval or a shorter range`,
        { field: 'interval', source },
      );
    }
  }
  const { criteria, local } = pushDownFilters(descriptor, criteriaFromParams(descriptor, params, source), query.filters, source);
  const body: SearchBody = {
    startTimestamp: query.range.from,
    endTimestamp: query.range.to - 1,
    ...window(params, source),
    ...criteria,
  };
  if (params.sortBy != null) body.sortBy = sortBy(params.sortBy, source);
  return { descriptor, body, localFilters: local };
}

/** Sends one search and reads its records. Argus's field names in a refusal become the gateway's. */
export async function runSearch(client: ArgusClient, plan: SearchPlan, signal: AbortSignal | undefined): Promise<RecordView[]> {
  try {
    const envelope = await client.post(metricPath(plan.descriptor.shortName, 'search'), plan.body, { idempotent: true, ...(signal ? { signal } : {}) });
    const data = Array.isArray(envelope.data) ? envelope.data : [];
    return data.map((raw) => readRecord(raw, client.sourceId));
  } catch (error) {
    throw relabelField(withNarrowHint(error), searchField);
  }
}

function window(params: SearchParams, source: string): { limit: number; offset?: number } {
  const limit = params.limit ?? 0;
  const offset = params.offset ?? 0;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0 || limit > SEARCH_WINDOW) {
    throw new BadUserInputError(
      `argus.limit must be a whole number from 1 to ${SEARCH_WINDOW}, or 0 for every matching record; got ${showValue(limit)}`,
      { field: 'argus.limit', source },
    );
  }
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
    throw new BadUserInputError(`argus.offset must be a whole number of records to skip (0 or more); got ${showValue(offset)}`, { field: 'argus.offset', source });
  }
  if (limit > 0 && limit + offset > SEARCH_WINDOW) {
    throw new BadUserInputError(
      `Argus pages only through the first ${SEARCH_WINDOW} matching records (limit + offset <= ${SEARCH_WINDOW}); ` +
        `got limit ${limit} + offset ${offset} = ${limit + offset}; narrow the search: ${NARROW_WAYS}`,
      { field: 'argus.limit', source },
    );
  }
  if (limit === 0 && offset >= SEARCH_WINDOW) {
    throw new BadUserInputError(
      `Argus pages only through the first ${SEARCH_WINDOW} matching records; got offset ${offset}; narrow the search: ${NARROW_WAYS}`,
      { field: 'argus.offset', source },
    );
  }
  return offset > 0 ? { limit, offset } : { limit };
}

function sortBy(raw: unknown, source: string): string[] {
  if (!Array.isArray(raw) || raw.some((item) => typeof item !== 'string' || item.trim() === '')) {
    throw new BadUserInputError(`argus.sortBy must be a list of key or value names (prefix - for descending); got ${showValue(raw)}`, { field: 'argus.sortBy', source });
  }
  return raw as string[];
}

/** Argus refuses `limit: 0` over more than 10000 hits with a field error on limit; say how to narrow. */
function withNarrowHint(error: unknown): unknown {
  if (!(error instanceof ArgusRequestError) || !error.fields().includes('limit')) return error;
  return new ArgusRequestError(`${error.message} (ways to narrow it: ${NARROW_WAYS})`, error.messages, {
    source: error.source,
    upstreamStatus: error.upstreamStatus,
    field: 'limit',
    cause: error,
  });
}

function searchField(field: string): string {
  if (field === 'startTimestamp') return 'from';
  if (field === 'endTimestamp') return 'to';
  return `argus.${field}`;
}
