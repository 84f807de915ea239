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
/** Names the sanitisers would leave as they are. */
const CLEAN_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const CLEAN_LABEL = /^[A-Za-z_][A-Za-z0-9_]*$/;
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
  const trimmed = raw.name.trim();
  // Most names are clean already; the test is cheaper than the rewrite (this runs per point).
  const name = CLEAN_NAME.test(trimmed) ? trimmed : sanitizeMetricName(trimmed);
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
  const reserved = type === 'histogram' ? 'le' : type === 'summary' ? 'quantile' : undefined;
  if (reserved !== undefined && labels[reserved] !== undefined) {
    throw new BadUserInputError(`label name '${reserved}' is reserved in a ${type}: the Prometheus exposition adds it`, { field: `labels.${reserved}` });
  }
  // service and tenant are labels too, so they filter and group like any other label. The
  // 254Carbon service kept them apart from the labels, and its own README pushes
  // `service: "gateway-service"` with `labels.service: "gateway"`; both are kept, the way
  // Prometheus keeps a scraped label that clashes with a target label: the top-level field owns
  // `service`, the pushed label moves to `exported_service`.
  const service = optionalString(raw.service, 'service') ?? labels.service;
  const tenantId = optionalString(raw.tenantId, 'tenant_id') ?? labels.tenant_id;
  for (const [key, value] of [['service', service], ['tenant_id', tenantId]] as const) {
    if (value === undefined) continue;
    const pushed = labels[key];
    if (pushed !== undefined && pushed !== value) {
      const exported = `exported_${key}`;
      if (labels[exported] !== undefined && labels[exported] !== pushed) {
        throw new BadUserInputError(
          `labels.${key} ('${pushed}') differs from ${key} ('${value}') and would move to labels.${exported}, which already holds '${labels[exported]}'`,
          { field: `labels.${key}` },
        );
      }
      labels[exported] = pushed;
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
    const key = CLEAN_LABEL.test(rawKey) ? rawKey : sanitizeLabelName(rawKey);
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
