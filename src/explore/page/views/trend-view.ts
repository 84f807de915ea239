import { TimeChart, type ChartData } from '../chart.js';
import { h } from '../dom.js';
import { colour, dateTime, labelSet, percent, withUnit, type Label } from '../format.js';
import { trendQuery } from '../queries.js';
import type { Selection } from '../selection.js';
import { timeOf, type View, type ViewEnv } from './view.js';

interface Trend {
  labels: Label[];
  direction: 'INCREASING' | 'DECREASING' | 'STABLE';
  changePercent: number | null;
  slopePerHour: number | null;
  first: number | null;
  last: number | null;
  min: number | null;
  max: number | null;
  mean: number | null;
  points: number;
  interval: string;
  series: Array<{ timestamp: string; value: number | null }>;
  anomalies: Array<{ timestamp: string; value: number; expected: number; score: number }>;
  forecast: Array<{ timestamp: string; value: number; lower: number; upper: number }>;
}

/** Charts beyond this many groups would make the page crawl; their numbers still show. */
const MAX_CHARTS = 12;
const ARROWS = { INCREASING: '↗', DECREASING: '↘', STABLE: '→' } as const;

/**
 * Per group: direction, change and slope; a chart of the bucket values with anomalies marked and
 * the forecast drawn ahead of the last point inside its band.
 */
export class TrendView implements View {
  private charts: TimeChart[] = [];

  async run(selection: Selection, env: ViewEnv): Promise<void> {
    this.dispose();
    const { card } = env;
    const result = await card.load<{ trend: Trend[] | null }>(trendQuery(selection), env.controller, 'Computing the trend');
    if (!result || env.controller.signal.aborted) return;
    const trends = result.data?.trend;
    if (!trends) return card.failed();
    if (trends.length === 0) {
      card.body.append(card.note('No series match this selection in this range.'));
      return;
    }
    trends.forEach((trend) => env.sawLabels(trend.labels));
    const unit = env.unit;
    trends.forEach((trend, i) => {
      const panel = h('div', { class: 'trend', 'data-testid': 'trend' });
      card.body.append(panel);
      panel.append(summary(trend, unit));
      if (i < MAX_CHARTS) this.charts.push(chart(panel, trend, unit));
    });
    if (trends.length > MAX_CHARTS) card.body.append(card.note(`Charts are drawn for the first ${MAX_CHARTS} of ${trends.length} groups.`));
    const anomalies = trends.reduce((sum, trend) => sum + trend.anomalies.length, 0);
    card.status.textContent = `${trends.length} group${trends.length === 1 ? '' : 's'} · interval ${trends[0]!.interval} · ${anomalies} anomal${anomalies === 1 ? 'y' : 'ies'}`;
  }

  dispose(): void {
    this.charts.forEach((chart) => chart.destroy());
    this.charts = [];
  }
}

function summary(trend: Trend, unit: string | undefined): HTMLElement {
  const fact = (name: string, value: string, testid?: string) => h('div', { class: 'fact' }, h('span', {}, name), h('strong', testid ? { 'data-testid': testid } : {}, value));
  return h(
    'div',
    { class: 'trend-head' },
    h('h3', {}, labelSet(trend.labels)),
    h('div', { class: `direction ${trend.direction.toLowerCase()}`, 'data-testid': 'direction' }, `${ARROWS[trend.direction]} ${trend.direction.toLowerCase()}`),
    h(
      'div',
      { class: 'facts' },
      fact('change', percent(trend.changePercent), 'change-percent'),
      fact('per hour', withUnit(trend.slopePerHour, unit)),
      fact('first', withUnit(trend.first, unit)),
      fact('last', withUnit(trend.last, unit)),
      fact('min', withUnit(trend.min, unit)),
      fact('max', withUnit(trend.max, unit)),
      fact('mean', withUnit(trend.mean, unit)),
      fact('anomalies', String(trend.anomalies.length), 'anomaly-count'),
    ),
    trend.anomalies.length
      ? h(
          'details',
          { class: 'anomalies' },
          h('summary', {}, 'Anomalies'),
          h('ul', {}, ...trend.anomalies.map((a) => h('li', {}, `${dateTime(timeOf(a.timestamp))}: ${withUnit(a.value, unit)} (expected ${withUnit(a.expected, unit)}, score ${a.score.toFixed(1)})`))),
        )
      : null,
  );
}

/**
 * Columns: the values, the anomalies (points only), the forecast (dashed) and its band's edges.
 * The forecast and its band start at the last actual point so the line continues from it.
 */
function chart(panel: HTMLElement, trend: Trend, unit: string | undefined): TimeChart {
  const actual = trend.series.map((point) => ({ t: timeOf(point.timestamp), v: point.value }));
  const ahead = trend.forecast.map((point) => ({ t: timeOf(point.timestamp), ...point }));
  const x = [...actual.map((p) => p.t), ...ahead.map((p) => p.t)];
  const n = actual.length;
  const values: Array<number | null | undefined> = [...actual.map((p) => p.v), ...ahead.map(() => undefined)];
  const anomalyAt = new Map(trend.anomalies.map((a) => [timeOf(a.timestamp), a.value]));
  const anomalies = x.map((t, i) => (i < n && anomalyAt.has(t) ? anomalyAt.get(t)! : undefined));
  const lastIndex = lastValueIndex(actual);
  const edge = (pick: (p: Trend['forecast'][number]) => number) =>
    x.map((_, i) => (i >= n ? pick(ahead[i - n]!) : i === lastIndex && ahead.length ? actual[i]!.v : undefined));
  const chart = new TimeChart(panel);
  chart.draw(
    {
      unit,
      height: 240,
      lines: [
        { label: 'value', colour: colour(0) },
        { label: 'anomaly', colour: '#d62728', style: 'points' },
        { label: 'forecast', colour: colour(1), style: 'dashed' },
        { label: 'upper', colour: 'rgba(230,159,0,0.5)', style: 'band-edge', hidden: true },
        { label: 'lower', colour: 'rgba(230,159,0,0.5)', style: 'band-edge', hidden: true },
      ],
      bands: [{ upper: 3, lower: 4, fill: 'rgba(230,159,0,0.15)' }],
    },
    [x, values, anomalies, edge((p) => p.value), edge((p) => p.upper), edge((p) => p.lower)] as ChartData,
  );
  return chart;
}

function lastValueIndex(points: Array<{ v: number | null }>): number {
  for (let i = points.length - 1; i >= 0; i--) if (points[i]!.v !== null) return i;
  return -1;
}
