import { BadUserInputError } from '../../core/errors.js';
import { LABEL_NAME, METRIC_NAME, sanitizeLabelName, sanitizeMetricName } from '../../core/metric-name.js';

/**
 * What a service pushes, and the one validation both the GraphQL mutations and the REST API run,
 * so a point is accepted or refused the same way whichever door it came through.
 */

export const METRIC_TYPES = ['counter', 'gauge', 'histogram', 'summary'] as const;
export type MetricType = (typeof METRIC_TYPES)[number];

export interface TrackedPoint {
  name: string;
  type: MetricType;
  value: number;
  timestamp: number;
  labels: Record<string, string>;
  service?: string;
  tenantId?: string;
  unit?: string;
  help?: string;
}

export interface RawTrack {
  name?: unknown;
  value?: unknown;
  type?: unknown;
  labels?: unknown;
  service?: unknown;
  tenantId?: unknown;
  timestamp?: number | undefined;
  unit?: unknown;
  help?: unknown;
}

const MAX_LABELS = 32;
const MAX_LABEL_VALUE_LENGTH = 1024;
const MAX_NAME_LENGTH = 200;

/** Validates and normalises one pushed point; throws BadUserInputError naming the field. */
export function toTrackedPoint(raw: RawTrack, now: number): TrackedPoint {
  if (typeof raw.name !== 'string' || raw.name.trim() === '') {
    throw new BadUserInputError('name is required and must be a non-empty string', { field: 'name' });
  }
  if (raw.name.length > MAX_NAME_LENGTH) {
    throw new BadUserInputError(`name must be at most ${MAX_NAME_LENGTH} characters; got ${raw.name.length}`, { field: 'name' });
  }
  const name = sanitizeMetricName(raw.name.trim());
  if (!METRIC_NAME.test(name)) {
    throw new BadUserInputError(`name '${raw.name}' is not a valid Prometheus metric name`, { field: 'name' });
  }

  const type = raw.type === undefined || raw.type === null ? 'gauge' : String(raw.type).toLowerCase();
  if (!(METRIC_TYPES as readonly string[]).includes(type)) {
    throw new BadUserInputError(`type must be one of counter, gauge, histogram, summary; got '${String(raw.type)}'`, { field: 'type' });
  }

  if (typeof raw.value !== 'number' || !Number.isFinite(raw.value)) {
    throw new BadUserInputError(`value must be a finite number; got ${describe(raw.value)}`, { field: 'value' });
  }
  if (type === 'counter' && raw.value < 0) {
    throw new BadUserInputError(`a counter only goes up: value is the increment and must be >= 0; got ${raw.value}`, { field: 'value' });
  }

  const labels = toLabels(raw.labels);
  const service = optionalString(raw.service, 'service');
  const tenantId = optionalString(raw.tenantId, 'tenant_id');
  // service and tenant are labels too, so they filter and group like any other label.
  for (const [key, value] of [['service', service], ['tenant_id', tenantId]] as const) {
    if (value === undefined) continue;
    if (labels[key] !== undefined && labels[key] !== value) {
      throw new BadUserInputError(`labels.${key} ('${labels[key]}') contradicts ${key} ('${value}')`, { field: `labels.${key}` });
    }
    labels[key] = value;
  }

  const timestamp = raw.timestamp ?? now;
  const point: TrackedPoint = { name, type: type as MetricType, value: raw.value, timestamp, labels };
  if (service !== undefined) point.service = service;
  if (tenantId !== undefined) point.tenantId = tenantId;
  const unit = optionalString(raw.unit, 'unit');
  if (unit !== undefined) point.unit = unit;
  const help = optionalString(raw.help, 'help');
  if (help !== undefined) point.help = help;
  return point;
}

function toLabels(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new BadUserInputError(`labels must be an object of string values; got ${describe(raw)}`, { field: 'labels' });
  }
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > MAX_LABELS) {
    throw new BadUserInputError(`labels may have at most ${MAX_LABELS} keys; got ${entries.length}`, { field: 'labels' });
  }
  const labels: Record<string, string> = {};
  for (const [rawKey, value] of entries) {
    const key = sanitizeLabelName(rawKey);
    if (!LABEL_NAME.test(key) || key.startsWith('__')) {
      throw new BadUserInputError(`label name '${rawKey}' is not valid (names starting with __ are reserved)`, { field: `labels.${rawKey}` });
    }
    if (typeof value !== 'string') {
      throw new BadUserInputError(`labels.${rawKey} must be a string; got ${describe(value)}`, { field: `labels.${rawKey}` });
    }
    if (value.length > MAX_LABEL_VALUE_LENGTH) {
      throw new BadUserInputError(`labels.${rawKey} must be at most ${MAX_LABEL_VALUE_LENGTH} characters`, { field: `labels.${rawKey}` });
    }
    labels[key] = value;
  }
  return labels;
}

function optionalString(raw: unknown, field: string): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') {
    throw new BadUserInputError(`${field} must be a string; got ${describe(raw)}`, { field });
  }
  return raw;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `the string '${value}'`;
  if (typeof value === 'number') return String(value);
  return `${Array.isArray(value) ? 'an array' : typeof value} ${JSON.stringify(value)}`;
}
