/**
 * uPlot draws every series against one shared x array. Series from one query usually share their
 * timestamps (a resampled interval); then their columns are used as they are, without a copy.
 * Otherwise the timestamps are merged and each series gets `undefined` where it has no point:
 * uPlot joins the line across those, while a `null` (a gap the source reported) breaks it.
 */

export interface Columns {
  timestamps: readonly number[];
  values: ReadonlyArray<number | null>;
}

export interface Aligned {
  x: number[];
  ys: Array<ReadonlyArray<number | null | undefined>>;
}

export function alignColumns(series: readonly Columns[]): Aligned {
  if (series.length === 0) return { x: [], ys: [] };
  const first = series[0]!.timestamps;
  if (series.every((s) => sameTimestamps(s.timestamps, first))) {
    return { x: first as number[], ys: series.map((s) => s.values) };
  }
  const x = mergeTimestamps(series.map((s) => s.timestamps));
  const ys = series.map((s) => {
    const out = new Array<number | null | undefined>(x.length);
    let j = 0;
    const { timestamps, values } = s;
    for (let i = 0; i < x.length; i++) {
      // A repeated timestamp within one series keeps its first value.
      while (j < timestamps.length && timestamps[j]! < x[i]!) j++;
      if (j < timestamps.length && timestamps[j] === x[i]) {
        out[i] = values[j];
        j++;
      } else out[i] = undefined;
    }
    return out;
  });
  return { x, ys };
}

function sameTimestamps(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Sorted, distinct timestamps of all series (each already sorted ascending). */
function mergeTimestamps(columns: ReadonlyArray<readonly number[]>): number[] {
  let total = 0;
  for (const column of columns) total += column.length;
  const all = new Float64Array(total);
  let offset = 0;
  for (const column of columns) {
    all.set(column, offset);
    offset += column.length;
  }
  all.sort();
  const x: number[] = [];
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) x.push(all[i]!);
  return x;
}
