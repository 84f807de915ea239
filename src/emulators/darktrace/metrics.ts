import type { EmulatorReply } from '../server.js';
import type { EmulatedMetric } from './catalog.js';

/**
 * GET /metrics and GET /metrics/{mlid}: `{mlid, name, label, units?, filtertypes, unitsinterval,
 * lengthscale}` per metric (the portal schema; `units` only where the metric has one).
 * `responsedata` keeps only the named top-level field(s); the SDK passes `mlid,name`.
 */
export function metricList(url: URL, metrics: readonly EmulatedMetric[]): EmulatorReply {
  const fields = responseFields(url);
  const mlidText = /^\/metrics\/([^/]+)$/.exec(url.pathname)?.[1];
  if (mlidText === undefined) return { status: 200, body: metrics.map((metric) => trim(describe(metric), fields)) };
  const metric = /^\d+$/.test(mlidText) ? metrics.find((candidate) => candidate.mlid === Number(mlidText)) : undefined;
  if (!metric) return { status: 400, body: { error: 'INPUT ERROR', response: `no metric with mlid ${mlidText}` } };
  return { status: 200, body: trim(describe(metric), fields) };
}

function describe(metric: EmulatedMetric): Record<string, unknown> {
  const out: Record<string, unknown> = { mlid: metric.mlid, name: metric.name, label: metric.label };
  if (metric.units !== undefined) out.units = metric.units;
  return { ...out, filtertypes: metric.filtertypes, unitsinterval: metric.unitsinterval, lengthscale: metric.lengthscale };
}

function responseFields(url: URL): string[] | undefined {
  const value = url.searchParams.get('responsedata');
  if (value === null || value.trim() === '') return undefined;
  return value.split(',').map((field) => field.trim()).filter(Boolean);
}

function trim(item: Record<string, unknown>, fields: string[] | undefined): Record<string, unknown> {
  if (!fields) return item;
  return Object.fromEntries(Object.entries(item).filter(([key]) => fields.includes(key)));
}
