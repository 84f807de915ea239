import type { MetricType } from './point.js';

/**
 * The names a pushed metric takes in the Prometheus exposition. A counter gets the `_total`
 * suffix its family needs (OpenMetrics and every Prometheus client do the same), histograms
 * and summaries add their `_bucket`, `_sum` and `_count` samples. Two metrics whose exposed names
 * overlap would make one scrape carry two families of one name, which Prometheus rejects, so the
 * store refuses the second metric when it is first pushed.
 */

export function familyName(name: string, type: MetricType): string {
  if (type !== 'counter') return name;
  return name.endsWith('_total') ? name : `${name}_total`;
}

/** The family name and every sample name the metric produces. */
export function exposedNames(name: string, type: MetricType): string[] {
  const family = familyName(name, type);
  switch (type) {
    case 'counter':
    case 'gauge':
      return [family];
    case 'histogram':
      return [family, `${family}_bucket`, `${family}_sum`, `${family}_count`];
    case 'summary':
      return [family, `${family}_sum`, `${family}_count`];
  }
}

/** Exposed names of a prom-client style family (for reserving the gateway's own metrics). */
export function familySampleNames(name: string, type: string): string[] {
  if (type === 'histogram') return [name, `${name}_bucket`, `${name}_sum`, `${name}_count`];
  if (type === 'summary') return [name, `${name}_sum`, `${name}_count`];
  return [name];
}
