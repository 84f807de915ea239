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
