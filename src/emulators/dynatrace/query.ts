import type { EmulatedRequest, EmulatorReply } from '../server.js';
import { EntitySelectorError, parseEntitySelector, parseMzSelector } from './entity-selector.js';
import { errorReply, violation } from './envelope.js';
import type { Catalogue, EmulatedMetric, EmulatedSeries, SeriesEntity } from './metrics.js';
import { parseMetricSelector, SelectorError, type Aggregation, type Condition, type Expression, type SortKey } from './selector.js';
import { formatSlot, parseTimeParam, slotFor, TimeParamError } from './time.js';

/**
 * GET /api/v2/metrics/query. The time frame widens outward to whole slots; each data point is
 * stamped with the END of its slot; a slot without data is null. A filter or split on a
 * dimension the metric does not have yields no series and a warning, as the real API does.
 *
 * Transformations run left to right, as the metric selector reference describes them:
 * - `:splitBy(k..)` keeps only series that have every key, and merges the rest of the
 *   dimensions; after it any aggregation may follow, even one the metric itself does not offer.
 * - An aggregation (`:sum`, `:percentile(95)`) picks how each slot's values combine; without
 *   one the metric's default does (sum for counts, avg for gauges).
 * - `:fold(agg)` makes one value of the whole frame with `agg` (the default when the metric does
 *   not offer `agg`). After an aggregation its argument is ignored and the slot values are
 *   summed: the metrics FAQ's "the semantics of the metric are lost" (why
 *   `:splitBy():avg:fold` of a percentage can pass 100).
 * - `:sort(value(agg,dir))` orders series by `agg` over their data points, `:sort(dimension(..))`
 *   by a dimension value; `:limit(n)` keeps the first n series.
 * The emulator keeps one value per series and minute, so `:count` counts series-minutes.
 */

const MAX_METRICS = 10;
const MAX_POINTS_PER_SERIES = 10_080;
const MAX_POINTS_READ = 20_000_000;
const MINUTE = 60_000;

export function handleQuery(request: EmulatedRequest, catalogue: Catalogue, now: number): EmulatorReply {
  const accept = request.headers.accept;
  if (typeof accept === 'string' && accept.trim() !== '' && !/application\/json|\*\/\*|application\/\*/.test(accept)) {
    return errorReply(406, `Not acceptable: the emulator answers application/json only; got Accept: ${accept}`);
  }
  const params = request.url.searchParams;
  const selector = params.get('metricSelector');
  if (selector === null || selector.trim() === '') return violation('metricSelector', 'must not be empty');

  let from: number;
  let to: number;
  let slotMs: number;
  try {
    from = parseTimeParam(params.get('from') ?? 'now-2h', 'from', now);
    to = parseTimeParam(params.get('to') ?? 'now', 'to', now);
    if (from >= to) return violation('from', `The requested timeframe is empty or negative: from ${from} must be before to ${to}`);
    slotMs = slotFor(params.get('resolution'), from, to);
  } catch (error) {
    if (error instanceof TimeParamError) return violation(error.parameter, error.message);
    throw error;
  }

  let expressions: Expression[];
  try {
    expressions = parseMetricSelector(selector);
  } catch (error) {
    if (error instanceof SelectorError) return violation('metricSelector', error.message);
    throw error;
  }
  if (expressions.length > MAX_METRICS) {
    return violation('metricSelector', `The metric selector selects ${expressions.length} metrics; at most ${MAX_METRICS} metrics can be queried at once`);
  }
  const unknown = [...new Set(expressions.map((expression) => expression.key).filter((key) => !catalogue.byKey.has(key)))];
  if (unknown.length > 0) return errorReply(404, `Metric selector contains unknown metric key(s): ${unknown.join(', ')}`);

  let scope: (entity: SeriesEntity | undefined) => boolean;
  try {
    const entityParam = params.get('entitySelector');
    const mzParam = params.get('mzSelector');
    const entity = entityParam ? parseEntitySelector(entityParam) : undefined;
    const zone = mzParam ? parseMzSelector(mzParam) : undefined;
    scope = (target) => (!entity || (target !== undefined && entity(target))) && (!zone || (target !== undefined && zone(target)));
  } catch (error) {
    if (error instanceof EntitySelectorError) return violation(params.get('entitySelector') ? 'entitySelector' : 'mzSelector', error.message);
    throw error;
  }

  for (const expression of expressions) {
    const metric = catalogue.byKey.get(expression.key)!;
    try {
      for (const transform of expression.transforms) {
        if (transform.kind === 'filter') transform.conditions.flatMap(entitySelectorsOf).forEach((text) => parseEntitySelector(text));
      }
    } catch (error) {
      if (error instanceof EntitySelectorError) return violation('metricSelector', error.message);
      throw error;
    }
    const refused = unsupportedAggregation(expression, metric);
    if (refused) {
      return violation('metricSelector', `Aggregation ${refused.type} is not supported by metric ${expression.key}; supported: ${metric.descriptor.aggregationTypes.join(', ')}`);
    }
  }

  const frame = Number.isFinite(slotMs)
    ? { from: Math.floor(from / slotMs) * slotMs, to: Math.ceil(to / slotMs) * slotMs }
    : { from, to };
  const slots = Number.isFinite(slotMs) ? (frame.to - frame.from) / slotMs : 1;
  if (slots > MAX_POINTS_PER_SERIES) {
    return violation('resolution', `The resolution gives ${slots} data points per series; at most ${MAX_POINTS_PER_SERIES} are allowed`);
  }
  const seriesRead = expressions.reduce((sum, expression) => sum + catalogue.byKey.get(expression.key)!.series.length, 0);
  const pointsRead = seriesRead * Math.ceil((frame.to - frame.from) / MINUTE);
  if (pointsRead > MAX_POINTS_READ) {
    return violation('metricSelector', `The query would read ${pointsRead} data points; at most ${MAX_POINTS_READ} are allowed. Narrow the timeframe or the selector`);
  }

  const allWarnings: string[] = [];
  let totalCount = 0;
  const result = expressions.map((expression) => {
    const metric = catalogue.byKey.get(expression.key)!;
    const answer = evaluate(expression, metric, scope, frame, slotMs);
    allWarnings.push(...answer.warnings);
    totalCount += answer.data.length;
    const entry: Record<string, unknown> = {
      metricId: expression.text,
      dataPointCountRatio: Number(((answer.data.length * slots) / 20_000_000).toFixed(7)),
      dimensionCountRatio: Number((answer.data.length / 100_000).toFixed(5)),
      data: answer.data,
    };
    if (answer.warnings.length > 0) entry.warnings = answer.warnings;
    return entry;
  });
  const body: Record<string, unknown> = { totalCount, nextPageKey: null, resolution: formatSlot(slotMs), result };
  if (allWarnings.length > 0) body.warnings = [...new Set(allWarnings)];
  return { status: 200, body };
}

/**
 * The first aggregation transformation the metric does not offer, when it comes before any
 * space aggregation (after `:splitBy` every aggregation is allowed). `:fold`'s argument is not
 * checked: an unsupported one falls back to the default.
 */
function unsupportedAggregation(expression: Expression, metric: EmulatedMetric): Aggregation | undefined {
  let merged = false;
  for (const transform of expression.transforms) {
    if (transform.kind === 'splitBy') merged = true;
    if (transform.kind === 'aggregation' && !merged && !offers(metric, transform.aggregation)) return transform.aggregation;
  }
  return undefined;
}

function offers(metric: EmulatedMetric, aggregation: Aggregation): boolean {
  return aggregation.type === 'auto' || metric.descriptor.aggregationTypes.includes(aggregation.type);
}

interface DataItem {
  dimensions: string[];
  dimensionMap: Record<string, string>;
  timestamps: number[];
  values: Array<number | null>;
}

interface Group {
  dimensionMap: Record<string, string>;
  members: EmulatedSeries[];
}

/** How a series' minutes become data points, as the transformations so far have set it. */
interface Shaping {
  aggregation: Aggregation | undefined;
  /** An aggregation transformation has run: a later fold sums slot values. */
  aggregated: boolean;
  fold: { kind: 'whole-frame'; aggregation: Aggregation | undefined } | { kind: 'sum-of-slots' } | undefined;
}

function evaluate(
  expression: Expression,
  metric: EmulatedMetric,
  scope: (entity: SeriesEntity | undefined) => boolean,
  frame: { from: number; to: number },
  slotMs: number,
): { data: DataItem[]; warnings: string[] } {
  const known = new Set(metric.descriptor.dimensionDefinitions.map((definition) => definition.key));
  const missing = new Set<string>();
  let groups: Group[] = metric.series.filter((candidate) => scope(candidate.entity)).map((member) => ({ dimensionMap: { ...member.dimensions }, members: [member] }));
  const shaping: Shaping = { aggregation: undefined, aggregated: false, fold: undefined };
  let merged = false;
  const slotList: Array<[number, number]> = [];
  if (!Number.isFinite(slotMs)) slotList.push([frame.from, frame.to]);
  else for (let start = frame.from; start < frame.to; start += slotMs) slotList.push([start, start + slotMs]);

  for (const transform of expression.transforms) {
    switch (transform.kind) {
      case 'filter':
        for (const condition of transform.conditions) referencedKeys(condition).forEach((key) => known.has(key) || missing.add(key));
        groups = groups
          .map((group) => ({ ...group, members: group.members.filter((member) => transform.conditions.every((condition) => matches(condition, member))) }))
          .filter((group) => group.members.length > 0);
        break;
      case 'splitBy':
        transform.keys.forEach((key) => known.has(key) || missing.add(key));
        groups = regroup(groups, transform.keys);
        merged = true;
        break;
      case 'aggregation':
        shaping.aggregation = transform.aggregation;
        shaping.aggregated = true;
        break;
      case 'fold':
        shaping.fold = shaping.aggregated
          ? { kind: 'sum-of-slots' }
          : { kind: 'whole-frame', aggregation: transform.aggregation && (merged || offers(metric, transform.aggregation)) ? transform.aggregation : undefined };
        break;
      case 'sort':
        groups = sortGroups(groups, transform.keys, metric.fold, (group) => pointsOf(group, slotList, frame, shaping, metric.fold).values);
        break;
      case 'limit':
        groups = groups.slice(0, transform.count);
        break;
    }
  }
  if (missing.size > 0) {
    return { data: [], warnings: [...missing].map((key) => `The dimension key \`${key}\` has been referenced, but the metric has no such key.`) };
  }

  const order = metric.descriptor.dimensionDefinitions.map((definition) => definition.key);
  const data: DataItem[] = [];
  for (const group of groups) {
    const { timestamps, values } = pointsOf(group, slotList, frame, shaping, metric.fold);
    if (values.every((value) => value === null)) continue;
    data.push({
      dimensions: order.filter((key) => group.dimensionMap[key] !== undefined).map((key) => group.dimensionMap[key]!),
      dimensionMap: group.dimensionMap,
      timestamps,
      values,
    });
  }
  return { data, warnings: [] };
}

/** Merges series that agree on `keys`; series without one of the keys drop out, as documented. */
function regroup(groups: readonly Group[], keys: readonly string[]): Group[] {
  const byKey = new Map<string, Group>();
  for (const member of groups.flatMap((group) => group.members)) {
    if (keys.some((key) => member.dimensions[key] === undefined)) continue;
    const dimensionMap = Object.fromEntries(keys.map((key) => [key, member.dimensions[key]!]));
    const id = JSON.stringify(keys.map((key) => dimensionMap[key]));
    let group = byKey.get(id);
    if (!group) byKey.set(id, (group = { dimensionMap, members: [] }));
    group.members.push(member);
  }
  return [...byKey.values()];
}

function pointsOf(
  group: Group,
  slots: ReadonlyArray<[number, number]>,
  frame: { from: number; to: number },
  shaping: Shaping,
  fold: 'sum' | 'avg',
): { timestamps: number[]; values: Array<number | null> } {
  const { fold: folding } = shaping;
  if (folding?.kind === 'whole-frame') return { timestamps: [frame.to], values: [aggregate(group.members, frame.from, frame.to, folding.aggregation, fold)] };
  const values = slots.map(([start, end]) => aggregate(group.members, start, end, shaping.aggregation, fold));
  if (folding?.kind === 'sum-of-slots') {
    const present = values.filter((value): value is number => value !== null);
    return { timestamps: [frame.to], values: [present.length === 0 ? null : present.reduce((sum, value) => sum + value, 0)] };
  }
  return { timestamps: slots.map(([, end]) => end), values };
}

/** Stable: series equal on every key keep their order. A series without data sorts last. */
function sortGroups(groups: readonly Group[], keys: readonly SortKey[], fold: 'sum' | 'avg', valuesOf: (group: Group) => Array<number | null>): Group[] {
  const sortValues = new Map<Group, Array<number | string | null>>();
  for (const group of groups) {
    sortValues.set(
      group,
      keys.map((key) => (key.by === 'value' ? reduceValues(valuesOf(group).filter((value): value is number => value !== null), key.aggregation, fold) : (group.dimensionMap[key.key] ?? null))),
    );
  }
  const compareKey = (key: SortKey, a: number | string | null, b: number | string | null): number => {
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
    let order: number;
    if (typeof a === 'number' && typeof b === 'number') order = a - b;
    else if (key.by === 'dimension' && key.type === 'natural') order = String(a).localeCompare(String(b), 'en', { numeric: true });
    else order = String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
    return key.direction === 'descending' ? -order : order;
  };
  return [...groups].sort((a, b) => {
    const left = sortValues.get(a)!;
    const right = sortValues.get(b)!;
    for (let i = 0; i < keys.length; i++) {
      const order = compareKey(keys[i]!, left[i]!, right[i]!);
      if (order !== 0) return order;
    }
    return 0;
  });
}

function aggregate(members: readonly EmulatedSeries[], start: number, end: number, aggregation: Aggregation | undefined, fold: 'sum' | 'avg'): number | null {
  const values: number[] = [];
  for (let minute = Math.ceil(start / MINUTE); minute * MINUTE < end; minute++) {
    for (const member of members) {
      const value = member.minute(minute);
      if (value !== null) values.push(value);
    }
  }
  return reduceValues(values, aggregation, fold);
}

function reduceValues(values: readonly number[], aggregation: Aggregation | undefined, fold: 'sum' | 'avg'): number | null {
  if (values.length === 0) return null;
  const type = !aggregation || aggregation.type === 'auto' ? (fold === 'sum' ? 'sum' : 'avg') : aggregation.type === 'value' ? 'sum' : aggregation.type;
  switch (type) {
    case 'sum':
      return values.reduce((sum, value) => sum + value, 0);
    case 'avg':
      return values.reduce((sum, value) => sum + value, 0) / values.length;
    case 'count':
      return values.length;
    case 'min':
      return values.reduce((min, value) => (value < min ? value : min), Infinity);
    case 'max':
      return values.reduce((max, value) => (value > max ? value : max), -Infinity);
    case 'median':
      return percentile(values, 50);
    case 'percentile':
      return percentile(values, aggregation!.percentile ?? 50);
  }
  return null;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

function entitySelectorsOf(condition: Condition): string[] {
  if ('items' in condition) return condition.items.flatMap(entitySelectorsOf);
  if ('item' in condition) return entitySelectorsOf(condition.item);
  return condition.op === 'in' ? [condition.entitySelector] : [];
}

function referencedKeys(condition: Condition): string[] {
  if ('items' in condition) return condition.items.flatMap(referencedKeys);
  if ('item' in condition) return referencedKeys(condition.item);
  return [condition.key];
}

function matches(condition: Condition, series: EmulatedSeries): boolean {
  switch (condition.op) {
    case 'and':
      return condition.items.every((item) => matches(item, series));
    case 'or':
      return condition.items.some((item) => matches(item, series));
    case 'not':
      return !matches(condition.item, series);
    case 'existsKey':
      return series.dimensions[condition.key] !== undefined;
    case 'in': {
      const value = series.dimensions[condition.key];
      if (value === undefined || !series.entity || series.entity.id !== value) return false;
      return parseEntitySelector(condition.entitySelector)(series.entity);
    }
    case 'eq':
      return series.dimensions[condition.key] === condition.value;
    case 'ne':
      return series.dimensions[condition.key] !== condition.value;
    case 'prefix':
      return series.dimensions[condition.key]?.startsWith(condition.value) ?? false;
    case 'suffix':
      return series.dimensions[condition.key]?.endsWith(condition.value) ?? false;
    case 'contains':
      return series.dimensions[condition.key]?.includes(condition.value) ?? false;
  }
}
