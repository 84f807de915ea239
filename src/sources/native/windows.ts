import type { MetricType } from './point.js';
import type { PointColumns } from './store.js';

/**
 * Aggregation windows, as the 254Carbon Metrics Service defines them: fixed windows of
 * `aggregationWindow` aligned to the epoch (UTC). What a point contributes to its window depends
 * on the type: a counter contributes its increment (the step in its running total), everything
 * else its value as pushed (a gauge reading, one observation).
 */

/** The values of one series per window start, for windows in [from, to). */
export function valuesByWindow(
  type: MetricType,
  columns: PointColumns,
  windowMs: number,
  from: number,
  to: number,
): Map<number, number[]> {
  const out = new Map<number, number[]>();
  let previous = columns.before;
  for (let i = 0; i < columns.timestamps.length; i++) {
    const timestamp = columns.timestamps[i]!;
    const stored = columns.values[i]!;
    const value = type === 'counter' ? stored - previous : stored;
    previous = stored;
    if (timestamp < from || timestamp >= to) continue;
    const start = windowStart(timestamp, windowMs);
    let values = out.get(start);
    if (!values) out.set(start, (values = []));
    values.push(value);
  }
  return out;
}

export function windowStart(timestamp: number, windowMs: number): number {
  return Math.floor(timestamp / windowMs) * windowMs;
}

export { summarize, type Summary as WindowSummary } from '../../core/summary.js';
