/**
 * The catalogue keys nearest to one Dynatrace does not know, for error messages: a key the
 * integration document got wrong (`builtin:service.errors.total`) is usually a prefix or a small
 * edit away from the real ones (`builtin:service.errors.total.count`).
 */
export function closestKeys(target: string, candidates: Iterable<string>, limit = 3): string[] {
  const wanted = target.toLowerCase();
  const scored: Array<{ key: string; score: number }> = [];
  const budget = Math.max(4, Math.floor(wanted.length / 3));
  for (const key of candidates) {
    const lower = key.toLowerCase();
    // Keys that extend the unknown one are what people meant most often; rank them first.
    const score = lower.startsWith(wanted) ? (lower.length - wanted.length) / 100 : editDistance(wanted, lower, budget);
    if (score <= budget) scored.push({ key, score });
  }
  scored.sort((a, b) => a.score - b.score || (a.key < b.key ? -1 : 1));
  return scored.slice(0, limit).map((entry) => entry.key);
}

/** Levenshtein distance, giving up (returning budget + 1) once it cannot be within budget. */
function editDistance(a: string, b: string, budget: number): number {
  if (Math.abs(a.length - b.length) > budget) return budget + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > budget) return budget + 1;
    previous = current;
  }
  return previous[b.length]!;
}
