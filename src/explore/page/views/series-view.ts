import { alignColumns } from '../align.js';
import { TimeChart, type ChartData } from '../chart.js';
import { h } from '../dom.js';
import { colour, dateTime, labelSet, withUnit, type Label } from '../format.js';
import type { GraphQLResult } from '../graphql-client.js';
import { followSubscription, type StreamStatus } from '../live-stream.js';
import { seriesQuery, streamQuery } from '../queries.js';
import { backfillFor, rangeMs } from '../range.js';
import type { Selection } from '../selection.js';
import type { View, ViewEnv } from './view.js';

interface SeriesAnswer {
  metric: string;
  unit: string | null;
  labels: Label[];
  timestamps: number[];
  values: Array<number | null>;
}

interface Line {
  key: string;
  metric: string;
  labels: Label[];
  unit: string | null;
  timestamps: number[];
  values: Array<number | null>;
}

const TABLE_ROWS = 200;

/**
 * The series as a time chart, one line per label set, with a table of each line's last value. With
 * Live on, it follows metricStream instead: the first event (the backfill) replaces the lines,
 * later ones append their points, and points older than the range's length fall off the left.
 */
export class SeriesView implements View {
  private chart: TimeChart | undefined;
  private lines = new Map<string, Line>();
  private stopLive: (() => void) | undefined;
  private frame: number | undefined;
  private env: ViewEnv | undefined;
  private windowMs = 0;
  private liveStatus = '';
  private readonly table = h('tbody');

  async run(selection: Selection, env: ViewEnv): Promise<void> {
    this.dispose();
    this.env = env;
    const { card } = env;
    this.chart = new TimeChart(card.body, (ms) => this.drawn(ms));
    card.body.append(
      h(
        'details',
        { class: 'series-table', hidden: true },
        h('summary', {}, 'Series'),
        h('table', {}, h('thead', {}, h('tr', {}, ...['', 'Labels', 'Points', 'Last', 'At', 'Min', 'Max'].map((t) => h('th', {}, t)))), this.table),
      ),
    );
    if (selection.live) return this.follow(selection, env);

    const query = seriesQuery(selection);
    // Marks for the browser's performance panel (and bench/explore-render.ts): answer, then drawing.
    const started = performance.mark('explore:series-start');
    const result = await card.load<{ metricData: SeriesAnswer[] | null }>(query, env.controller, 'Loading series');
    if (!result || env.controller.signal.aborted) return;
    performance.mark('explore:series-answered');
    performance.measure('explore:series-load', started.name, 'explore:series-answered');
    this.measureDraw = true;
    this.replace(result.data?.metricData ?? null);
    this.draw();
  }

  private measureDraw = false;

  /** uPlot painted: the status says how long it took; the first paint of an answer is measured. */
  private drawn(ms: number): void {
    if (this.measureDraw) {
      this.measureDraw = false;
      performance.measure('explore:series-draw', 'explore:series-answered');
    }
    this.renderStatus(`${this.summary.replace(/ · drawn in \d+ ms$/, '')} · drawn in ${ms.toFixed(0)} ms`);
  }

  dispose(): void {
    this.stopLive?.();
    this.stopLive = undefined;
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    this.chart?.destroy();
    this.chart = undefined;
    this.lines = new Map();
    this.table.replaceChildren();
  }

  private follow(selection: Selection, env: ViewEnv): void {
    this.windowMs = rangeMs(selection.from, selection.to);
    const query = streamQuery(selection, backfillFor(this.windowMs));
    env.card.query.show(query);
    env.card.progress.start('Waiting for the backfill', () => this.stopLive?.());
    this.stopLive = followSubscription<{ metricStream: { backfill: boolean; series: SeriesAnswer[] } | null }>(query, {
      onStatus: (status, detail) => this.onLiveStatus(status, detail),
      onEvent: (result) => this.onLiveEvent(result),
    });
  }

  private onLiveStatus(status: StreamStatus, detail?: string): void {
    const words: Record<StreamStatus, string> = {
      connecting: 'Live: connecting…',
      open: 'Live: following new points',
      retrying: 'Live: reconnecting…',
      failed: 'Live: the gateway refused the stream',
      stopped: 'Live: stopped',
    };
    this.liveStatus = detail ? `${words[status]} (${detail})` : words[status];
    if (status !== 'connecting') this.env?.card.progress.stop();
    if (status === 'failed' && detail) this.env?.card.errors.show([detail]);
    this.renderStatus();
  }

  private onLiveEvent(result: GraphQLResult<{ metricStream: { backfill: boolean; series: SeriesAnswer[] } | null }>): void {
    const env = this.env;
    if (!env) return;
    // A stream error (the source failing for a while) stays shown until data flows again.
    if (result.errors.length) env.card.errors.show(result.errors);
    const event = result.data?.metricStream;
    if (!event) return;
    if (!result.errors.length) env.card.errors.clear();
    if (event.backfill) this.replace(event.series);
    else this.append(event.series);
    this.schedule();
  }

  private replace(series: SeriesAnswer[] | null): void {
    this.lines = new Map();
    if (series === null) return;
    this.append(series);
  }

  private append(series: SeriesAnswer[]): void {
    for (const answer of series) {
      this.env?.sawLabels(answer.labels);
      const key = `${answer.metric}{${labelSet(answer.labels)}}`;
      const line = this.lines.get(key);
      if (!line) {
        this.lines.set(key, { key, metric: answer.metric, labels: answer.labels, unit: answer.unit, timestamps: [...answer.timestamps], values: [...answer.values] });
        continue;
      }
      const last = line.timestamps[line.timestamps.length - 1] ?? -Infinity;
      answer.timestamps.forEach((timestamp, i) => {
        if (timestamp <= last) return;
        line.timestamps.push(timestamp);
        line.values.push(answer.values[i] ?? null);
      });
    }
    if (this.windowMs > 0) this.trim(Date.now() - this.windowMs);
  }

  private trim(before: number): void {
    for (const line of this.lines.values()) {
      let drop = 0;
      while (drop < line.timestamps.length - 1 && line.timestamps[drop]! < before) drop++;
      if (drop > 0) {
        line.timestamps.splice(0, drop);
        line.values.splice(0, drop);
      }
    }
  }

  /** Live events can come many to a frame: draw once per frame. */
  private schedule(): void {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      this.draw();
    });
  }

  private draw(): void {
    const env = this.env;
    if (!env || !this.chart) return;
    const lines = [...this.lines.values()];
    env.card.body.querySelector('[data-testid=note]')?.remove();
    if (lines.length === 0) {
      this.chart.clear();
      this.renderTable([], undefined);
      const failed = !env.card.errors.element.hidden;
      env.card.body.prepend(env.card.note(failed ? 'Nothing to draw: the query failed (see the error).' : 'No series match this selection in this range.'));
      return this.renderStatus();
    }
    const unit = lines.find((line) => line.unit)?.unit ?? env.unit;
    const metrics = new Set(lines.map((line) => line.metric));
    const { x, ys } = alignColumns(lines);
    this.chart.draw(
      {
        unit,
        lines: lines.map((line, i) => ({ label: lineName(line, metrics.size > 1), colour: colour(i) })),
      },
      [x, ...ys] as ChartData,
    );
    this.renderTable(lines, unit);
    const points = lines.reduce((sum, line) => sum + line.timestamps.length, 0);
    this.renderStatus(`${lines.length} series · ${points.toLocaleString()} points${unit ? ` · ${unit}` : ''}`);
  }

  private summary = '';

  private renderStatus(summary?: string): void {
    if (summary !== undefined) this.summary = summary;
    if (!this.env) return;
    this.env.card.status.textContent = [this.summary, this.liveStatus].filter(Boolean).join(' · ');
  }

  private renderTable(lines: Line[], unit: string | null | undefined): void {
    const rows = lines.slice(0, TABLE_ROWS).map((line, i) => {
      let min = Infinity;
      let max = -Infinity;
      let lastAt: number | undefined;
      let last: number | null = null;
      for (let j = 0; j < line.values.length; j++) {
        const value = line.values[j];
        if (value === null || value === undefined) continue;
        if (value < min) min = value;
        if (value > max) max = value;
        last = value;
        lastAt = line.timestamps[j];
      }
      return h(
        'tr',
        { 'data-testid': 'series-row' },
        h('td', {}, h('span', { class: 'swatch', style: `background:${colour(i)}` })),
        h('td', { class: 'labels' }, lineName(line, false)),
        h('td', { class: 'num' }, line.timestamps.length.toLocaleString()),
        h('td', { class: 'num', 'data-testid': 'last-value' }, withUnit(last, unit)),
        h('td', {}, lastAt === undefined ? '—' : dateTime(lastAt)),
        h('td', { class: 'num' }, withUnit(Number.isFinite(min) ? min : null, unit)),
        h('td', { class: 'num' }, withUnit(Number.isFinite(max) ? max : null, unit)),
      );
    });
    if (lines.length > TABLE_ROWS) rows.push(h('tr', {}, h('td', { colSpan: 7, class: 'note' }, `…and ${lines.length - TABLE_ROWS} more series`)));
    this.table.replaceChildren(...rows);
    const details = this.table.closest('details');
    if (details) {
      details.hidden = lines.length === 0;
      details.querySelector('summary')!.textContent = `Series (${lines.length})`;
    }
  }
}

/** A line's legend entry: its label set, or the metric's name when it has no labels. */
function lineName(line: Line, withMetric: boolean): string {
  if (line.labels.length === 0) return line.metric;
  return withMetric ? `${line.metric} ${labelSet(line.labels)}` : labelSet(line.labels);
}
