import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { BadUserInputError, UpstreamNotFoundError } from '../../core/errors.js';
import type { Labels, Series } from '../../core/series.js';
import type { UpstreamGuard } from '../../resilience/upstream-guard.js';
import type { GatewayMetrics } from '../../telemetry/metrics.js';
import type { UpstreamTransport } from '../http/transport.js';
import type { DemandHint, MetricDescriptor, MetricQuery, MetricSource, QueryContext, QueryResult, SourceHealth } from '../source.js';
import { DarktraceClient } from './client.js';
import { settleLimited } from './concurrency.js';
import type { DarktraceSourceConfig } from './config.js';
import { DescriptorCache, type DarktraceMetricInfo } from './descriptors.js';
import type { DarktraceExtras } from './extras.js';
import { matchItems } from './match.js';
import { metricDataParams, type TimeFormat } from './params.js';
import { answerKey, groupRequests, planCalls, type RequestGroup } from './plan.js';
import { toDarktraceRequest, type DarktraceRequest } from './request.js';
import { parseMetricData, type MetricItem } from './response.js';

/** The appliance's bucket width when the query names none. */
const DEFAULT_INTERVAL_S = 60;

export interface DarktraceSourceOptions {
  id: string;
  client: DarktraceClient;
  timeFormat?: TimeFormat;
  /** Upstream calls open at once per batch. @default 4 */
  concurrency?: number;
  /** @default 600000 */
  descriptorsTtlMs?: number;
  log: Logger;
}

/**
 * A Darktrace appliance as a metric source (GET /metricdata, GET /metrics). A batch of queries
 * becomes as few upstream calls as the API allows (see plan.ts), run with bounded concurrency;
 * each answer element becomes a series whose value is `size` (in + out, the bucket maximum),
 * with `in`/`out`, model breaches and device details kept in the series' Darktrace extras.
 */
export class DarktraceSource implements MetricSource {
  readonly kind = 'darktrace' as const;
  readonly id: string;
  readonly capabilities = { maxBatchSize: 100, cacheable: true, pushDownAggregation: false, writes: false };
  readonly #client: DarktraceClient;
  readonly #descriptors: DescriptorCache;
  readonly #timeFormat: TimeFormat;
  readonly #concurrency: number;
  readonly #log: Logger;

  constructor(options: DarktraceSourceOptions) {
    this.id = options.id;
    this.#client = options.client;
    this.#timeFormat = options.timeFormat ?? 'epoch';
    this.#concurrency = options.concurrency ?? 4;
    this.#log = options.log;
    this.#descriptors = new DescriptorCache(this.id, () => this.#client.get('/metrics', []), options.descriptorsTtlMs ?? 600_000);
  }

  /**
   * One series per metric and listed device (the `devices` fan-out; network-wide is one). Without
   * an interval the appliance answers in its own 60 s buckets.
   */
  demandHint(query: MetricQuery): DemandHint {
    const devices = (query.params as { devices?: unknown } | undefined)?.devices;
    const perMetric = Array.isArray(devices) ? Math.max(1, devices.length) : 1;
    return { series: query.metrics.length * perMetric, rawPointsPerSeries: Math.ceil((query.range.to - query.range.from) / (DEFAULT_INTERVAL_S * 1000)) + 1 };
  }

  async query(queries: readonly MetricQuery[], ctx: QueryContext): Promise<QueryResult[]> {
    const results = new Array<QueryResult | undefined>(queries.length);
    const requests = queries.map((query, i) => {
      try {
        return toDarktraceRequest(query);
      } catch (error) {
        results[i] = asError(error);
        return undefined;
      }
    });
    if (requests.every((request) => request === undefined)) return results as QueryResult[];

    const known = await this.#knownMetrics(ctx);
    if (known instanceof Error) return Array.from(results, (result) => result ?? known);
    if (known) {
      requests.forEach((request, i) => {
        const unknown = request?.metrics.find((metric) => !known.has(metric));
        if (unknown === undefined) return;
        results[i] = unknownMetric(this.id, unknown, known);
        requests[i] = undefined;
      });
    }

    const groups = groupRequests(requests);
    const answers = await this.#fetch(groups, ctx);
    for (const [g, group] of groups.entries()) {
      for (const index of group.members) {
        results[index] = this.#seriesFor(g, requests[index]!, answers, known);
      }
    }
    return results as QueryResult[];
  }

  async listMetrics(search: string | undefined, scope: { signal?: AbortSignal | undefined } = {}): Promise<MetricDescriptor[]> {
    const needle = search?.trim().toLowerCase();
    return [...(await this.#descriptors.get(scope.signal)).values()]
      .filter((info) => !needle || info.name.toLowerCase().includes(needle) || info.label?.toLowerCase().includes(needle))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((info) => {
        const descriptor: MetricDescriptor = { source: this.id, name: info.name };
        if (info.units) descriptor.unit = info.units;
        if (info.label) descriptor.description = info.label;
        return descriptor;
      });
  }

  /** A signed GET /metrics: proves the address, the certificate, the tokens and the permission. */
  async health(): Promise<SourceHealth> {
    try {
      const metrics = await this.#descriptors.refresh();
      return { healthy: true, message: `${metrics.size} metrics available` };
    } catch (error) {
      return { healthy: false, message: (error as Error).message };
    }
  }

  close(): Promise<void> {
    return this.#client.close();
  }

  /**
   * The metric list for units and name checks; without it queries still go out, unchecked. The
   * request's deadline passing while it waits for the list is the request's failure (an Error),
   * not the list's: nothing more goes out for it.
   */
  async #knownMetrics(ctx: QueryContext): Promise<Map<string, DarktraceMetricInfo> | Error | undefined> {
    try {
      return await this.#descriptors.get(ctx.signal);
    } catch (error) {
      if (ctx.signal?.aborted) return asError(error);
      ctx.log.warn({ source: this.id, err: error }, 'darktrace metric list unavailable; querying without units or name checks');
      return undefined;
    }
  }

  /** Runs every planned call; answers are filed by group, device and metric, failures likewise. */
  async #fetch(groups: readonly RequestGroup[], ctx: QueryContext): Promise<Map<string, MetricItem | Error>> {
    const planned = planCalls(groups);
    const settled = await settleLimited(
      planned.map(({ call }) => () =>
        this.#client.getRead('/metricdata', metricDataParams(call, this.#timeFormat), 'darktrace.metricdata', (body) => parseMetricData(this.id, body), ctx.signal),
      ),
      this.#concurrency,
    );
    const answers = new Map<string, MetricItem | Error>();
    planned.forEach(({ call, group }, i) => {
      const outcome = settled[i]!;
      if (outcome.status === 'rejected') {
        const error = asError(outcome.reason);
        // Say which device of a fan-out failed; the error object is this call's alone. Not for an
        // abort (a DOMException, whose message is read-only): that stopped every device alike.
        if (call.did !== undefined && groups[group]!.request.dids!.length > 1 && !(error instanceof DOMException)) error.message = `device ${call.did}: ${error.message}`;
        for (const metric of call.metrics) answers.set(answerKey(group, call.did, metric), error);
        return;
      }
      const matched = matchItems(call.metrics, outcome.value);
      for (const metric of call.metrics) {
        const item = matched.get(metric);
        answers.set(
          answerKey(group, call.did, metric),
          item ?? new UpstreamNotFoundError(`${this.id} answered without data for metric '${metric}'${call.did !== undefined ? ` on device ${call.did}` : ''}`, { source: this.id }),
        );
      }
    });
    return answers;
  }

  /** One query's series: per device, per metric, in the order asked. Any failed part fails it. */
  #seriesFor(group: number, request: DarktraceRequest, answers: Map<string, MetricItem | Error>, known: Map<string, DarktraceMetricInfo> | undefined): QueryResult {
    const out: Series[] = [];
    for (const did of request.dids ?? [undefined]) {
      for (const metric of request.metrics) {
        const answer = answers.get(answerKey(group, did, metric))!;
        if (answer instanceof Error) return answer;
        out.push(this.#toSeries(metric, answer, request, did, known?.get(metric)));
      }
    }
    return out;
  }

  #toSeries(metric: string, item: MetricItem, request: DarktraceRequest, did: number | undefined, info: DarktraceMetricInfo | undefined): Series {
    // Keep the half-open window asked for; an appliance that treats the end as inclusive adds one.
    // The columns are read-only from here on, so when nothing falls outside they are shared, not copied.
    const { from, to } = request.range;
    const inside = (time: number) => time >= from && time < to;
    const all = item.timestamps.every(inside);
    const pick = <T>(column: T[]): T[] => (all ? column : column.filter((_, i) => inside(item.timestamps[i]!)));
    const timestamps = pick(item.timestamps);
    const extras: DarktraceExtras = { pointTimes: timestamps, in: pick(item.in), out: pick(item.out) };
    if (item.breaches) extras.breaches = item.breaches;
    if (item.devices) extras.devices = item.devices;

    const series: Series = {
      source: this.id,
      metric,
      intervalMs: (request.intervalS ?? DEFAULT_INTERVAL_S) * 1000,
      labels: labelsFor(request, did),
      timestamps,
      values: pick(item.values),
      extras: { darktrace: extras },
    };
    if (item.metric !== metric) series.upstreamMetric = item.metric;
    if (info?.units) series.unit = info.units;
    return series;
  }
}

/** Builds the adapter from validated config; reads caFile now so a bad file fails at start. */
export function createDarktraceSource(config: DarktraceSourceConfig, deps: { log: Logger; metrics?: GatewayMetrics; guard?: UpstreamGuard | undefined; transport?: UpstreamTransport | undefined }): DarktraceSource {
  const client = new DarktraceClient({
    source: config.id,
    url: config.url,
    credentials: { publicToken: config.publicToken, privateToken: config.privateToken },
    verifyTls: config.verifyTls,
    ...(config.caFile ? { ca: readFileSync(config.caFile, 'utf8') } : {}),
    ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
    ...(config.retries !== undefined ? { retries: config.retries } : {}),
    ...(config.connections !== undefined ? { connections: config.connections } : {}),
    log: deps.log,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    guard: deps.guard,
    transport: deps.transport,
  });
  return new DarktraceSource({
    id: config.id,
    client,
    timeFormat: config.timeFormat,
    concurrency: config.concurrency,
    descriptorsTtlMs: config.descriptorsTtl,
    log: deps.log,
  });
}

/** The dimensions a series was narrowed by, as labels; `did` names the device of a fan-out. */
function labelsFor(request: DarktraceRequest, did: number | undefined): Labels {
  const labels: Record<string, string> = {};
  if (did !== undefined) labels.did = String(did);
  for (const [key, value] of Object.entries(request.filters)) labels[key] = String(value);
  return labels;
}

function unknownMetric(source: string, metric: string, known: Map<string, DarktraceMetricInfo>): BadUserInputError {
  const close = [...known.keys()]
    .map((name) => ({ name, distance: editDistance(metric.toLowerCase(), name.toLowerCase()) }))
    .filter(({ name, distance }) => distance <= Math.max(2, Math.floor(metric.length / 4)) || name.includes(metric.toLowerCase()))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 3)
    .map(({ name }) => name);
  const hint = close.length > 0 ? `; did you mean ${close.join(', ')}?` : '';
  return new BadUserInputError(
    `${source} has no metric '${metric}'; Query.metrics(source: "${source}") lists the ${known.size} it has${hint}`,
    { field: 'metric', source },
  );
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
