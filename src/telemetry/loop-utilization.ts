import type { EventLoopUtilization } from 'node:perf_hooks';

/** Whatever has an event loop to measure: the process (`perf_hooks.performance`) or a Worker (`worker.performance`). */
export interface LoopOwner {
  performance: { eventLoopUtilization(current?: EventLoopUtilization, previous?: EventLoopUtilization): EventLoopUtilization };
}

/**
 * A reader of how busy a loop was since the previous read (0 to 1), for a gauge read at scrape
 * time. `owner` gives the loop's current owner, or undefined while there is none; a new owner (the
 * upstream thread started again) starts a new count.
 */
export function loopUtilization(owner: () => LoopOwner | undefined): () => number | undefined {
  let last: { owner: LoopOwner; sample: EventLoopUtilization } | undefined;
  return () => {
    const current = owner();
    if (!current) {
      last = undefined;
      return undefined;
    }
    const sample = current.performance.eventLoopUtilization();
    const since = last?.owner === current ? current.performance.eventLoopUtilization(sample, last.sample) : sample;
    last = { owner: current, sample };
    return since.utilization;
  };
}
