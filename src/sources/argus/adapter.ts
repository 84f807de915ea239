import { stableStringify } from '../../cache/keys.js';
import type { AggregateGroup } from '../../core/aggregate.js';
import type { Series } from '../../core/series.js';
import type {
  AggregateQuery,
  MetricDescriptor,
  MetricQuery,
  MetricSource,
  QueryContext,
  QueryResult,
  SourceCapabilities,
  SourceHealth,
} from '../source.js';
import { runAggregate } from './aggregate.js';
import { planAggregate } from './aggregate-plan.js';
import type { ArgusClient } from './client.js';
import type { ArgusDescriptorConfig } from './config.js';
import { DescriptorCatalog, type Descriptor } from './descriptors.js';
import { recordsToSeries, type RecordView } from './records.js';
import { planSearch, runSearch, type SearchPlan } from './search.js';
import { submitRecords, type SubmitOutcome, type SubmitRecord } from './submit.js';

export interface ArgusSubmitRequest {
  /** The descriptor's shortName, as configured. */
  descriptor: string;
  records: readonly SubmitRecord[];
  ignoreOnFailed?: boolean;
  customer?: string;
}

/**
 * Mnemonic Argus as a source. Reads go through metric search (one request per descriptor a query
 * names; identical searches in a batch are sent once), aggregates are pushed down to Argus's
 * aggregate endpoint, and records are written with submit. Descriptors come from configuration.
 */
export class ArgusSource implements MetricSource {
  readonly kind = 'argus' as const;
  readonly capabilities: SourceCapabilities = { maxBatchSize: 50, cacheable: true, pushDownAggregation: true, writes: true };
  readonly catalog: DescriptorCatalog;
  readonly #client: ArgusClient;

  constructor(
    readonly id: string,
    client: ArgusClient,
    descriptors: readonly ArgusDescriptorConfig[],
  ) {
    this.#client = client;
    this.catalog = new DescriptorCatalog(id, descriptors);
  }

  async query(queries: readonly MetricQuery[], ctx: QueryContext): Promise<QueryResult[]> {
    const searches = new Map<string, Promise<RecordView[]>>();
    const search = (plan: SearchPlan) => {
      const key = `${plan.descriptor.shortName}\0${stableStringify(plan.body)}`;
      let records = searches.get(key);
      if (!records) searches.set(key, (records = runSearch(this.#client, plan, ctx.signal)));
      return records;
    };

    return Promise.all(
      queries.map(async (query): Promise<QueryResult> => {
        try {
          const planned = this.#targets(query).map(({ descriptor, values }) => ({ values, plan: planSearch(descriptor, query, this.id) }));
          const answers = await Promise.all(planned.map(({ plan }) => search(plan)));
          const series: Series[] = [];
          planned.forEach(({ values, plan }, i) => {
            series.push(
              ...recordsToSeries(answers[i]!, { descriptor: plan.descriptor, values }, {
                source: this.id,
                range: query.range,
                ...(query.intervalMs !== undefined ? { intervalMs: query.intervalMs } : {}),
                filters: plan.localFilters,
              }),
            );
          });
          return series;
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      }),
    );
  }

  /**
   * The aggregate push-down: Argus computes sum, avg, min, max or wavg of one value per group and
   * bucket, with the same answer the gateway would compute from search results. Resolves to
   * undefined for what Argus cannot compute that way (the gateway then computes it); throws
   * BAD_USER_INPUT, before sending, for what is wrong either way (WAVG without weightBy).
   */
  async aggregate(query: AggregateQuery, ctx: QueryContext): Promise<AggregateGroup[] | undefined> {
    const plan = planAggregate(this.catalog, query);
    if (!plan) {
      ctx.log.debug({ source: this.id, metric: query.metric, fn: query.fn }, 'aggregate not pushed down to Argus');
      return undefined;
    }
    return runAggregate(this.#client, plan, ctx.signal);
  }

  /** Stores records; the outcome says, per record, whether it was stored and why not. Never retried. */
  async submit(request: ArgusSubmitRequest, ctx: Pick<QueryContext, 'signal'> = {}): Promise<SubmitOutcome> {
    const descriptor = this.catalog.get(request.descriptor);
    return submitRecords(
      this.#client,
      {
        descriptor,
        records: request.records,
        ...(request.ignoreOnFailed !== undefined ? { ignoreOnFailed: request.ignoreOnFailed } : {}),
        ...(request.customer !== undefined ? { customer: request.customer } : {}),
      },
      ctx.signal,
    );
  }

  async listMetrics(search: string | undefined): Promise<MetricDescriptor[]> {
    return this.catalog.describe(search);
  }

  /** A one-record search of the last minute on the first descriptor: reachable, key accepted, descriptor known. */
  async health(): Promise<SourceHealth> {
    const descriptor = this.catalog.list()[0]!;
    const now = Date.now();
    const plan: SearchPlan = { descriptor, body: { startTimestamp: now - 60_000, endTimestamp: now, limit: 1 }, localFilters: [] };
    try {
      await runSearch(this.#client, plan, AbortSignal.timeout(2000));
      return { healthy: true, message: `${this.catalog.list().length} descriptor(s) configured; API key accepted` };
    } catch (error) {
      return { healthy: false, message: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    await this.#client.close();
  }

  /** The descriptors a query names, each with the values asked for (`netstats` and `netstats.frames` merge). */
  #targets(query: MetricQuery): Array<{ descriptor: Descriptor; values: string[] }> {
    const byDescriptor = new Map<string, { descriptor: Descriptor; values: Set<string> }>();
    for (const metric of query.metrics) {
      const target = this.catalog.resolve(metric, query.metrics.length > 1 ? 'metrics' : 'metric');
      let entry = byDescriptor.get(target.descriptor.shortName);
      if (!entry) byDescriptor.set(target.descriptor.shortName, (entry = { descriptor: target.descriptor, values: new Set() }));
      for (const value of target.values) entry.values.add(value);
    }
    return [...byDescriptor.values()].map(({ descriptor, values }) => ({
      descriptor,
      values: descriptor.values.filter((value) => values.has(value)),
    }));
  }
}
