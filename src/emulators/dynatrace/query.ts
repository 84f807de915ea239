import type { EmulatedRequest, EmulatorReply } from '../server.js';
import { EntitySelectorError, parseEntitySelector, parseMzSelector } from './entity-selector.js';
import { errorReply, violation } from './envelope.js';
import type { Catalogue, EmulatedMetric, EmulatedSeries, SeriesEntity } from './metrics.js';
import { parseMetricSelector, SelectorError, type Aggregation, type Condition, type Expression } from './selector.js';
import { formatSlot, parseTimeParam, slotFor, TimeParamError } from './time.js';

/**
 * GET /api/v2/metrics/query. The time frame widens outward to whole slots; each data point is
 * stamped with the END of its slot; a slot without data is null. A filter or split on a
 * dimension the metric does not have yields no series and a warning, as the real API does.
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
    for (const aggregation of aggregationsOf(expression)) {
      if (aggregation.type !== 'auto' && !metric.descriptor.aggregationTypes.includes(aggregation.type)) {
        return violation('metricSelector', `Aggregation ${aggregation.type} is not supported by metric ${expression.key}; supported: ${metric.descriptor.aggregationTypes.join(', ')}`);
      }
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

function aggregationsOf(expression: Expression): Aggregation[] {
  return expression.transforms.flatMap((transform) =>
    transform.kind === 'aggregation' ? [transform.aggregation] : transform.kind === 'fold' && transform.aggregation ? [transform.aggregation] : [],
  );
}

interface DataItem {
  dimensions: string[];
  dimensionMap: Record<string, string>;
  timestamps: number[];
  values: Array<number | null>;
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
  let splitBy: string[] | undefined;
  let aggregation: Aggregation | undefined;
  let fold = false;
  let series = metric.series.filter((candidate) => scope(candidate.entity));
  for (const transform of expression.transforms) {
    if (transform.kind === 'filter') {
      for (const condition of transform.conditions) referencedKeys(condition).forEach((key) => known.has(key) || missing.add(key));
      series = series.filter((candidate) => transform.conditions.every((condition) => matches(condition, candidate)));
    } else if (transform.kind === 'splitBy') {
      transform.keys.forEach((key) => known.has(key) || missing.add(key));
      splitBy = transform.keys;
    } else if (transform.kind === 'aggregation') {
      aggregation = transform.aggregation;
    } else {
      fold = true;
      aggregation ??= transform.aggregation;
    }
  }
  if (missing.size > 0) {
    return { data: [], warnings: [...missing].map((key) => `The dimension key \`${key}\` has been referenced, but the metric has no such key.`) };
  }

  const groups = new Map<string, { dimensionMap: Record<string, string>; members: EmulatedSeries[] }>();
  for (const member of series) {
    const dimensionMap = splitBy ? Object.fromEntries(splitBy.flatMap((key) => (member.dimensions[key] !== undefined ? [[key, member.dimensions[key]!]] : []))) : { ...member.dimensions };
    const key = JSON.stringify(Object.entries(dimensionMap).sort());
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { dimensionMap, members: [] }));
    group.members.push(member);
  }

  const order = metric.descriptor.dimensionDefinitions.map((definition) => definition.key);
  const slotList: Array<[number, number]> = [];
  if (fold || !Number.isFinite(slotMs)) slotList.push([frame.from, frame.to]);
  else for (let start = frame.from; start < frame.to; start += slotMs) slotList.push([start, start + slotMs]);

  const data: DataItem[] = [];
  for (const group of groups.values()) {
    const values = slotList.map(([start, end]) => aggregate(group.members, start, end, aggregation, metric.fold));
    if (values.every((value) => value === null)) continue;
    data.push({
      dimensions: order.filter((key) => group.dimensionMap[key] !== undefined).map((key) => group.dimensionMap[key]!),
      dimensionMap: group.dimensionMap,
      timestamps: slotList.map(([, end]) => end),
      values,
    });
  }
  return { data, warnings: [] };
}

function aggregate(members: readonly EmulatedSeries[], start: number, end: number, aggregation: Aggregation | undefined, fold: 'sum' | 'avg'): number | null {
  const values: number[] = [];
  for (let minute = Math.ceil(start / MINUTE); minute * MINUTE < end; minute++) {
    for (const member of members) {
      const value = member.minute(minute);
      if (value !== null) values.push(value);
    }
  }
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

function percentile(values: number[], p: number): number {
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
