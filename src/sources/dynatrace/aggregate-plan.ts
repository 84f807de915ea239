import { validateAggregateSpec } from '../../core/aggregate.js';
import { MS } from '../../core/duration.js';
import type { TimeRange } from '../../core/time.js';
import type { AggregateQuery } from '../source.js';
import type { DynatraceDescriptor } from './descriptors.js';
import type { ResolvedMetric } from './mappings.js';
import type { DynatraceParams } from './params.js';
import type { CallScope } from './plan.js';
import { metricExpression } from './selector.js';

/**
 * Decides whether Dynatrace can compute an aggregation exactly as the gateway would, and builds
 * the expressions of the /metrics/query call if so.
 *
 * What the gateway computes otherwise (src/graphql/run-aggregate.ts): it asks `query()` for the
 * metric without an interval, so Dynatrace answers at its default resolution (about 120 points
 * over the range it is asked for), one series per dimension tuple, each slot holding the metric's
 * default aggregation; then it reduces those slot values per group and bucket. Dynatrace can only
 * give the same numbers where its own statistics are made of the same values:
 *
 * - The metric must hold one value per series and minute. Dynatrace says so by offering only
 *   `auto` and `value` (counts such as requestCount, cpu.time). A gauge's minute may summarise
 *   many samples (a response time has one per request; ingest takes `gauge,min=,max=,sum=,count=`),
 *   so its `:max` or `:count` are about samples while the gateway sees minute averages.
 * - `sum` of such a metric adds up over slots of any length. `count`, `min`, `max` and `avg`
 *   count or compare single values, which the gateway sees only when the default slot is one
 *   minute; the answer's `resolution` is checked before anything is used.
 * - median and percentile are estimated by Dynatrace (its metrics FAQ says so), while the gateway
 *   interpolates between ranks; first, last, rate, stddev and wavg have no transformation.
 *
 * The call asks for exactly what the gateway's own read asks (same from, to and no resolution,
 * so the same slots) with the series merged per group by `:splitBy`, one expression per
 * statistic (sum and count for an average), plus one `:fold`ed point per series to count the
 * series of each group. Buckets, the whole-range value, top-N and "others" are then worked out in
 * the gateway from per-slot group statistics, which merge exactly (sums and counts add up, minima
 * and maxima compare). Dynatrace's own `:sort(..):limit(n)` is not used: the "others" group needs
 * the groups beyond the limit anyway, and its remainder series is not exact.
 */

export const PUSH_DOWN_FUNCTIONS = ['sum', 'avg', 'min', 'max', 'count'] as const;
export type PushDownFunction = (typeof PUSH_DOWN_FUNCTIONS)[number];

/** A per-slot statistic Dynatrace computes for a group: an aggregation transformation. */
export type Statistic = 'sum' | 'count' | 'min' | 'max';

/** Data points Dynatrace answers by default (`resolution` absent): the API reference's 120. */
export const DEFAULT_POINTS = 120;

/** Aggregations a metric offers when each of its series holds one value per minute. */
const SINGLE_VALUE_AGGREGATIONS: ReadonlySet<string> = new Set(['auto', 'value']);

const STATISTICS: Readonly<Record<PushDownFunction, readonly Statistic[]>> = {
  sum: ['sum'],
  count: ['count'],
  min: ['min'],
  max: ['max'],
  avg: ['sum', 'count'],
};

export interface AggregatePlan {
  /** The Dynatrace key. */
  key: string;
  fn: PushDownFunction;
  groupBy: readonly string[];
  /** Top groups to keep; only with groupBy. */
  limit?: number;
  /** The range values are computed over (slots whose start lies in it). */
  range: TimeRange;
  intervalMs?: number;
  /** One expression per statistic, merged per group. */
  statistics: ReadonlyArray<{ statistic: Statistic; expression: string }>;
  /** One folded point per series: its labels tell which group it belongs to. */
  seriesExpression: string;
  /** The call's frame: the one the gateway's own read would ask for, with its entity scope. */
  scope: CallScope;
  /** Only sums hold over slots longer than a minute. */
  needsMinuteSlots: boolean;
}

export interface PlanInput {
  query: AggregateQuery;
  params: DynatraceParams;
  resolved: ResolvedMetric;
  /** The key's entry in the metric catalogue. */
  descriptor: DynatraceDescriptor | undefined;
}

export type PlanOutcome = { plan: AggregatePlan } | { unsupported: string };

export function planAggregate({ query, params, resolved, descriptor }: PlanInput): PlanOutcome {
  const fn = query.fn;
  if (fn === 'median' || fn === 'percentile') return { unsupported: `${fn}: Dynatrace estimates percentiles; the gateway computes them exactly` };
  if (!(PUSH_DOWN_FUNCTIONS as readonly string[]).includes(fn)) return { unsupported: `${fn}: no Dynatrace transformation computes it` };
  const pushed = fn as PushDownFunction;
  // Wrong whichever way it is computed: refused with the gateway's own words, before anything is sent.
  validateAggregateSpec({ fn, limit: query.limit });

  if (params.splitBy !== undefined || params.aggregation !== undefined) {
    return { unsupported: 'dynatrace.splitBy and dynatrace.aggregation reshape the series the gateway aggregates' };
  }
  if (!descriptor) return { unsupported: `the metric catalogue does not list ${resolved.key}` };
  const offered = descriptor.aggregationTypes;
  if (!Array.isArray(offered) || offered.length === 0 || !offered.every((type) => SINGLE_VALUE_AGGREGATIONS.has(type))) {
    return { unsupported: `${resolved.key} offers ${JSON.stringify(offered ?? null)}: its minutes may summarise several samples` };
  }
  const groupBy = [...new Set(query.groupBy)];
  const dimensions = descriptor.dimensionDefinitions?.map((definition) => definition.key);
  const foreign = dimensions ? groupBy.filter((key) => !dimensions.includes(key)) : [];
  if (foreign.length > 0) return { unsupported: `${resolved.key} has no dimension ${foreign.join(', ')}` };

  const read = query.readRange ?? query.range;
  const needsMinuteSlots = pushed !== 'sum';
  if (needsMinuteSlots && read.to - read.from > DEFAULT_POINTS * MS.MINUTE) {
    return { unsupported: `${fn} over more than ${DEFAULT_POINTS} minutes: the default slot is longer than a minute` };
  }

  const scope: CallScope = { from: read.from, to: read.to };
  if (params.entitySelector !== undefined) scope.entitySelector = params.entitySelector;
  if (params.mzSelector !== undefined) scope.mzSelector = params.mzSelector;
  const plan: AggregatePlan = {
    key: resolved.key,
    fn: pushed,
    groupBy,
    range: query.range,
    statistics: STATISTICS[pushed].map((statistic) => ({
      statistic,
      expression: metricExpression({ key: resolved.key, filters: query.filters, splitBy: groupBy, aggregation: statistic }),
    })),
    seriesExpression: `${metricExpression({ key: resolved.key, filters: query.filters })}:fold`,
    scope,
    needsMinuteSlots,
  };
  if (query.limit !== undefined && groupBy.length > 0) plan.limit = query.limit;
  if (query.intervalMs !== undefined) plan.intervalMs = query.intervalMs;
  return { plan };
}
