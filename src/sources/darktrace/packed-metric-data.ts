import type { MetricItem } from './response.js';

/**
 * A read /metricdata answer as it crosses from the upstream thread: every number of every metric
 * in one Float64Array, whose buffer is moved to the gateway's thread, not copied. Cloned as
 * arrays, each number would be read back one by one on the thread that serves clients, and that
 * cost as much as the `JSON.parse` it replaced.
 */
export interface PackedMetricData {
  /** Each metric with its point count; breaches and devices (rare) cross as they are. */
  items: Array<Omit<MetricItem, 'timestamps' | 'values' | 'in' | 'out'> & { points: number }>;
  /** Per item in order: timestamps, values, in, out, `points` numbers each; NaN for a null. */
  numbers: Float64Array;
}

const COLUMNS = ['timestamps', 'values', 'in', 'out'] as const;

/** Packs items for postMessage; `transfer` is the transfer list that moves the buffer. */
export function packMetricData(items: readonly MetricItem[]): { value: PackedMetricData; transfer: ArrayBuffer[] } {
  const total = items.reduce((sum, item) => sum + item.timestamps.length * COLUMNS.length, 0);
  const numbers = new Float64Array(total);
  let at = 0;
  for (const item of items) {
    for (const column of COLUMNS) {
      for (const value of item[column]) numbers[at++] = value ?? Number.NaN;
    }
  }
  const described = items.map(({ timestamps, values, in: inbound, out, ...rest }) => ({ ...rest, points: timestamps.length }));
  return { value: { items: described, numbers }, transfer: [numbers.buffer] };
}

/** The items packMetricData was given. Runs on the thread serving clients: no spreads, no per-number calls. */
export function unpackMetricData({ items, numbers }: PackedMetricData): MetricItem[] {
  let at = 0;
  const column = (points: number): Array<number | null> => {
    const values = new Array<number | null>(points);
    for (let i = 0; i < points; i++, at++) {
      const value = numbers[at]!;
      // NaN is the one number not equal to itself.
      values[i] = value !== value ? null : value;
    }
    return values;
  };
  return items.map((packed) => {
    const item: MetricItem = { metric: packed.metric, timestamps: column(packed.points) as number[], values: column(packed.points), in: column(packed.points), out: column(packed.points) };
    if (packed.breaches) item.breaches = packed.breaches;
    if (packed.devices) item.devices = packed.devices;
    return item;
  });
}
