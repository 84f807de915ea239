import { args, EnumValue, type Literal } from './graphql-literal.js';
import type { Selection } from './selection.js';

/** The GraphQL documents the page runs, built from a selection. */

export const SOURCES_QUERY = `{
  sources { id kind healthy message }
}`;

export function metricsQuery(source: string, search: string): string {
  return `{
  metrics${args({ source, search: search || undefined })} { source name unit type description }
}`;
}

/** The arguments every view shares: where, what, when, which series. */
function common(selection: Selection): Record<string, Literal | undefined> {
  return {
    source: selection.source,
    metric: selection.metric,
    from: selection.from || undefined,
    to: selection.to || undefined,
    interval: selection.interval || undefined,
    filters: selection.filters.length ? selection.filters.map((f) => ({ key: f.key, values: f.values, exclude: f.exclude })) : undefined,
  };
}

export function seriesQuery(selection: Selection): string {
  return `{
  metricData${args(common(selection))} {
    source metric unit interval
    labels { key value }
    timestamps
    values
  }
}`;
}

export function aggregateQuery(selection: Selection): string {
  const { fn, percentile, groupBy } = selection.aggregate;
  return `{
  aggregate${args({
    ...common(selection),
    function: new EnumValue(fn),
    percentile: fn === 'PERCENTILE' ? Number(percentile) : undefined,
    groupBy: groupBy.length ? groupBy : undefined,
  })} {
    labels { key value }
    others value seriesCount pushedDown
    buckets { timestamp value }
  }
}`;
}

export function trendQuery(selection: Selection): string {
  const { groupBy } = selection.trend;
  return `{
  trend${args({ ...common(selection), groupBy: groupBy.length ? groupBy : undefined })} {
    labels { key value }
    direction changePercent slopePerHour first last min max mean points interval
    series { timestamp value }
    anomalies { timestamp value expected score }
    forecast { timestamp value lower upper }
  }
}`;
}

export function allocationQuery(selection: Selection): string {
  const a = selection.allocation;
  const { interval: _interval, ...rest } = common(selection);
  const input: Record<string, Literal | undefined> = {
    amount: a.amount,
    currency: a.currency || undefined,
    per: new EnumValue(a.per),
    ...rest,
    segmentBy: a.segmentBy,
    strategy: new EnumValue(a.strategy),
    windowDays: a.strategy === 'WEIGHTED_AVERAGE' && a.windowDays ? Number(a.windowDays) : undefined,
    fixedShares: a.strategy === 'FIXED' ? parseShares(a.fixedShares) : undefined,
  };
  return `{
  allocation${args({ input })} {
    total currency strategy per from to
    shares { segment usage fraction percent amount }
  }
}`;
}

export function streamQuery(selection: Selection, backfill: string): string {
  const { interval: _interval, from: _from, to: _to, ...rest } = common(selection);
  return `subscription {
  metricStream${args({ ...rest, backfill })} {
    backfill
    series { metric unit labels { key value } timestamps values }
  }
}`;
}

/** `acme=0.5, globex=0.5` or a JSON object, into the FIXED strategy's share map. */
export function parseShares(text: string): Record<string, Literal> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed) as Record<string, Literal>;
    } catch {
      throw new Error(`fixed shares must be a JSON object like {"acme": "0.5", "globex": "0.5"} or a list like acme=0.5, globex=0.5; got '${text}'`);
    }
  }
  const shares: Record<string, Literal> = {};
  for (const part of trimmed.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^(.+?)\s*[=:]\s*(.+)$/.exec(part);
    if (!match) throw new Error(`fixed shares are segment=fraction pairs like acme=0.5, globex=0.5; got '${part}'`);
    shares[match[1]!] = match[2]!;
  }
  return shares;
}

/** Where GraphiQL opens with this query in its editor. */
export function graphiqlLink(query: string): string {
  return `/graphql?query=${encodeURIComponent(query)}`;
}
