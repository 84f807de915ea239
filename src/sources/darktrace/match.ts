import type { MetricItem } from './response.js';

/**
 * Pairs the metrics a call asked for with the elements of its answer. Elements name their
 * metric, so the name decides; an appliance that answers with the readable label or another
 * case still lines up by position when the counts agree. A metric with no element is missing
 * from the map, and the caller reports it rather than showing an empty series.
 */
export function matchItems(asked: readonly string[], items: readonly MetricItem[]): Map<string, MetricItem> {
  const matched = new Map<string, MetricItem>();
  const used = new Set<MetricItem>();
  for (const metric of asked) {
    const item = items.find((candidate) => !used.has(candidate) && candidate.metric === metric)
      ?? items.find((candidate) => !used.has(candidate) && candidate.metric.toLowerCase() === metric.toLowerCase());
    if (item) {
      matched.set(metric, item);
      used.add(item);
    }
  }
  if (matched.size < asked.length && items.length === asked.length) {
    asked.forEach((metric, i) => {
      const item = items[i]!;
      if (!matched.has(metric) && !used.has(item)) {
        matched.set(metric, item);
        used.add(item);
      }
    });
  }
  return matched;
}
