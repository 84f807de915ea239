import { UpstreamUnavailableError } from '../../core/errors.js';
import { waitWithin } from '../../resilience/wait-within.js';
import type { DynatraceClient } from './client.js';

/**
 * The environment's metric catalogue from GET /api/v2/metrics, all pages, kept for a while.
 * Paging follows the API's rule: the first request carries the parameters, every later one only
 * `nextPageKey` (anything else next to it is a 400). Concurrent callers share one fetch.
 */

export interface DynatraceDescriptor {
  metricId: string;
  displayName?: string;
  description?: string;
  unit?: string;
  dimensionDefinitions?: Array<{ key: string }>;
  /** Aggregations the metric offers before any space aggregation (`auto`, `value`, `avg`, ...). */
  aggregationTypes?: string[];
  defaultAggregation?: { type?: string };
}

interface DescriptorPage {
  totalCount?: number;
  nextPageKey?: string | null;
  metrics?: DynatraceDescriptor[];
}

/** The largest page the API serves; larger requests are clamped to it anyway. */
const PAGE_SIZE = 500;
/** A catalogue this many pages long means the upstream keeps handing out keys; stop. */
const MAX_PAGES = 1000;
const FIRST_PAGE = `pageSize=${PAGE_SIZE}&fields=${encodeURIComponent('+dimensionDefinitions,+aggregationTypes,+defaultAggregation')}`;

/** After a failed fetch, callers within this long get the same failure instead of a new attempt. */
const FAILURE_COOLDOWN_MS = 10_000;

export class DescriptorCatalogue {
  #cached: { at: number; byKey: Map<string, DynatraceDescriptor> } | undefined;
  #loading: Promise<Map<string, DynatraceDescriptor>> | undefined;
  #failure: { at: number; error: unknown } | undefined;

  constructor(
    private readonly client: DynatraceClient,
    private readonly source: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The catalogue, fetched when missing or older than the TTL. The fetch is shared and bound only
   * by the source's own timeout; `signal` (the asking request's) bounds how long this caller waits
   * for it, so a request that joins a fetch another began still leaves at its own deadline.
   */
  all(signal?: AbortSignal): Promise<Map<string, DynatraceDescriptor>> {
    return waitWithin(this.#all(), signal, this.source);
  }

  async #all(): Promise<Map<string, DynatraceDescriptor>> {
    if (this.#cached && this.now() - this.#cached.at < this.ttlMs) return this.#cached.byKey;
    // A catalogue that is down should not cost every caller a full deadline of retries.
    if (this.#failure && this.now() - this.#failure.at < FAILURE_COOLDOWN_MS) throw this.#failure.error;
    this.#loading ??= this.#fetch()
      .then((byKey) => {
        this.#failure = undefined;
        return byKey;
      })
      .catch((error: unknown) => {
        this.#failure = { at: this.now(), error };
        throw error;
      })
      .finally(() => {
        this.#loading = undefined;
      });
    return this.#loading;
  }

  /** The catalogue if one is loaded (however old), without asking upstream. */
  peek(): Map<string, DynatraceDescriptor> | undefined {
    return this.#cached?.byKey;
  }

  async #fetch(): Promise<Map<string, DynatraceDescriptor>> {
    const byKey = new Map<string, DynatraceDescriptor>();
    const seenKeys = new Set<string>();
    let query = FIRST_PAGE;
    for (let page = 0; page < MAX_PAGES; page++) {
      // Not tied to one client request: the catalogue outlives it and serves everyone.
      const body = await this.client.get<DescriptorPage>('/metrics', query);
      if (!Array.isArray(body?.metrics)) {
        throw new UpstreamUnavailableError(`${this.source} answered GET /api/v2/metrics without a metrics list`, { source: this.source });
      }
      for (const descriptor of body.metrics) {
        if (descriptor && typeof descriptor.metricId === 'string') byKey.set(descriptor.metricId, descriptor);
      }
      const next = body.nextPageKey;
      if (next === null || next === undefined || next === '') {
        this.#cached = { at: this.now(), byKey };
        return byKey;
      }
      if (seenKeys.has(next)) {
        throw new UpstreamUnavailableError(`${this.source} repeated a nextPageKey while listing metrics; the catalogue cannot be read to its end`, { source: this.source });
      }
      seenKeys.add(next);
      query = `nextPageKey=${encodeURIComponent(next)}`;
    }
    throw new UpstreamUnavailableError(`${this.source} listed more than ${MAX_PAGES} pages of metrics; stopped reading`, { source: this.source });
  }
}
