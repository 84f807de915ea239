/**
 * What the page is looking at, and its form in the address bar: every choice is a query parameter,
 * so a view can be bookmarked, shared and reloaded as it was.
 */

export type ViewName = 'series' | 'aggregate' | 'trend' | 'allocation';
export const VIEWS: ViewName[] = ['series', 'aggregate', 'trend', 'allocation'];

export interface LabelFilter {
  key: string;
  values: string[];
  exclude: boolean;
}

export interface Selection {
  source: string;
  metric: string;
  /** Time inputs as the gateway takes them: ISO-8601, epoch ms or relative (`now-6h`). */
  from: string;
  to: string;
  /** Duration (`5m`); empty = the source's own resolution (series) or the gateway's default. */
  interval: string;
  filters: LabelFilter[];
  view: ViewName;
  live: boolean;
  aggregate: { fn: string; percentile: string; groupBy: string[]; display: 'lines' | 'bars' };
  trend: { groupBy: string[] };
  allocation: {
    amount: string;
    currency: string;
    strategy: string;
    per: string;
    segmentBy: string;
    windowDays: string;
    fixedShares: string;
  };
}

export const RANGE_PRESETS = ['15m', '1h', '6h', '24h', '7d', '30d'] as const;

export function defaultSelection(): Selection {
  return {
    source: '',
    metric: '',
    from: 'now-1h',
    to: 'now',
    interval: '',
    filters: [],
    view: 'series',
    live: false,
    aggregate: { fn: 'AVG', percentile: '95', groupBy: [], display: 'lines' },
    trend: { groupBy: [] },
    allocation: { amount: '1000.00', currency: 'USD', strategy: 'PROPORTIONAL_ON', per: 'TOTAL', segmentBy: '', windowDays: '7', fixedShares: '' },
  };
}

/** Reads a selection from `?source=...&metric=...`; unknown or empty parameters keep defaults. */
export function parseSelection(search: string): Selection {
  const params = new URLSearchParams(search);
  const selection = defaultSelection();
  const text = (name: string, fallback: string) => params.get(name) ?? fallback;
  const list = (name: string) => (params.get(name) ?? '').split(',').map((item) => item.trim()).filter(Boolean);
  selection.source = text('source', '');
  selection.metric = text('metric', '');
  selection.from = text('from', selection.from);
  selection.to = text('to', selection.to);
  selection.interval = text('interval', '');
  selection.filters = params.getAll('filter').map(parseFilter).filter((filter): filter is LabelFilter => filter !== undefined);
  const view = params.get('view');
  selection.view = VIEWS.includes(view as ViewName) ? (view as ViewName) : 'series';
  selection.live = params.get('live') === '1';
  selection.aggregate = {
    fn: text('fn', selection.aggregate.fn),
    percentile: text('percentile', selection.aggregate.percentile),
    groupBy: list('groupBy'),
    display: params.get('display') === 'bars' ? 'bars' : 'lines',
  };
  selection.trend = { groupBy: list('trendGroupBy') };
  const a = selection.allocation;
  selection.allocation = {
    amount: text('amount', a.amount),
    currency: text('currency', a.currency),
    strategy: text('strategy', a.strategy),
    per: text('per', a.per),
    segmentBy: text('segmentBy', a.segmentBy),
    windowDays: text('windowDays', a.windowDays),
    fixedShares: text('fixedShares', a.fixedShares),
  };
  return selection;
}

/** The query string for a selection; defaults are left out to keep links short. */
export function formatSelection(selection: Selection): string {
  const params = new URLSearchParams();
  const defaults = defaultSelection();
  const put = (name: string, value: string, fallback = '') => {
    if (value !== fallback) params.set(name, value);
  };
  put('source', selection.source);
  put('metric', selection.metric);
  put('view', selection.view, 'series');
  put('from', selection.from, defaults.from);
  put('to', selection.to, defaults.to);
  put('interval', selection.interval);
  for (const filter of selection.filters) params.append('filter', formatFilter(filter));
  if (selection.live) params.set('live', '1');
  if (selection.view === 'aggregate') {
    put('fn', selection.aggregate.fn, defaults.aggregate.fn);
    if (selection.aggregate.fn === 'PERCENTILE') put('percentile', selection.aggregate.percentile, defaults.aggregate.percentile);
    put('groupBy', selection.aggregate.groupBy.join(','));
    put('display', selection.aggregate.display, 'lines');
  }
  if (selection.view === 'trend') put('trendGroupBy', selection.trend.groupBy.join(','));
  if (selection.view === 'allocation') {
    const a = selection.allocation;
    const d = defaults.allocation;
    put('amount', a.amount, d.amount);
    put('currency', a.currency, d.currency);
    put('strategy', a.strategy, d.strategy);
    put('per', a.per, d.per);
    put('segmentBy', a.segmentBy, d.segmentBy);
    if (a.strategy === 'WEIGHTED_AVERAGE') put('windowDays', a.windowDays, d.windowDays);
    if (a.strategy === 'FIXED') put('fixedShares', a.fixedShares, d.fixedShares);
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}

/**
 * `key=v1,v2` keeps, `key!=v1,v2` excludes. A comma or backslash inside a value is escaped with a
 * backslash, so any value survives the round trip.
 */
export function formatFilter(filter: LabelFilter): string {
  return `${filter.key}${filter.exclude ? '!=' : '='}${filter.values.map((value) => value.replace(/[\\,]/g, (c) => `\\${c}`)).join(',')}`;
}

export function parseFilter(text: string): LabelFilter | undefined {
  const match = /^([^=!]+?)\s*(!?=)(.*)$/s.exec(text);
  if (!match) return undefined;
  const values: string[] = [];
  let current = '';
  let escaped = false;
  for (const char of match[3]!) {
    if (escaped) {
      current += char;
      escaped = false;
    } else if (char === '\\') escaped = true;
    else if (char === ',') {
      values.push(current);
      current = '';
    } else current += char;
  }
  values.push(current);
  const kept = values.map((value) => value.trim()).filter((value) => value !== '');
  return { key: match[1]!.trim(), values: kept, exclude: match[2] === '!=' };
}

/** `now-6h` .. `now` is preset `6h`; anything else is a custom range. */
export function presetOf(selection: Pick<Selection, 'from' | 'to'>): string | undefined {
  if (selection.to !== 'now') return undefined;
  const match = /^now-(\d+[mhd])$/.exec(selection.from);
  return match && (RANGE_PRESETS as readonly string[]).includes(match[1]!) ? match[1] : undefined;
}
