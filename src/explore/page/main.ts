import './style.css';
import { Controls, type MetricInfo, type SourceInfo } from './controls.js';
import { h } from './dom.js';
import { runQuery } from './graphql-client.js';
import { keyControl } from './key-control.js';
import { metricsQuery, SOURCES_QUERY } from './queries.js';
import { formatSelection, parseSelection, type Selection, type ViewName } from './selection.js';
import { AggregateView } from './views/aggregate-view.js';
import { AllocationView } from './views/allocation-view.js';
import { ViewCard } from './views/card.js';
import { SeriesView } from './views/series-view.js';
import { TrendView } from './views/trend-view.js';
import type { View } from './views/view.js';

/**
 * The Explore page: the controls on the left, the chosen view of the selection on the right. Every
 * committed change runs the view again (cancelling the one still loading) and writes the selection
 * into the address bar.
 */

const VIEWS: Record<ViewName, { title: string; create: () => View }> = {
  series: { title: 'Series', create: () => new SeriesView() },
  aggregate: { title: 'Aggregate', create: () => new AggregateView() },
  trend: { title: 'Trend', create: () => new TrendView() },
  allocation: { title: 'Allocation', create: () => new AllocationView() },
};

const controls = new Controls(parseSelection(location.search));
const card = new ViewCard();
const sourcesNote = h('span', { class: 'hint', 'data-testid': 'sources-summary' });

document.getElementById('app')!.append(
  h(
    'header',
    { class: 'top' },
    h('h1', {}, 'metric-gateway ', h('span', {}, 'Explore')),
    sourcesNote,
    h('a', { href: '/graphql', 'data-testid': 'graphiql' }, 'GraphiQL'),
    keyControl(() => {
      lastSource = undefined;
      void start();
    }),
  ),
  h('main', { class: 'layout' }, controls.form, h('div', { class: 'results' }, controls.toolbar, card.element)),
);

let view: View | undefined;
let running: AbortController | undefined;
let discovery: AbortController | undefined;
let lastSource: string | undefined;
let scheduled: number | undefined;

controls.onChange = () => schedule();
let searchTimer: number | undefined;
controls.onSearch = (search) => {
  window.clearTimeout(searchTimer);
  searchTimer = window.setTimeout(() => void discover(controls.read().source, search), 250);
};

/** Several changes in one tick (a text box's change and the form's submit) run once. */
function schedule(): void {
  window.clearTimeout(scheduled);
  scheduled = window.setTimeout(() => {
    const selection = controls.read();
    if (selection.source !== lastSource) {
      lastSource = selection.source;
      controls.forgetLabels();
      void discover(selection.source, '').then(() => run());
      return;
    }
    run();
  }, 0);
}

function run(): void {
  const selection = controls.read();
  history.replaceState(null, '', `${location.pathname}${formatSelection(selection)}`);
  running?.abort();
  view?.dispose();
  view = undefined;
  card.reset(`${VIEWS[selection.view].title}${selection.metric ? ` · ${selection.metric}` : ''}${selection.source ? ` on ${selection.source}` : ''}`);
  if (!selection.source) {
    card.body.append(card.note('Choose a source.'));
    return;
  }
  if (!selection.metric) {
    card.body.append(card.note('Choose a metric: type to search the source’s metrics.'));
    return;
  }
  const controller = new AbortController();
  running = controller;
  view = VIEWS[selection.view].create();
  view
    .run(selection, {
      card,
      controller,
      unit: controls.unitOf(selection.metric),
      sawLabels: (labels) => controls.sawLabels(labels),
    })
    .catch((error: unknown) => {
      if (!controller.signal.aborted) card.errors.show([error as Error]);
    });
}

/** Metric discovery for a source: everything at first, then what matches as the user types. */
async function discover(source: string, search: string): Promise<void> {
  discovery?.abort();
  if (!source) return controls.setMetrics([], []);
  const controller = new AbortController();
  discovery = controller;
  try {
    const result = await runQuery<{ metrics: MetricInfo[] | null }>(metricsQuery(source, search), { signal: controller.signal });
    if (controller.signal.aborted) return;
    const metrics = result.data?.metrics ?? [];
    controls.setMetrics(metrics, result.errors);
    // A first visit names no metric: show the source's first one rather than an empty page.
    const selection = controls.read();
    if (!selection.metric && !search && metrics[0]) {
      selection.metric = metrics[0].name;
      controls.write(selection);
    }
  } catch (error) {
    if (!controller.signal.aborted) controls.setMetrics([], [{ message: (error as Error).message }]);
  }
}

async function start(): Promise<void> {
  card.reset('Explore');
  card.body.append(card.note('Asking the gateway for its sources…'));
  let sources: SourceInfo[] = [];
  let problem = '';
  try {
    const result = await runQuery<{ sources: SourceInfo[] | null }>(SOURCES_QUERY);
    sources = result.data?.sources ?? [];
    problem = result.errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('; ');
  } catch (error) {
    problem = (error as Error).message;
  }
  const selection: Selection = controls.read();
  if (!selection.source && sources[0]) {
    selection.source = (sources.find((source) => source.healthy) ?? sources[0]).id;
    controls.write(selection);
  }
  controls.setSources(sources);
  const unhealthy = sources.filter((source) => !source.healthy).map((source) => source.id);
  sourcesNote.textContent = problem
    ? `sources unavailable (${problem})`
    : `${sources.length} source${sources.length === 1 ? '' : 's'}${unhealthy.length ? ` · unhealthy: ${unhealthy.join(', ')}` : ''}`;
  sourcesNote.classList.toggle('bad', Boolean(problem));
  schedule();
}

void start();
