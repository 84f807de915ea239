import { TimeChart, type ChartData } from '../chart.js';
import { h } from '../dom.js';
import { colour, labelSet, withUnit, type Label } from '../format.js';
import { aggregateQuery } from '../queries.js';
import type { Selection } from '../selection.js';
import { barCell } from './bar-cell.js';
import { timeOf, type View, type ViewEnv } from './view.js';

interface Group {
  labels: Label[];
  others: boolean;
  value: number | null;
  seriesCount: number;
  pushedDown: boolean;
  buckets: Array<{ timestamp: string; value: number | null }> | null;
}

/**
 * One value per group over the range, as a table with a bar each; with an interval, the groups'
 * buckets over time too, as lines or side-by-side bars.
 */
export class AggregateView implements View {
  private chart: TimeChart | undefined;

  async run(selection: Selection, env: ViewEnv): Promise<void> {
    this.dispose();
    const { card } = env;
    const query = aggregateQuery(selection);
    const result = await card.load<{ aggregate: Group[] | null }>(query, env.controller, 'Aggregating');
    if (!result || env.controller.signal.aborted) return;
    const groups = result.data?.aggregate;
    if (!groups) return card.failed();
    if (groups.length === 0) {
      card.body.append(card.note('No series match this selection in this range.'));
      return;
    }
    groups.forEach((group) => env.sawLabels(group.labels));
    const unit = aggregateUnit(selection.aggregate.fn, env.unit);
    const name = (group: Group) => (group.others ? 'all others' : labelSet(group.labels));

    const bucketed = groups.some((group) => group.buckets && group.buckets.length > 0);
    if (bucketed) {
      this.chart = new TimeChart(card.body);
      const x = [...new Set(groups.flatMap((group) => (group.buckets ?? []).map((bucket) => timeOf(bucket.timestamp))))].sort((a, b) => a - b);
      const widthMs = x.length > 1 ? Math.min(...x.slice(1).map((t, i) => t - x[i]!)) : 60_000;
      const bars = selection.aggregate.display === 'bars';
      this.chart.draw(
        {
          unit,
          lines: groups.map((group, i) => ({
            label: name(group),
            colour: colour(i),
            ...(bars ? { style: 'bars' as const, bar: { slot: i, of: groups.length, widthMs } } : {}),
          })),
        },
        [x, ...groups.map((group) => alignBuckets(x, group.buckets ?? []))] as ChartData,
      );
    } else if (selection.aggregate.display === 'lines') {
      card.body.append(card.note('Lines need buckets over time: give an interval (like 5m) to see them. The value over the whole range is below.'));
    }

    const largest = Math.max(...groups.map((group) => Math.abs(group.value ?? 0)));
    card.body.append(
      h(
        'table',
        { class: 'bars-table', 'data-testid': 'aggregate-table' },
        h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'Group'), h('th', { class: 'num' }, selection.aggregate.fn), h('th', {}, ''), h('th', { class: 'num' }, 'Series'))),
        h(
          'tbody',
          {},
          ...groups.map((group, i) =>
            h(
              'tr',
              { 'data-testid': 'aggregate-row' },
              h('td', {}, h('span', { class: 'swatch', style: `background:${colour(i)}` })),
              h('td', { class: 'labels' }, name(group)),
              h('td', { class: 'num' }, withUnit(group.value, unit)),
              barCell(largest ? Math.abs(group.value ?? 0) / largest : 0, colour(i)),
              h('td', { class: 'num' }, String(group.seriesCount)),
            ),
          ),
        ),
      ),
    );
    const pushed = groups.some((group) => group.pushedDown);
    card.status.textContent = `${groups.length} group${groups.length === 1 ? '' : 's'} · ${selection.aggregate.fn}${unit ? ` · ${unit}` : ''} · computed ${pushed ? 'by the source' : 'by the gateway'}`;
  }

  dispose(): void {
    this.chart?.destroy();
    this.chart = undefined;
  }
}

/** COUNT counts points; RATE is per second; the rest keep the metric's unit. */
export function aggregateUnit(fn: string, unit: string | undefined): string | undefined {
  if (fn === 'COUNT') return 'points';
  if (fn === 'RATE') return unit ? `${unit}/s` : '/s';
  return unit;
}

function alignBuckets(x: number[], buckets: Array<{ timestamp: string; value: number | null }>): Array<number | null | undefined> {
  const byTime = new Map(buckets.map((bucket) => [timeOf(bucket.timestamp), bucket.value]));
  return x.map((t) => (byTime.has(t) ? byTime.get(t)! : undefined));
}
