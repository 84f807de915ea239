/**
 * Metric and label names as Prometheus accepts them. Pushed names are sanitised the way the
 * 254Carbon Metrics Service documents it (anything outside [A-Za-z0-9_] becomes `_`, and a name
 * that does not start with a letter gets a `metric_` prefix), so clients moving from it keep their
 * series names.
 */

export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function sanitizeMetricName(name: string): string {
  const replaced = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z]/.test(replaced) ? replaced : `metric_${replaced}`;
}

export function sanitizeLabelName(name: string): string {
  const replaced = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(replaced) ? replaced : `_${replaced}`;
}
