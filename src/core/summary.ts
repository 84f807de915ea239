/** Count, sum, min, max and mean of some values, in one pass. */
export interface Summary {
  count: number;
  sum: number;
  min: number;
  max: number;
  avg: number;
}

export function summarize(values: readonly number[]): Summary {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    sum += value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { count: values.length, sum, min, max, avg: sum / values.length };
}
