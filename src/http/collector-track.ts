import { quoted } from '../core/echo.js';
import { BadUserInputError, ForbiddenError } from '../core/errors.js';
import { parseTime, resolveTime } from '../core/time.js';
import type { NativeSource } from '../sources/native/adapter.js';
import type { RawTrack } from '../sources/native/point.js';
import type { GatewayMetrics } from '../telemetry/metrics.js';
import { HttpProblem } from './http-problem.js';

/**
 * POST /metrics/track and POST /metrics/track/batch: the 254Carbon Metrics Service's ingest API
 * with its JSON field names (`tenant_id`, not `tenantId`). Its code accepted any `value` ("abc"
 * was stored and exported); here the value must be a finite number and every other field is
 * checked the same way the GraphQL mutations check it (src/sources/native/point.ts).
 */

/** Fields a pushed metric may carry; `timestamp`, `unit` and `help` are the gateway's additions. */
export const TRACK_FIELDS = ['name', 'value', 'type', 'labels', 'service', 'tenant_id', 'timestamp', 'unit', 'help'] as const;

/** Most metrics in one batch request. */
export const MAX_BATCH_ITEMS = 10_000;

/** What clients of the service's other, undocumented contract send, and what they mean. */
const MISNAMED: Record<string, string> = { tenantId: 'tenant_id', metric_type: 'type', metricType: 'type', metric: 'name' };

export interface TrackContext {
  source: NativeSource;
  metrics: GatewayMetrics;
  now: number;
  /** The tenant the caller is bound to, when authentication says so. */
  tenant?: string | undefined;
}

export async function trackOne(body: unknown, ctx: TrackContext): Promise<Record<string, unknown>> {
  const stop = ctx.metrics.collectorDuration.startTimer({ source: ctx.source.id });
  try {
    if (!isObject(body)) {
      throw new HttpProblem(
        400,
        `POST /metrics/track takes one metric as a JSON object {name, value, type, labels, service, tenant_id}; got ${describe(body)}${Array.isArray(body) ? ' (send arrays to POST /metrics/track/batch)' : ''}`,
        'BAD_USER_INPUT',
        'body',
      );
    }
    const [result] = await ctx.source.writeMany([toRawTrack(body, ctx)], ctx.now);
    if (result instanceof Error) throw result;
    return { success: true, message: 'Metric tracked successfully', name: result!.name };
  } catch (error) {
    if (error instanceof BadUserInputError || error instanceof HttpProblem) ctx.metrics.collectorRejected.inc({ source: ctx.source.id });
    throw error;
  } finally {
    stop();
  }
}

/**
 * A bad item fails alone with its reason; the good ones are stored. `success` is true when the
 * batch was processed, as the 254Carbon service and its clients have it: `failed` says how many
 * items were refused.
 */
export async function trackBatch(body: unknown, ctx: TrackContext): Promise<Record<string, unknown>> {
  const stop = ctx.metrics.collectorDuration.startTimer({ source: ctx.source.id });
  try {
    if (!Array.isArray(body)) {
      const hint = isObject(body) && Array.isArray(body.metrics) ? ' (send the array itself, not {"metrics": [...]})' : '';
      throw new HttpProblem(400, `POST /metrics/track/batch takes a JSON array of metrics; got ${describe(body)}${hint}`, 'BAD_USER_INPUT', 'body');
    }
    if (body.length > MAX_BATCH_ITEMS) {
      throw new HttpProblem(413, `POST /metrics/track/batch takes at most ${MAX_BATCH_ITEMS} metrics per request; got ${body.length}. Split the batch`, 'PAYLOAD_TOO_LARGE', 'body');
    }
    const raws: Array<RawTrack | BadUserInputError> = body.map((item, index) => {
      try {
        if (!isObject(item)) {
          throw new BadUserInputError(`a metric must be a JSON object {name, value, type, labels, service, tenant_id}; got ${describe(item)}`, { field: `[${index}]` });
        }
        return toRawTrack(item, ctx);
      } catch (error) {
        if (error instanceof BadUserInputError) return error;
        throw error;
      }
    });
    const valid = raws.filter((raw): raw is RawTrack => !(raw instanceof BadUserInputError));
    const written = valid.length > 0 ? await ctx.source.writeMany(valid, ctx.now) : [];
    let next = 0;
    const results = raws.map((raw, index) => {
      const outcome = raw instanceof BadUserInputError ? raw : written[next++]!;
      const item = body[index] as { name?: unknown };
      if (outcome instanceof Error) {
        return { index, name: typeof item?.name === 'string' ? item.name : null, success: false, error: outcome.message };
      }
      return { index, name: outcome.name, success: true, error: null };
    });
    const successful = results.filter((result) => result.success).length;
    const failed = results.length - successful;
    if (failed > 0) ctx.metrics.collectorRejected.inc({ source: ctx.source.id }, failed);
    return { success: true, total: results.length, successful, failed, results };
  } finally {
    stop();
  }
}

/** One JSON metric as the store's input; throws BadUserInputError naming the field. */
export function toRawTrack(item: Record<string, unknown>, ctx: Pick<TrackContext, 'now' | 'tenant'>): RawTrack {
  for (const key of Object.keys(item)) {
    if ((TRACK_FIELDS as readonly string[]).includes(key)) continue;
    const meant = MISNAMED[key];
    throw new BadUserInputError(
      meant !== undefined
        ? `unknown field '${key}'; this API calls it '${meant}'`
        : `unknown field '${key}'; a metric takes ${TRACK_FIELDS.join(', ')}`,
      { field: key },
    );
  }
  const missing = (['name', 'value'] as const).filter((key) => item[key] === undefined || item[key] === null || item[key] === '');
  if (missing.length > 0) {
    throw new BadUserInputError(`Missing required fields: name, value; ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing`, { field: missing[0]! });
  }
  let tenantId = item.tenant_id;
  if (ctx.tenant !== undefined) {
    if (tenantId !== undefined && tenantId !== null && tenantId !== ctx.tenant) {
      // FORBIDDEN, as GraphQL's trackMetric answers the same write: the value is well formed, the caller may not use it.
      throw new ForbiddenError(`tenant_id ${quoted(tenantId)} is not the tenant this client may write for ('${ctx.tenant}')`, { field: 'tenant_id' });
    }
    tenantId = ctx.tenant;
  }
  let timestamp: number | undefined;
  if (item.timestamp !== undefined && item.timestamp !== null) {
    timestamp = resolveTime(parseTime(item.timestamp, 'timestamp'), ctx.now, 'from');
  }
  return {
    name: item.name,
    value: item.value,
    type: item.type,
    labels: item.labels,
    service: item.service,
    tenantId,
    timestamp,
    unit: item.unit,
    help: item.help,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string '${value.length > 60 ? `${value.slice(0, 60)}...` : value}'`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
