import type { Logger } from 'pino';
import { formatDuration, MS } from '../../core/duration.js';
import {
  BadUserInputError,
  UpstreamBadRequestError,
  UpstreamNotFoundError,
  UpstreamUnavailableError,
} from '../../core/errors.js';
import type { AggregateGroup } from '../../core/aggregate.js';
import type { Series } from '../../core/series.js';
import type { SourceDeps } from '../create.js';
import type {
  AggregateQuery,
  MetricDescriptor,
  MetricQuery,
  MetricSource,
  QueryContext,
  QueryResult,
  SeriesAnswer,
  SourceHealth,
  SourceWarning,
  DemandHint,
} from '../source.js';
import { groupsFromAnswer, type ExpressionAnswer } from './aggregate.js';
import { planAggregate, type AggregatePlan } from './aggregate-plan.js';
import { closestKeys } from './closest-keys.js';
import { DynatraceClient } from './client.js';
import type { DynatraceSourceConfig } from './config.js';
import { DescriptorCatalogue, type DynatraceDescriptor } from './descriptors.js';
import { answerFromExports, days } from './export-ingest/answer.js';
import { ExportDirectory } from './export-ingest/directory.js';
import { documentName, ExportIngestor, type IngestReport, type RejectedDocument } from './export-ingest/ingestor.js';
import { ExportDocumentError } from './export-ingest/problem.js';
import { DAY_MS, uncovered, type StoredDocument } from './export-ingest/store.js';
import { MetricMappings, type ResolvedMetric } from './mappings.js';
import { parseParams, type DynatraceParams } from './params.js';
import { planCalls, type CallScope, type PlannedCall } from './plan.js';
import { answerSlotMs, toSeries, type MetricData, type MetricSeriesCollection } from './response.js';
import { metricExpression, queryString, resolutionFor } from './selector.js';
import { declaredTimeUnit, friendlyUnit, NO_CONVERSION, unitConversion, type UnitConversion } from './units.js';

/**
 * A Dynatrace environment as a source: live from the Metrics API v2, and from export files
 * ingested into a per-day usage store. Queries name metrics by their mapped name
 * (http_requests) or their Dynatrace key; results carry the mapped name, the key as
 * upstreamMetric, and values in the unit the name promises.
 *
 * Where an answer comes from (`dynatrace: { origin }`): AUTO answers from ingested exports when
 * they cover every UTC day of the range for every metric asked and the query can be answered
 * from day records (whole-day range and interval, no entity scope or aggregation); otherwise
 * from the API. API and EXPORTS force one side.
 */

interface LiveQuery {
  index: number;
  query: MetricQuery;
  params: DynatraceParams;
  metrics: ResolvedMetric[];
}

/** One metric of one live query, as it goes into a selector. */
interface LivePart {
  live: LiveQuery;
  resolved: ResolvedMetric;
  expression: string;
  scope: CallScope;
}

/**
 * How a failed call may be asked again, each at most once along the way: without the keys a 404
 * was about, and query by query after a 400.
 */
type Recovery = 'without-unknown-keys' | 'query-by-query';
const ALL_RECOVERIES: ReadonlySet<Recovery> = new Set(['without-unknown-keys', 'query-by-query']);

function without(recoveries: ReadonlySet<Recovery>, used: Recovery): ReadonlySet<Recovery> {
  const rest = new Set(recoveries);
  rest.delete(used);
  return rest;
}

/** What one expression of a call came back with. */
type ExpressionOutcome = { collection: MetricSeriesCollection; slotMs: number; warnings: string[] } | Error;

export interface ExportStatus {
  documents: StoredDocument[];
  rejected: RejectedDocument[];
  /** Why the export directory cannot be read or watched, when it cannot. */
  problem: string | undefined;
}

export class DynatraceSource implements MetricSource {
  readonly kind = 'dynatrace' as const;
  readonly capabilities = { maxBatchSize: 100, cacheable: true, pushDownAggregation: true, writes: false };
  readonly mappings: MetricMappings;
  readonly #client: DynatraceClient | undefined;
  readonly #catalogue: DescriptorCatalogue | undefined;
  readonly #ingestor: ExportIngestor;
  readonly #directory: ExportDirectory | undefined;
  readonly #ready: Promise<void>;
  readonly #concurrency: number;
  readonly #log: Logger;

  constructor(
    readonly id: string,
    config: DynatraceSourceConfig,
    deps: SourceDeps,
  ) {
    this.#log = deps.log;
    this.#concurrency = config.concurrency;
    this.mappings = MetricMappings.fromConfig(config.metricMappings, config.customMappings);
    if (config.url !== undefined && config.apiToken !== undefined) {
      this.#client = new DynatraceClient({
        source: id,
        url: config.url,
        apiToken: config.apiToken,
        verifyTls: config.verifyTls,
        ...(config.caFile !== undefined ? { caFile: config.caFile } : {}),
        ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
        ...(config.retries !== undefined ? { retries: config.retries } : {}),
        ...(config.connections !== undefined ? { connections: config.connections } : {}),
        log: deps.log,
        metrics: deps.metrics,
        guard: deps.guard,
        transport: deps.transport,
      });
      this.#catalogue = new DescriptorCatalogue(this.#client, id, config.descriptorsTtl);
    }
    this.#ingestor = new ExportIngestor({ source: id, mappings: this.mappings, unitOf: (key, required) => this.#unitOf(key, required), log: deps.log });
    if (config.exportDir !== undefined) {
      this.#directory = new ExportDirectory(config.exportDir, this.#ingestor, deps.log);
      this.#ready = this.#directory.start();
    } else {
      this.#ready = Promise.resolve();
    }
  }

  /** Without an interval no resolution is sent, and Dynatrace answers with its default of 120 slots per series. */
  demandHint(query: MetricQuery): DemandHint {
    return query.intervalMs === undefined ? { rawPointsPerSeries: 121 } : {};
  }

  async query(queries: readonly MetricQuery[], ctx: QueryContext): Promise<QueryResult[]> {
    // Files present at start are in before the first answer, so AUTO sees them.
    await this.#ready;
    const results = new Array<QueryResult>(queries.length);
    const live: LiveQuery[] = [];
    queries.forEach((query, index) => {
      try {
        const params = parseParams(query.params);
        // A name and its key (http_requests, builtin:service.requestCount.total) are one metric.
        const metrics = uniqueByKey(query.metrics.map((metric) => this.mappings.resolve(metric)));
        const fromExports = this.#fromExports(query, params, metrics);
        if (fromExports) results[index] = fromExports;
        else live.push({ index, query, params, metrics });
      } catch (error) {
        results[index] = asError(error);
      }
    });
    if (live.length > 0) await this.#queryLive(live, results, ctx);
    return results;
  }

  /**
   * The aggregate push-down: Dynatrace merges the series of each group (`:splitBy`) and the
   * gateway combines the per-slot statistics into buckets, the whole-range value and top-N, with
   * the same answer the gateway would compute from `query()` results (see aggregate-plan.ts for
   * what that allows). Resolves to undefined for everything else, including whatever would make
   * `query()` fail or answer from export files: the gateway's own path then reports or answers it
   * exactly as it does for metricData. Upstream failures of the call itself come back as the same
   * errors `query()` gives, except a 400, which may be about the transformations only this path
   * sends, so the gateway's path is tried instead.
   */
  async aggregate(query: AggregateQuery, ctx: QueryContext): Promise<AggregateGroup[] | undefined> {
    await this.#ready;
    const prepared = await this.#prepareAggregate(query, ctx);
    if ('unsupported' in prepared) {
      ctx.log.debug({ source: this.id, metric: query.metric, fn: query.fn, reason: prepared.unsupported }, 'aggregate not pushed down to Dynatrace');
      return undefined;
    }
    if (prepared.empty) return [];
    const { plan, conversion } = prepared;
    const expressions = [...plan.statistics.map((entry) => entry.expression), plan.seriesExpression];
    const answers = new Map<string, ExpressionAnswer>();
    try {
      await forEachLimited(planCalls(expressions.map((expression) => ({ expression, scope: plan.scope }))), this.#concurrency, async (call) => {
        const data = await this.#client!.get<MetricData>('/metrics/query', queryString({ selector: call.expressions.join(','), ...call.scope }), ctx.signal);
        this.#readAnswer(call, data).forEach((outcome, i) => {
          if (outcome instanceof Error) throw outcome;
          answers.set(call.expressions[i]!, outcome);
        });
      });
    } catch (error) {
      if (error instanceof UpstreamBadRequestError) {
        ctx.log.debug({ source: this.id, metric: query.metric, err: error }, 'Dynatrace refused the aggregate push-down; computing it in the gateway');
        return undefined;
      }
      throw error;
    }
    const groups = groupsFromAnswer(
      plan,
      plan.statistics.map((entry) => answers.get(entry.expression)!),
      answers.get(plan.seriesExpression)!,
      { source: this.id, conversion },
    );
    if (!groups) ctx.log.debug({ source: this.id, metric: query.metric, fn: query.fn }, 'the Dynatrace answer cannot give what the gateway would compute; computing it in the gateway');
    return groups;
  }

  async health(): Promise<SourceHealth> {
    const parts: string[] = [];
    let healthy = true;
    if (this.#client) {
      try {
        await this.#client.get('/metrics', 'pageSize=1&fields=metricId');
        parts.push('metrics API answers');
      } catch (error) {
        healthy = false;
        parts.push((error as Error).message);
      }
    }
    if (this.#directory?.problem) {
      healthy = false;
      parts.push(this.#directory.problem);
    }
    const documents = this.#ingestor.store.documents().length;
    const rejected = this.#ingestor.rejected().length;
    if (this.#directory || documents > 0) parts.push(`${documents} export documents ingested${rejected > 0 ? `, ${rejected} refused` : ''}`);
    return { healthy, message: parts.join('; ') };
  }

  async listMetrics(search: string | undefined, scope: { signal?: AbortSignal | undefined } = {}): Promise<MetricDescriptor[]> {
    const byName = new Map<string, MetricDescriptor>();
    if (this.#catalogue) {
      for (const descriptor of (await this.#catalogue.all(scope.signal)).values()) {
        const entry = this.#describe(descriptor);
        byName.set(entry.name, entry);
      }
    }
    for (const view of this.#ingestor.store.views()) {
      if (byName.has(view.name)) continue;
      const entry: MetricDescriptor = { source: this.id, name: view.name, description: 'from ingested export files' };
      if (view.upstreamMetric !== view.name) entry.upstreamName = view.upstreamMetric;
      if (view.unit !== undefined) entry.unit = view.unit;
      byName.set(view.name, entry);
    }
    const needle = search?.toLowerCase();
    return [...byName.values()]
      .filter((entry) => !needle || [entry.name, entry.upstreamName, entry.description].some((text) => text?.toLowerCase().includes(needle)))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  dataVersion(): string {
    return this.#ingestor.store.version();
  }

  /** Ingests an export document a client sent, by the same rules as files. */
  async ingestExport(document: unknown, name?: string): Promise<IngestReport> {
    await this.#ready;
    try {
      return this.#ingestor.ingest(await this.#ingestor.prepare(name, 'client', document));
    } catch (error) {
      if (!(error instanceof ExportDocumentError)) throw error;
      this.#ingestor.reject(name ?? documentName(document), 'client', error);
      throw new ExportDocumentError(error.jsonPath, error.reason, { source: this.id, field: 'document' });
    }
  }

  async exportStatus(): Promise<ExportStatus> {
    await this.#directory?.idle();
    return { documents: this.#ingestor.store.documents(), rejected: this.#ingestor.rejected(), problem: this.#directory?.problem };
  }

  async close(): Promise<void> {
    this.#directory?.close();
    await this.#client?.close();
  }

  /** The export answer for a query, or undefined when the API should answer it. */
  #fromExports(query: MetricQuery, params: DynatraceParams, metrics: readonly ResolvedMetric[]): SeriesAnswer | undefined {
    return this.#answersFromExports(query, params, metrics) ? this.#answerFromExports(query, params, metrics) : undefined;
  }

  /** Whether export files answer a query (rather than the API); throws when neither can. */
  #answersFromExports(query: MetricQuery, params: DynatraceParams, metrics: readonly ResolvedMetric[]): boolean {
    if (params.origin === 'API') {
      if (!this.#client) throw this.#noApi();
      return false;
    }
    const unfit = exportUnfitness(query, params);
    if (params.origin === 'EXPORTS' || !this.#client) {
      if (unfit !== undefined) {
        const why = params.origin === 'EXPORTS' ? 'origin EXPORTS' : `${this.id} has no API configured (url, apiToken) and answers from export files only`;
        throw new BadUserInputError(`${why}: ${unfit.reason}`, { field: unfit.field, source: this.id });
      }
      return true;
    }
    if (unfit !== undefined) return false;
    return metrics.every((metric) => {
      const view = this.#ingestor.store.view(metric.name);
      return view !== undefined && uncovered(view.coverage, query.range).length === 0;
    });
  }

  /**
   * Everything an aggregate push-down needs before it asks Dynatrace, or why there is none. The
   * read the gateway's own path would make decides: export files answer it, or it would fail
   * before reaching the API, means no push-down (that path then answers or fails as metricData
   * would). A filter that lists no values keeps nothing, and `query()` answers it without a call.
   */
  async #prepareAggregate(
    query: AggregateQuery,
    ctx: QueryContext,
  ): Promise<{ unsupported: string } | { empty: true } | { empty: false; plan: AggregatePlan; conversion: UnitConversion }> {
    if (!this.#client || !this.#catalogue) return { unsupported: 'no API configured' };
    let params: DynatraceParams;
    let resolved: ResolvedMetric;
    try {
      params = parseParams(query.params);
      resolved = this.mappings.resolve(query.metric);
      const read: MetricQuery = { metrics: [query.metric], range: query.readRange ?? query.range, filters: query.filters };
      if (query.params) read.params = query.params;
      if (this.#answersFromExports(read, params, [resolved])) return { unsupported: 'answered from export files' };
    } catch (error) {
      return { unsupported: `the gateway's own read fails: ${asError(error).message}` };
    }
    if (query.filters.some((filter) => !filter.exclude && filter.values.length === 0)) return { empty: true };

    let catalogue: Map<string, DynatraceDescriptor>;
    let conversion: UnitConversion;
    try {
      catalogue = await this.#catalogue.all(ctx.signal);
      conversion = this.#conversionFor(resolved, catalogue);
    } catch (error) {
      // Out of time is the request's answer, not a reason to compute it another way.
      if (ctx.signal?.aborted) throw error;
      return { unsupported: `metric discovery or units: ${asError(error).message}` };
    }
    const outcome = planAggregate({ query, params, resolved, descriptor: catalogue.get(resolved.key) });
    return 'unsupported' in outcome ? outcome : { empty: false, plan: outcome.plan, conversion };
  }

  #answerFromExports(query: MetricQuery, params: DynatraceParams, metrics: readonly ResolvedMetric[]): SeriesAnswer {
    const { series, warnings } = answerFromExports(this.#ingestor.store, this.id, {
      metrics,
      range: query.range,
      stepMs: query.intervalMs ?? DAY_MS,
      filters: query.filters,
      ...(params.splitBy ? { splitBy: params.splitBy } : {}),
    });
    return withWarnings(series, warnings);
  }

  #noApi(): BadUserInputError {
    const covered = this.#ingestor.store.documents();
    const span = covered.length > 0 ? ` (ingested exports cover ${days({ from: covered[0]!.doc.timeframe.from, to: covered[covered.length - 1]!.doc.timeframe.to })})` : '';
    return new BadUserInputError(`${this.id} has no API configured (url, apiToken); it answers from export files only, so origin API is not available${span}`, {
      field: 'dynatrace.origin',
      source: this.id,
    });
  }

  async #queryLive(live: readonly LiveQuery[], results: QueryResult[], ctx: QueryContext): Promise<void> {
    const parts: LivePart[] = [];
    const failures = new Map<LiveQuery, Error>();
    // Units of keys whose mapping does not state one come from the catalogue, fetched meanwhile.
    const catalogueLoad = this.#catalogueForUnits(live, ctx.signal);

    for (const entry of live) {
      try {
        // A filter that lists no values keeps nothing; Dynatrace has no way to say so, and no need to be asked.
        if (entry.query.filters.some((filter) => !filter.exclude && filter.values.length === 0)) {
          results[entry.index] = [];
          continue;
        }
        const scope: CallScope = { from: entry.query.range.from, to: entry.query.range.to };
        if (entry.query.intervalMs !== undefined) scope.resolution = resolutionFor(entry.query.intervalMs);
        if (entry.params.entitySelector !== undefined) scope.entitySelector = entry.params.entitySelector;
        if (entry.params.mzSelector !== undefined) scope.mzSelector = entry.params.mzSelector;
        for (const resolved of entry.metrics) {
          parts.push({
            live: entry,
            resolved,
            expression: metricExpression({
              key: resolved.key,
              filters: entry.query.filters,
              ...(entry.params.splitBy ? { splitBy: entry.params.splitBy } : {}),
              ...(entry.params.aggregation ? { aggregation: entry.params.aggregation } : {}),
            }),
            scope,
          });
        }
      } catch (error) {
        failures.set(entry, asError(error));
      }
    }

    const usable = parts.filter((part) => !failures.has(part.live));
    const outcomes = new Map<string, ExpressionOutcome>();
    const calls = planCalls(usable);
    await forEachLimited(calls, this.#concurrency, async (call) => {
      const answered = await this.#runCall(call, usable, ctx, ALL_RECOVERIES);
      answered.forEach((outcome, i) => outcomes.set(outcomeKey(call.scope, call.expressions[i]!), outcome));
    });
    const catalogue = await catalogueLoad;

    for (const entry of live) {
      if (results[entry.index] !== undefined) continue;
      const failure = failures.get(entry);
      if (failure) {
        results[entry.index] = failure;
        continue;
      }
      const series: Series[] = [];
      const warnings: SourceWarning[] = [];
      let error: Error | undefined;
      for (const part of usable) {
        if (part.live !== entry) continue;
        const outcome = outcomes.get(outcomeKey(part.scope, part.expression));
        if (!outcome || outcome instanceof Error) {
          error ??= outcome ?? new UpstreamUnavailableError(`${this.id} gave no answer for ${part.resolved.key}`, { source: this.id });
          continue;
        }
        try {
          series.push(
            ...toSeries(outcome.collection, outcome.slotMs, {
              source: this.id,
              metric: part.resolved.name,
              upstreamMetric: part.resolved.key,
              conversion: this.#conversionFor(part.resolved, catalogue),
              range: entry.query.range,
            }),
          );
        } catch (failure) {
          error ??= asError(failure);
        }
        for (const message of outcome.warnings) warnings.push({ source: this.id, metric: part.resolved.name, message });
      }
      results[entry.index] = error ?? withWarnings(series, warnings);
    }
  }

  /**
   * One /metrics/query call. A 404 means some key is unknown: the catalogue says which, those
   * expressions fail with the closest real keys, and the rest is asked again. A 400 for a call
   * that serves several queries is asked again query by query, so one query's bad parameter does
   * not fail the others.
   */
  async #runCall(call: PlannedCall, parts: readonly LivePart[], ctx: QueryContext, recoveries: ReadonlySet<Recovery>): Promise<ExpressionOutcome[]> {
    try {
      const data = await this.#client!.get<MetricData>('/metrics/query', queryString({ selector: call.expressions.join(','), ...call.scope }), ctx.signal);
      return this.#readAnswer(call, data);
    } catch (error) {
      const failure = asError(error);
      if (failure instanceof UpstreamNotFoundError && recoveries.has('without-unknown-keys')) {
        return this.#afterNotFound(call, parts, failure, ctx, without(recoveries, 'without-unknown-keys'));
      }
      if (failure instanceof UpstreamBadRequestError && recoveries.has('query-by-query')) {
        const byQuery = new Map<LiveQuery, string[]>();
        for (const part of parts) {
          if (!call.expressions.includes(part.expression) || !sameScope(part.scope, call.scope)) continue;
          const list = byQuery.get(part.live) ?? [];
          if (!list.includes(part.expression)) list.push(part.expression);
          byQuery.set(part.live, list);
        }
        if (byQuery.size > 1) {
          const outcomes = new Map<string, ExpressionOutcome>();
          for (const expressions of byQuery.values()) {
            const answered = await this.#runCall({ scope: call.scope, expressions }, parts, ctx, without(recoveries, 'query-by-query'));
            // An expression several queries share keeps its first outcome.
            answered.forEach((outcome, i) => {
              if (!outcomes.has(expressions[i]!)) outcomes.set(expressions[i]!, outcome);
            });
          }
          return call.expressions.map((expression) => outcomes.get(expression) ?? failure);
        }
      }
      return call.expressions.map(() => failure);
    }
  }

  #readAnswer(call: PlannedCall, data: MetricData): ExpressionOutcome[] {
    if (!Array.isArray(data?.result) || data.result.length !== call.expressions.length) {
      const got = Array.isArray(data?.result) ? data.result.length : 'no';
      const failure = new UpstreamUnavailableError(`${this.id} answered ${got} results for a selector of ${call.expressions.length} metrics`, { source: this.id });
      return call.expressions.map(() => failure);
    }
    let slotMs: number;
    try {
      slotMs = answerSlotMs(data, this.id);
    } catch (error) {
      return call.expressions.map(() => asError(error));
    }
    // Warnings of the whole answer that no single result repeats concern every expression.
    const perResult = new Set(data.result.flatMap((collection) => collection?.warnings ?? []));
    const general = (data.warnings ?? []).filter((warning) => typeof warning === 'string' && !perResult.has(warning));
    return data.result.map((collection) => ({
      collection: collection ?? {},
      slotMs,
      warnings: [...(collection?.warnings ?? []).filter((warning) => typeof warning === 'string'), ...general],
    }));
  }

  async #afterNotFound(call: PlannedCall, parts: readonly LivePart[], notFound: Error, ctx: QueryContext, recoveries: ReadonlySet<Recovery>): Promise<ExpressionOutcome[]> {
    let catalogue: Map<string, DynatraceDescriptor>;
    try {
      catalogue = await this.#catalogue!.all(ctx.signal);
    } catch (error) {
      if (ctx.signal?.aborted) return call.expressions.map(() => asError(error));
      return call.expressions.map(() => notFound);
    }
    const resolvedOf = (expression: string) => parts.find((part) => part.expression === expression)!.resolved;
    const unknown = call.expressions.filter((expression) => !catalogue.has(resolvedOf(expression).key));
    if (unknown.length === 0) return call.expressions.map(() => notFound);
    const known = call.expressions.filter((expression) => !unknown.includes(expression));
    const answered = known.length > 0 ? await this.#runCall({ scope: call.scope, expressions: known }, parts, ctx, recoveries) : [];
    return call.expressions.map((expression) =>
      unknown.includes(expression) ? this.#unknownKey(resolvedOf(expression), catalogue) : answered[known.indexOf(expression)]!,
    );
  }

  #unknownKey(resolved: ResolvedMetric, catalogue: ReadonlyMap<string, DynatraceDescriptor>): UpstreamNotFoundError {
    const closest = closestKeys(resolved.key, catalogue.keys());
    const mapped = resolved.mapping ? ` (mapped to ${resolved.name})` : '';
    const suggestion = closest.length > 0 ? `; the closest keys it has are ${closest.join(', ')}` : '; no key in its catalogue is close';
    const names = resolved.mapping ? [] : closestKeys(resolved.key, this.mappings.names(), 2);
    const alsoNames = names.length > 0 ? `; mapped names close to it: ${names.join(', ')}` : '';
    return new UpstreamNotFoundError(`${this.id} has no metric '${resolved.key}'${mapped}${suggestion}${alsoNames}`, {
      source: this.id,
      field: 'metric',
      upstreamStatus: 404,
    });
  }

  /**
   * The catalogue when some metric's unit is not known without it: an unmapped key, or a mapping
   * that does not state its Dynatrace unit. A failure comes back as an Error, not thrown: only
   * names that promise a unit need the answer.
   */
  async #catalogueForUnits(live: readonly LiveQuery[], signal: AbortSignal | undefined): Promise<Map<string, DynatraceDescriptor> | Error | undefined> {
    const needed = live.some((entry) => entry.metrics.some((metric) => !metric.mapping?.upstreamUnit));
    if (!needed || !this.#catalogue) return this.#catalogue?.peek();
    try {
      return await this.#catalogue.all(signal);
    } catch (error) {
      return asError(error);
    }
  }

  #conversionFor(resolved: ResolvedMetric, catalogue: Map<string, DynatraceDescriptor> | Error | undefined): UnitConversion {
    const mapping = resolved.mapping;
    const known = catalogue instanceof Map ? catalogue.get(resolved.key)?.unit : undefined;
    // An unmapped key is Dynatrace's own vocabulary: its values stay in Dynatrace's unit.
    if (!mapping) return { ...NO_CONVERSION, unit: friendlyUnit(known) };
    const upstreamUnit = mapping.upstreamUnit ?? known;
    if (upstreamUnit === undefined && declaredTimeUnit(mapping.name)) {
      if (catalogue instanceof Error) {
        throw new UpstreamUnavailableError(`${this.id} cannot tell the unit of ${mapping.key} (mapped to ${mapping.name}): metric discovery failed (${catalogue.message}); set upstreamUnit in its mapping`, {
          source: this.id,
        });
      }
      throw this.#unknownKey(resolved, catalogue ?? new Map());
    }
    try {
      return unitConversion(mapping.name, upstreamUnit);
    } catch (error) {
      throw new BadUserInputError(`${this.id}: ${(error as Error).message}`, { source: this.id, field: 'metric' });
    }
  }

  #describe(descriptor: DynatraceDescriptor): MetricDescriptor {
    const mapping = this.mappings.byKey(descriptor.metricId);
    const entry: MetricDescriptor = { source: this.id, name: mapping?.name ?? descriptor.metricId };
    if (mapping) entry.upstreamName = descriptor.metricId;
    let unit = friendlyUnit(descriptor.unit);
    if (mapping) {
      try {
        unit = unitConversion(mapping.name, mapping.upstreamUnit ?? descriptor.unit).unit;
      } catch {
        // A mapping whose unit cannot be converted fails its queries with the reason; list it as Dynatrace has it.
      }
    }
    if (unit !== undefined) entry.unit = unit;
    const text = [descriptor.displayName, descriptor.description].filter((part) => typeof part === 'string' && part.trim() !== '').join(': ');
    if (text !== '') entry.description = text;
    return entry;
  }

  async #unitOf(key: string, required: boolean): Promise<string | undefined> {
    if (!this.#catalogue) return undefined;
    if (!required) return this.#catalogue.peek()?.get(key)?.unit;
    try {
      return (await this.#catalogue.all()).get(key)?.unit;
    } catch (error) {
      this.#log.warn({ source: this.id, key, err: error }, 'metric discovery failed while ingesting an export');
      return undefined;
    }
  }
}

/** Why a query cannot be answered from per-day export records, or undefined when it can. */
function exportUnfitness(query: MetricQuery, params: DynatraceParams): { field: string; reason: string } | undefined {
  if (params.entitySelector !== undefined || params.mzSelector !== undefined) {
    const field = params.entitySelector !== undefined ? 'dynatrace.entitySelector' : 'dynatrace.mzSelector';
    return { field, reason: 'entitySelector and mzSelector select Dynatrace entities, which export files do not record' };
  }
  if (params.aggregation !== undefined) {
    return { field: 'dynatrace.aggregation', reason: 'aggregation does not apply to export files, which hold one value per slot' };
  }
  if (query.intervalMs !== undefined && query.intervalMs % MS.DAY !== 0) {
    return { field: 'interval', reason: `export data is kept per UTC day; ask for an interval of whole days (1d, 7d) or none; got ${formatDuration(query.intervalMs)}` };
  }
  if (query.range.from % MS.DAY !== 0 || query.range.to % MS.DAY !== 0) {
    return {
      field: 'from',
      reason: `export data is kept per UTC day; give from and to on UTC midnights (like 2024-01-01 or now-7d/d); got ${new Date(query.range.from).toISOString()} to ${new Date(query.range.to).toISOString()}`,
    };
  }
  return undefined;
}

function uniqueByKey(metrics: ResolvedMetric[]): ResolvedMetric[] {
  const seen = new Set<string>();
  return metrics.filter((metric) => !seen.has(metric.key) && seen.add(metric.key));
}

function withWarnings(series: Series[], warnings: SourceWarning[]): SeriesAnswer {
  return warnings.length > 0 ? Object.assign(series, { warnings }) : series;
}

function outcomeKey(scope: CallScope, expression: string): string {
  return JSON.stringify([scope.from, scope.to, scope.resolution ?? null, scope.entitySelector ?? null, scope.mzSelector ?? null, expression]);
}

function sameScope(a: CallScope, b: CallScope): boolean {
  return a.from === b.from && a.to === b.to && a.resolution === b.resolution && a.entitySelector === b.entitySelector && a.mzSelector === b.mzSelector;
}

function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  return new Error(String(error));
}

async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await task(items[next++]!);
  });
  await Promise.all(workers);
}

