import type { Label } from '../format.js';
import type { Selection } from '../selection.js';
import type { ViewCard } from './card.js';

export interface ViewEnv {
  card: ViewCard;
  /** Aborted when the selection changes or the user cancels. */
  controller: AbortController;
  /** The metric's unit from discovery, when the answer itself carries none. */
  unit: string | undefined;
  /** Label sets seen in answers, for the filter and group-by suggestions. */
  sawLabels(labels: readonly Label[]): void;
}

/** One way of looking at a selection: series, aggregate, trend or allocation. */
export interface View {
  run(selection: Selection, env: ViewEnv): Promise<void>;
  /** Stops anything still running (a live stream) and lets go of the chart. */
  dispose(): void;
}

/** Epoch milliseconds of a `Time` output (ISO-8601 UTC). */
export function timeOf(iso: string): number {
  return Date.parse(iso);
}
