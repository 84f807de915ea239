import { setFlagsFromString } from 'node:v8';

/** How far past what the last full collection left live V8 lets the old generation grow. */
export const HEAP_GROWTH_PERCENT = 50;

/**
 * Lets each thread's old generation grow to 1.5x what the last full collection left live before
 * the next one, where V8 on a machine with a few GB of memory allows 4x. Under load, request
 * state that outlives two young-generation collections (an answer waiting on its upstream for
 * 40 ms at 1,000 requests/s) is promoted and dies in the old generation: the gateway's heap swung
 * between 30 MB live and 140 MB before each full collection, and the resident set followed. At
 * 1.5x the heap peaks near 60 MB; full collections come about 2.5x as often, each of them short
 * because what is live is small (bench/RESULTS.md has the figures).
 *
 * It is process-wide (every thread's heap), so the process's entry (src/main.ts) sets it, not
 * createGateway, which may run inside someone else's process. A `--heap-growing-percent` given to
 * node on the command line wins.
 */
export function limitHeapGrowth(percent = HEAP_GROWTH_PERCENT): void {
  if (process.execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
