import { h } from './dom.js';
import type { GatewayError } from './graphql-client.js';
import { presetOf, RANGE_PRESETS, VIEWS, type LabelFilter, type Selection, type ViewName } from './selection.js';

export interface SourceInfo {
  id: string;
  kind: string;
  healthy: boolean;
  message: string | null;
}

export interface MetricInfo {
  source: string;
  name: string;
  unit: string | null;
  type: string | null;
  description: string | null;
}

const VIEW_TITLES: Record<ViewName, string> = { series: 'Series', aggregate: 'Aggregate', trend: 'Trend', allocation: 'Allocation' };
const FUNCTIONS = ['SUM', 'AVG', 'MIN', 'MAX', 'COUNT', 'FIRST', 'LAST', 'MEDIAN', 'PERCENTILE', 'RATE', 'STDDEV'];
const STRATEGIES = ['PROPORTIONAL_ON', 'WEIGHTED_AVERAGE', 'EVEN', 'FIXED'];
const INTERVALS = ['1m', '5m', '15m', '1h', '6h', '1d'];

/**
 * The form that makes a selection: source, metric (searchable), range, interval, label filters and
 * the current view's own settings, plus the view tabs and the Live switch above the results.
 * It only edits the selection; `onChange` hears every committed change, `onSearch` every keystroke
 * in the metric box (for discovery as you type).
 */
export class Controls {
  readonly form = h('form', { class: 'controls', 'data-testid': 'controls', autocomplete: 'off' });
  readonly toolbar = h('div', { class: 'toolbar' });
  onChange: () => void = () => {};
  onSearch: (search: string) => void = () => {};

  private selection: Selection;
  private readonly source = h('select', { name: 'source', 'data-testid': 'source' });
  private readonly sourceNote = h('p', { class: 'hint', 'data-testid': 'source-note' });
  private readonly metric = h('input', { name: 'metric', type: 'search', placeholder: 'search metrics…', 'data-testid': 'metric', spellcheck: false });
  private readonly metricList = h('datalist', { id: 'metric-options' });
  private readonly metricNote = h('p', { class: 'hint', 'data-testid': 'metric-note' });
  private readonly presets = h('div', { class: 'presets', role: 'group', 'aria-label': 'Range presets' });
  private readonly from = h('input', { name: 'from', placeholder: 'now-1h, 2026-11-01T00:00Z', spellcheck: false, 'data-testid': 'from' });
  private readonly to = h('input', { name: 'to', placeholder: 'now', spellcheck: false, 'data-testid': 'to' });
  private readonly interval = h('input', { name: 'interval', placeholder: 'auto', list: 'interval-options', spellcheck: false, 'data-testid': 'interval' });
  private readonly filters = h('div', { class: 'filters', 'data-testid': 'filters' });
  private readonly labelKeys = h('datalist', { id: 'label-keys' });
  private readonly viewOptions = h('div', { class: 'view-options' });
  private readonly tabs = h('div', { class: 'tabs', role: 'tablist' });
  private readonly live = h('input', { type: 'checkbox', 'data-testid': 'live' });
  private metrics: MetricInfo[] = [];
  private labels = new Map<string, Set<string>>();
  /** The filter rows as typed, including ones without a key yet (those are not sent). */
  private drafts: LabelFilter[];

  constructor(initial: Selection) {
    this.selection = structuredClone(initial);
    this.drafts = structuredClone(initial.filters);
    const field = (label: string, ...children: Array<Node | null>) => h('label', { class: 'field' }, h('span', {}, label), ...children);
    this.metric.setAttribute('list', 'metric-options');
    this.form.append(
      field('Source', this.source),
      this.sourceNote,
      field('Metric', this.metric, this.metricList),
      this.metricNote,
      h('div', { class: 'field' }, h('span', {}, 'Range'), this.presets),
      h('div', { class: 'pair' }, field('From', this.from), field('To', this.to)),
      field('Interval', this.interval, h('datalist', { id: 'interval-options' }, ...INTERVALS.map((value) => h('option', { value })))),
      h('div', { class: 'field' }, h('span', {}, 'Label filters'), this.filters, this.labelKeys),
      this.viewOptions,
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'run' }, 'Run'),
    );
    this.toolbar.append(this.tabs, h('label', { class: 'live-toggle' }, this.live, ' Live'));

    for (const preset of RANGE_PRESETS) {
      this.presets.append(
        h('button', { type: 'button', 'data-preset': preset, onclick: () => this.commit((s) => ((s.from = `now-${preset}`), (s.to = 'now'))) }, preset),
      );
    }
    for (const view of VIEWS) {
      this.tabs.append(
        h('button', { type: 'button', role: 'tab', 'data-view': view, 'data-testid': `tab-${view}`, onclick: () => this.commit((s) => (s.view = view)) }, VIEW_TITLES[view]),
      );
    }

    this.source.addEventListener('change', () => this.commit((s) => ((s.source = this.source.value), (s.metric = ''))));
    this.metric.addEventListener('input', () => this.onSearch(this.metric.value.trim()));
    this.metric.addEventListener('change', () => this.commit((s) => (s.metric = this.metric.value.trim())));
    this.from.addEventListener('change', () => this.commit((s) => (s.from = this.from.value.trim())));
    this.to.addEventListener('change', () => this.commit((s) => (s.to = this.to.value.trim())));
    this.interval.addEventListener('change', () => this.commit((s) => (s.interval = this.interval.value.trim())));
    this.live.addEventListener('change', () => this.commit((s) => (s.live = this.live.checked)));
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.commit(() => {});
    });
    this.render();
  }

  read(): Selection {
    return structuredClone(this.selection);
  }

  write(selection: Selection): void {
    this.selection = structuredClone(selection);
    this.drafts = structuredClone(selection.filters);
    this.filterShape = '';
    this.optionsShape = '';
    this.render();
  }

  setSources(sources: SourceInfo[]): void {
    const chosen = this.selection.source;
    const options = sources.map((source) =>
      h('option', { value: source.id }, `${source.healthy ? '●' : '○'} ${source.id} (${source.kind.toLowerCase()})`),
    );
    if (chosen && !sources.some((source) => source.id === chosen)) options.unshift(h('option', { value: chosen }, `${chosen} (not configured)`));
    this.source.replaceChildren(...options);
    this.source.value = chosen;
    const current = sources.find((source) => source.id === chosen);
    this.sourceNote.textContent = current ? `${current.healthy ? 'healthy' : 'unhealthy'}${current.message ? `: ${current.message}` : ''}` : chosen ? 'this source is not configured on the gateway' : '';
    this.sourceNote.classList.toggle('bad', current ? !current.healthy : Boolean(chosen));
  }

  /** Discovery results for the current source; a failed discovery still lets any name be typed. */
  setMetrics(metrics: MetricInfo[], errors: GatewayError[]): void {
    this.metrics = metrics;
    this.metricList.replaceChildren(
      ...metrics.map((metric) => h('option', { value: metric.name }, [metric.unit, metric.type, metric.description].filter(Boolean).join(' · '))),
    );
    this.renderMetricNote(errors);
  }

  /** The unit discovery gave for a metric. */
  unitOf(metric: string): string | undefined {
    return this.metrics.find((m) => m.name === metric)?.unit ?? undefined;
  }

  sawLabels(labels: ReadonlyArray<{ key: string; value: string }>): void {
    let added = false;
    for (const { key, value } of labels) {
      let values = this.labels.get(key);
      if (!values) this.labels.set(key, (values = new Set()));
      if (!values.has(value)) {
        values.add(value);
        added = true;
      }
    }
    if (added) this.labelKeys.replaceChildren(...[...this.labels.keys()].sort().map((key) => h('option', { value: key })));
  }

  forgetLabels(): void {
    this.labels = new Map();
    this.labelKeys.replaceChildren();
  }

  private commit(change: (selection: Selection) => void): void {
    change(this.selection);
    this.render();
    this.onChange();
  }

  private renderMetricNote(errors: GatewayError[] = []): void {
    const metric = this.metrics.find((m) => m.name === this.selection.metric);
    const failed = errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`);
    this.metricNote.textContent = failed.length
      ? `discovery failed (${failed.join('; ')}); type the metric's name`
      : metric
        ? [metric.unit && `unit ${metric.unit}`, metric.type, metric.description].filter(Boolean).join(' · ')
        : this.metrics.length
          ? `${this.metrics.length} metric${this.metrics.length === 1 ? '' : 's'} found`
          : '';
    this.metricNote.classList.toggle('bad', failed.length > 0);
  }

  private render(): void {
    const s = this.selection;
    if (this.source.value !== s.source && [...this.source.options].some((option) => option.value === s.source)) this.source.value = s.source;
    if (document.activeElement !== this.metric) this.metric.value = s.metric;
    this.from.value = s.from;
    this.to.value = s.to;
    this.interval.value = s.interval;
    this.live.checked = s.live;
    this.live.disabled = s.view !== 'series';
    this.live.parentElement?.classList.toggle('disabled', s.view !== 'series');
    const preset = presetOf(s);
    for (const button of this.presets.querySelectorAll<HTMLButtonElement>('button')) button.classList.toggle('active', button.dataset['preset'] === preset);
    for (const tab of this.tabs.querySelectorAll<HTMLButtonElement>('button')) {
      tab.classList.toggle('active', tab.dataset['view'] === s.view);
      tab.setAttribute('aria-selected', String(tab.dataset['view'] === s.view));
    }
    // Rebuilding inputs would take the focus from the one being used: only on a change of shape.
    const filterShape = String(this.drafts.length);
    if (filterShape !== this.filterShape) this.renderFilters();
    const optionsShape = [s.view, s.aggregate.fn === 'PERCENTILE', s.allocation.strategy, s.live].join('|');
    if (optionsShape !== this.optionsShape) this.renderViewOptions();
    this.optionsShape = optionsShape;
    this.renderMetricNote();
  }

  private filterShape = '';
  private optionsShape = '';

  private renderFilters(): void {
    const rows = this.drafts.map((filter, index) => this.filterRow(filter, index));
    const add = h('button', { type: 'button', class: 'link', 'data-testid': 'add-filter', onclick: () => this.commitFilters((filters) => filters.push({ key: '', values: [], exclude: false }), false) }, '+ filter');
    this.filters.replaceChildren(...rows, add);
    this.filterShape = String(this.drafts.length);
  }

  private filterRow(filter: LabelFilter, index: number): HTMLElement {
    const key = h('input', { value: filter.key, placeholder: 'label', list: 'label-keys', spellcheck: false, 'aria-label': 'label key' });
    key.setAttribute('list', 'label-keys');
    const values = h('input', { value: filter.values.join(', '), placeholder: 'values, comma separated', spellcheck: false, 'aria-label': 'label values' });
    const exclude = h('select', { 'aria-label': 'keep or exclude' }, h('option', { value: 'keep' }, '='), h('option', { value: 'exclude' }, '≠'));
    exclude.value = filter.exclude ? 'exclude' : 'keep';
    const update = () =>
      this.commitFilters((filters) => {
        filters[index] = { key: key.value.trim(), values: values.value.split(',').map((v) => v.trim()).filter(Boolean), exclude: exclude.value === 'exclude' };
      }, true, false);
    key.addEventListener('change', update);
    values.addEventListener('change', update);
    exclude.addEventListener('change', update);
    const remove = h('button', { type: 'button', class: 'link', 'aria-label': 'remove filter', onclick: () => this.commitFilters((filters) => filters.splice(index, 1)) }, '×');
    return h('div', { class: 'filter' }, key, exclude, values, remove);
  }

  /** Filters with no key yet are kept in the form but not sent; `run` is false while one is being typed. */
  private commitFilters(change: (filters: LabelFilter[]) => void, run = true, rebuild = true): void {
    change(this.drafts);
    this.selection.filters = structuredClone(this.drafts.filter((filter) => filter.key !== ''));
    if (rebuild) this.renderFilters();
    if (run) this.onChange();
  }

  private renderViewOptions(): void {
    const s = this.selection;
    const field = (label: string, control: HTMLElement) => h('label', { class: 'field' }, h('span', {}, label), control);
    const select = (values: string[], value: string, onchange: (value: string) => void, testid: string) => {
      const element = h('select', { 'data-testid': testid }, ...values.map((v) => h('option', { value: v }, v.toLowerCase().replace(/_/g, ' '))));
      element.value = value;
      element.addEventListener('change', () => this.commit(() => onchange(element.value)));
      return element;
    };
    const text = (value: string, onchange: (value: string) => void, testid: string, attributes: Record<string, string> = {}) => {
      const element = h('input', { value, spellcheck: false, 'data-testid': testid, ...attributes });
      if (attributes['list']) element.setAttribute('list', attributes['list']);
      element.addEventListener('change', () => this.commit(() => onchange(element.value.trim())));
      return element;
    };
    const list = (values: string[]) => values.join(', ');
    const split = (value: string) => value.split(',').map((v) => v.trim()).filter(Boolean);
    const children: HTMLElement[] = [];
    if (s.view === 'aggregate') {
      const a = s.aggregate;
      children.push(field('Function', select(FUNCTIONS, a.fn, (v) => (a.fn = v), 'aggregate-function')));
      if (a.fn === 'PERCENTILE') children.push(field('Percentile', text(a.percentile, (v) => (a.percentile = v), 'percentile', { inputmode: 'decimal' })));
      children.push(field('Group by', text(list(a.groupBy), (v) => (a.groupBy = split(v)), 'group-by', { placeholder: 'labels, comma separated', list: 'label-keys' })));
      const display = select(['lines', 'bars'], a.display, (v) => (a.display = v === 'bars' ? 'bars' : 'lines'), 'display');
      children.push(field('Show as', display));
    } else if (s.view === 'trend') {
      children.push(field('Group by', text(list(s.trend.groupBy), (v) => (s.trend.groupBy = split(v)), 'trend-group-by', { placeholder: 'labels, comma separated', list: 'label-keys' })));
    } else if (s.view === 'allocation') {
      const a = s.allocation;
      children.push(
        h('div', { class: 'pair' }, field('Amount', text(a.amount, (v) => (a.amount = v), 'amount', { inputmode: 'decimal' })), field('Currency', text(a.currency, (v) => (a.currency = v.toUpperCase()), 'currency', { maxlength: '3' }))),
        field('Segment label', text(a.segmentBy, (v) => (a.segmentBy = v), 'segment-by', { placeholder: 'customer_id', list: 'label-keys' })),
        field('Strategy', select(STRATEGIES, a.strategy, (v) => (a.strategy = v), 'strategy')),
        field('Amount is', select(['TOTAL', 'DAY'], a.per, (v) => (a.per = v), 'per')),
      );
      if (a.strategy === 'WEIGHTED_AVERAGE') children.push(field('Window (days)', text(a.windowDays, (v) => (a.windowDays = v), 'window-days', { inputmode: 'numeric' })));
      if (a.strategy === 'FIXED') children.push(field('Shares', text(a.fixedShares, (v) => (a.fixedShares = v), 'fixed-shares', { placeholder: 'acme=0.6, globex=0.4' })));
      children.push(h('p', { class: 'hint' }, 'Allocation works on whole UTC days from the day of From up to To.'));
    } else if (s.live) {
      children.push(h('p', { class: 'hint' }, 'Live shows points as they arrive; the interval applies when Live is off.'));
    }
    this.viewOptions.replaceChildren(...children);
  }
}
