import { UpstreamUnavailableError } from '../../core/errors.js';
import { SingleFlight } from '../../cache/single-flight.js';
import { waitWithin } from '../../resilience/wait-within.js';

/**
 * The appliance's metric list from GET /metrics: system names, readable labels and units. Read
 * once and reused for `ttlMs`, since it changes only when the appliance is upgraded or gains a
 * module; concurrent first readers share one request.
 *
 * Items are `{mlid, name, label, units?, filtertypes[], unitsinterval, lengthscale}` (portal
 * schema), not the SDK docs' `{description, unit, datatype, ...}`.
 */

/** How long a failed read of /metrics is remembered. */
const FAILURE_HOLD_MS = 30_000;

export interface DarktraceMetricInfo {
  mlid: number | null;
  /** System name, as /metricdata takes it. */
  name: string;
  label: string | null;
  units: string | null;
  filtertypes: string[];
  /** The metric's default interval in seconds. */
  unitsinterval: number | null;
}

export class DescriptorCache {
  readonly #flight = new SingleFlight<Map<string, DarktraceMetricInfo>>();
  #cached: { at: number; byName: Map<string, DarktraceMetricInfo> } | undefined;
  #failed: { at: number; error: unknown } | undefined;

  constructor(
    private readonly source: string,
    private readonly fetchList: () => Promise<unknown>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The metric list by system name, from the cache while it is fresh. When a fresh read fails,
   * an older list is better than none (names and units rarely change); with no list at all the
   * error comes back, and for `FAILURE_HOLD_MS` it comes back at once instead of every query
   * waiting on a broken /metrics (with its retries) again.
   *
   * The read is shared and bound only by the source's own timeout; `signal` (the asking request's)
   * bounds how long this caller waits for it, so a request that joins a read another began still
   * leaves at its own deadline.
   */
  get(signal?: AbortSignal): Promise<Map<string, DarktraceMetricInfo>> {
    return waitWithin(this.#get(), signal, this.source);
  }

  #get(): Promise<Map<string, DarktraceMetricInfo>> {
    const cached = this.#cached;
    if (cached && this.now() - cached.at < this.ttlMs) return Promise.resolve(cached.byName);
    if (this.#failed && this.now() - this.#failed.at < FAILURE_HOLD_MS) {
      return cached ? Promise.resolve(cached.byName) : Promise.reject(this.#failed.error);
    }
    return this.refresh().catch((error: unknown) => {
      if (cached) return cached.byName;
      throw error;
    });
  }

  /** Reads the list now (joining a read already under way). */
  refresh(): Promise<Map<string, DarktraceMetricInfo>> {
    return this.#flight.run('metrics', async () => {
      try {
        const byName = parseMetricList(this.source, await this.fetchList());
        this.#cached = { at: this.now(), byName };
        this.#failed = undefined;
        return byName;
      } catch (error) {
        this.#failed = { at: this.now(), error };
        throw error;
      }
    });
  }
}

export function parseMetricList(source: string, body: unknown): Map<string, DarktraceMetricInfo> {
  if (!Array.isArray(body)) {
    throw new UpstreamUnavailableError(`${source} answered /metrics in an unexpected shape: expected a list of metrics`, { source });
  }
  const byName = new Map<string, DarktraceMetricInfo>();
  body.forEach((raw, i) => {
    const record = (raw ?? {}) as Record<string, unknown>;
    if (typeof record.name !== 'string' || record.name === '') {
      throw new UpstreamUnavailableError(`${source} answered /metrics in an unexpected shape: item ${i} has no name`, { source });
    }
    byName.set(record.name, {
      mlid: typeof record.mlid === 'number' ? record.mlid : null,
      name: record.name,
      label: typeof record.label === 'string' ? record.label : null,
      units: typeof record.units === 'string' && record.units.trim() !== '' ? record.units : null,
      filtertypes: Array.isArray(record.filtertypes) ? record.filtertypes.filter((f): f is string => typeof f === 'string') : [],
      unitsinterval: typeof record.unitsinterval === 'number' ? record.unitsinterval : null,
    });
  });
  return byName;
}
