/**
 * A retry budget per source: retries may add at most `ratio` of the requests sent (plus a small
 * reserve for quiet periods), so when an upstream is failing everything, retries cannot multiply
 * the load on it. Each first attempt earns `ratio` of a token; each retry spends one. Kept in
 * thousandths, so ten deposits of 0.2 are exactly two retries.
 */
export class RetryBudget {
  #milli: number;
  readonly #earn: number;
  readonly #cap: number;

  constructor(
    readonly ratio = 0.2,
    readonly reserve = 10,
  ) {
    this.#earn = Math.round(ratio * 1000);
    this.#milli = reserve * 1000;
    // Saved-up retries are bounded, so a long quiet spell cannot fund a retry storm.
    this.#cap = (reserve + Math.ceil(1000 * ratio)) * 1000;
  }

  /** A first attempt went out. */
  deposit(): void {
    this.#milli = Math.min(this.#cap, this.#milli + this.#earn);
  }

  /** Whether a retry may go; spends a token when it may. */
  withdraw(): boolean {
    if (this.#milli < 1000) return false;
    this.#milli -= 1000;
    return true;
  }
}
