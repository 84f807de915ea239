import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { compactNumber, withUnit } from './format.js';

/**
 * One time chart on uPlot: x is epoch milliseconds, y carries the unit. The chart is rebuilt only
 * when the shape changes (series, styles, unit); new data for the same shape goes through setData,
 * which is what keeps live appends cheap. Gaps stay gaps (spanGaps false): a null value breaks
 * the line.
 */

export type LineStyle = 'line' | 'dashed' | 'points' | 'band-edge' | 'bars';

export interface LineSpec {
  label: string;
  colour: string;
  style?: LineStyle;
  /** For bars: this series' slot among `of` side-by-side bars in a bucket `widthMs` wide. */
  bar?: { slot: number; of: number; widthMs: number };
  /** Left out of the legend's list (band edges). */
  hidden?: boolean;
}

export interface ChartSpec {
  unit?: string | null | undefined;
  lines: LineSpec[];
  /** Fills between two series (indexes into `lines`), e.g. a forecast's lower and upper edges. */
  bands?: Array<{ upper: number; lower: number; fill: string }>;
  height?: number;
}

/** Canvas colours (canvas takes no CSS variables). */
const AXIS = '#5b6472';
const GRID = '#e6e8eb';

export type ChartData = [number[], ...Array<ReadonlyArray<number | null | undefined>>];

export class TimeChart {
  readonly element: HTMLDivElement;
  private plot: uPlot | undefined;
  private shape = '';
  private readonly resize: ResizeObserver;
  private drawStarted: number | undefined;

  /** `onDrawn` hears how long each draw took, from the call to uPlot's paint (which it defers). */
  constructor(parent: HTMLElement, private readonly onDrawn?: (ms: number) => void) {
    this.element = document.createElement('div');
    this.element.className = 'chart';
    this.element.dataset['testid'] = 'chart';
    parent.appendChild(this.element);
    // Observing fires once at once: redraw only when the width really changed.
    this.resize = new ResizeObserver(() => {
      const width = this.width();
      if (this.plot && Math.abs(this.plot.width - width) > 1) this.plot.setSize({ width, height: this.plot.height });
    });
    this.resize.observe(this.element);
  }

  /** Draws `data` (x first, then one column per line). */
  draw(spec: ChartSpec, data: ChartData): void {
    this.drawStarted = performance.now();
    const shape = JSON.stringify(spec);
    if (this.plot && shape === this.shape) {
      this.plot.setData(data as uPlot.AlignedData);
    } else {
      this.plot?.destroy();
      this.shape = shape;
      this.plot = new uPlot(this.options(spec), data as uPlot.AlignedData, this.element);
    }
    const points = data.slice(1).reduce((sum, column) => sum + column.length, 0);
    this.element.dataset['points'] = String(points);
    // The axes are drawn on the canvas; say what they show for screen readers.
    const shown = spec.lines.filter((line) => !line.hidden).map((line) => line.label);
    this.element.setAttribute('role', 'img');
    this.element.setAttribute('aria-label', `Time chart${spec.unit ? `, values in ${spec.unit}` : ''}: ${shown.join('; ')}`);
  }

  clear(): void {
    this.plot?.destroy();
    this.plot = undefined;
    this.shape = '';
    delete this.element.dataset['points'];
  }

  destroy(): void {
    this.resize.disconnect();
    this.clear();
    this.element.remove();
  }

  private width(): number {
    return Math.max(300, this.element.clientWidth);
  }

  private options(spec: ChartSpec): uPlot.Options {
    const unit = spec.unit ?? undefined;
    return {
      width: this.width(),
      height: spec.height ?? 320,
      ms: 1,
      cursor: { drag: { x: true, y: false } },
      legend: { show: true, live: true },
      scales: { x: { time: true } },
      hooks: {
        draw: [
          () => {
            if (this.drawStarted === undefined) return;
            const ms = performance.now() - this.drawStarted;
            this.drawStarted = undefined;
            this.onDrawn?.(ms);
          },
        ],
      },
      axes: [
        { stroke: AXIS, grid: { stroke: GRID }, ticks: { stroke: GRID } },
        {
          stroke: AXIS,
          grid: { stroke: GRID },
          ticks: { stroke: GRID },
          label: unit ?? '',
          labelSize: unit ? 20 : 0,
          size: 64,
          values: (_plot, ticks) => ticks.map(compactNumber),
        },
      ],
      series: [{ label: 'time' }, ...spec.lines.map((line) => seriesOptions(line, unit))],
      ...(spec.bands ? { bands: spec.bands.map((band) => ({ series: [band.upper + 1, band.lower + 1] as [number, number], fill: band.fill })) } : {}),
    };
  }
}

function seriesOptions(line: LineSpec, unit: string | undefined): uPlot.Series {
  const base: uPlot.Series = {
    label: line.label,
    stroke: line.colour,
    width: 1.5,
    spanGaps: false,
    value: (_plot, value) => withUnit(value, unit),
  };
  switch (line.style ?? 'line') {
    case 'dashed':
      return { ...base, dash: [6, 4] };
    case 'points':
      return { ...base, width: 0, fill: line.colour, paths: () => null, points: { show: true, size: 9, stroke: line.colour, fill: line.colour, width: 1 } };
    case 'band-edge':
      return { ...base, width: 0.5, points: { show: false }, ...(line.hidden ? { class: 'legend-hidden' } : {}) };
    case 'bars': {
      const bar = line.bar ?? { slot: 0, of: 1, widthMs: 0 };
      const width = (bar.widthMs * 0.8) / bar.of;
      const offset = -bar.widthMs * 0.4 + bar.slot * width;
      return {
        ...base,
        width: 0,
        fill: line.colour,
        points: { show: false },
        paths: uPlot.paths.bars!({
          size: [1, Infinity],
          disp: {
            x0: { unit: 1, values: (plot) => (plot.data[0] as number[]).map((t) => t + offset) },
            size: { unit: 1, values: () => [width] },
          },
        }),
      };
    }
    default:
      return base;
  }
}
