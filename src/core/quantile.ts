/**
 * Quantiles by selection instead of sorting: Floyd–Rivest-style quickselect finds the k-th value
 * in linear expected time, which is what keeps percentiles over a million points in a thousand
 * buckets cheap. Interpolation between the two nearest ranks matches numpy's default ("linear")
 * and Prometheus's quantile_over_time.
 */

/** The q-quantile (0..1) of `values`. Reorders `values` in place; pass a copy to keep the order. */
export function quantileInPlace(values: Float64Array | number[], q: number): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  if (n === 1) return values[0]!;
  const rank = q * (n - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = select(values, lower, 0, n - 1);
  if (upper === lower) return low;
  // After selecting `lower`, everything right of it is >= it; the next rank is their minimum.
  let next = Infinity;
  for (let i = lower + 1; i < n; i++) if (values[i]! < next) next = values[i]!;
  return low + (next - low) * (rank - lower);
}

function select(values: Float64Array | number[], k: number, left: number, right: number): number {
  while (right > left) {
    if (right - left > 600) {
      // Floyd–Rivest: recurse on a small sample to choose pivots close to the k-th value.
      const n = right - left + 1;
      const m = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      const newLeft = Math.max(left, Math.floor(k - (m * s) / n + sd));
      const newRight = Math.min(right, Math.floor(k + ((n - m) * s) / n + sd));
      select(values, k, newLeft, newRight);
    }
    const pivot = values[k]!;
    let i = left;
    let j = right;
    swap(values, left, k);
    if (values[right]! > pivot) swap(values, left, right);
    while (i < j) {
      swap(values, i, j);
      i++;
      j--;
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
    }
    if (values[left] === pivot) swap(values, left, j);
    else {
      j++;
      swap(values, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
  return values[k]!;
}

function swap(values: Float64Array | number[], a: number, b: number): void {
  const t = values[a]!;
  values[a] = values[b]!;
  values[b] = t;
}
