import { waitWithin } from '../resilience/wait-within.js';
import type { MetricSource, SourceHealth } from './source.js';

/**
 * Asks a source for its health with a deadline, and times it. A check that throws or takes too
 * long is an unhealthy answer, not an exception: health pages must always render.
 */
export async function checkHealth(source: MetricSource, timeoutMs = 2000): Promise<SourceHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<SourceHealth>((resolve) => {
      timer = setTimeout(() => resolve({ healthy: false, message: `health check took over ${timeoutMs} ms` }), timeoutMs);
    });
    const health = await Promise.race([source.health(), timeout]);
    return { ...health, latencyMs: health.latencyMs ?? Math.round(performance.now() - started) };
  } catch (error) {
    return { healthy: false, message: (error as Error).message, latencyMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Health of remote sources, shared by every caller for a moment. `/health` is open to anyone and
 * dashboards ask `sources { healthy }` on every refresh; without sharing, each such request sent
 * a probe to every vendor (a signed GET /metrics to Darktrace), screens times sources. Callers
 * asking while a check runs share it, and its result stands for `reuseMs` after it started: at
 * most one probe per source per second, however many ask. The native source is read from
 * memory, costs no vendor anything, and is always asked afresh.
 */
export class SharedHealthChecks {
  readonly #checks = new Map<string, { startedAt: number; result: Promise<SourceHealth> }>();

  constructor(
    private readonly timeoutMs = 2000,
    private readonly reuseMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * `signal`: the asking request's. A probe is shared and bound by `timeoutMs`; a request whose
   * deadline comes first stops waiting for it and reads the source as unhealthy, saying why.
   */
  check(source: MetricSource, signal?: AbortSignal): Promise<SourceHealth> {
    if (source.kind === 'native') return checkHealth(source, this.timeoutMs);
    return waitWithin(this.#shared(source), signal, source.id).catch((error: unknown) => ({
      healthy: false,
      message: `health check unfinished: ${(error as Error).message}`,
    }));
  }

  #shared(source: MetricSource): Promise<SourceHealth> {
    const now = this.now();
    const kept = this.#checks.get(source.id);
    if (kept && now - kept.startedAt < this.reuseMs) return kept.result;
    const result = checkHealth(source, this.timeoutMs);
    this.#checks.set(source.id, { startedAt: now, result });
    return result;
  }
}
