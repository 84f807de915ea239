import { BadUserInputError } from '../../core/errors.js';
import { showValue } from '../../core/duration.js';

/**
 * The `dynatrace: {...}` argument of metricData, checked. Selectors pass through to Dynatrace as
 * given (it validates them and its 400 names the problem); what the gateway itself interprets is
 * checked here.
 */
export type Origin = 'AUTO' | 'API' | 'EXPORTS';

export interface DynatraceParams {
  entitySelector?: string;
  mzSelector?: string;
  splitBy?: readonly string[];
  aggregation?: string;
  origin: Origin;
}

const AGGREGATIONS = ['auto', 'avg', 'count', 'max', 'median', 'min', 'sum', 'value'];
const PERCENTILE = /^percentile\((\d+(?:\.\d+)?)\)$/;
/** Longest entitySelector the API accepts. */
const MAX_ENTITY_SELECTOR = 10_000;

export function parseParams(raw: Readonly<Record<string, unknown>> | undefined): DynatraceParams {
  const params: DynatraceParams = { origin: 'AUTO' };
  if (raw === undefined) return params;
  const entitySelector = optionalText(raw.entitySelector, 'entitySelector', MAX_ENTITY_SELECTOR);
  if (entitySelector !== undefined) params.entitySelector = entitySelector;
  const mzSelector = optionalText(raw.mzSelector, 'mzSelector', MAX_ENTITY_SELECTOR);
  if (mzSelector !== undefined) params.mzSelector = mzSelector;

  if (raw.splitBy != null) {
    if (!Array.isArray(raw.splitBy) || raw.splitBy.some((key) => typeof key !== 'string' || key.trim() === '')) {
      throw new BadUserInputError(`dynatrace.splitBy must be a list of dimension keys (an empty list merges every series into one); got ${showValue(raw.splitBy)}`, { field: 'dynatrace.splitBy' });
    }
    params.splitBy = [...new Set(raw.splitBy as string[])];
  }

  if (raw.aggregation != null) {
    const aggregation = String(raw.aggregation).trim();
    const percentile = PERCENTILE.exec(aggregation);
    const valid = AGGREGATIONS.includes(aggregation) || (percentile !== null && Number(percentile[1]) <= 100);
    if (!valid) {
      throw new BadUserInputError(
        `dynatrace.aggregation must be one of ${AGGREGATIONS.join(', ')} or percentile(N) with N from 0 to 100; got ${showValue(raw.aggregation)}`,
        { field: 'dynatrace.aggregation' },
      );
    }
    params.aggregation = aggregation;
  }

  if (raw.origin != null) {
    if (raw.origin !== 'AUTO' && raw.origin !== 'API' && raw.origin !== 'EXPORTS') {
      throw new BadUserInputError(`dynatrace.origin must be AUTO, API or EXPORTS; got ${showValue(raw.origin)}`, { field: 'dynatrace.origin' });
    }
    params.origin = raw.origin;
  }
  return params;
}

function optionalText(value: unknown, name: string, maxChars: number): string | undefined {
  if (value == null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new BadUserInputError(`dynatrace.${name} must be a non-empty selector string; got ${showValue(value)}`, { field: `dynatrace.${name}` });
  }
  if (value.length > maxChars) {
    throw new BadUserInputError(`dynatrace.${name} may be at most ${maxChars} characters; got ${value.length}`, { field: `dynatrace.${name}` });
  }
  return value.trim();
}
