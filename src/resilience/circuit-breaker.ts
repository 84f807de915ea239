import { CircuitBreakerOpenError } from '../core/errors.js';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  source: string;
  /** Consecutive failed attempts that open the circuit. */
  failures: number;
  /** How long it stays open before one probe is let through. */
  cooldownMs: number;
  onChange?: (state: CircuitState) => void;
  now?: () => number;
}

/**
 * A per-source circuit breaker around each upstream attempt. Closed: attempts pass, consecutive
 * failures are counted. Open: attempts fail at once (no upstream traffic) until the cooldown
 * ends. Half-open: exactly one probe passes; success closes, failure opens for another cooldown.
 */
export class CircuitBreaker {
  #state: CircuitState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #probing = false;
  readonly #options: CircuitBreakerOptions;
  readonly #now: () => number;

  constructor(options: CircuitBreakerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.#state === 'open' && this.#now() - this.#openedAt >= this.#options.cooldownMs) return 'half-open';
    return this.#state;
  }

  /** Milliseconds until a probe may go, while open. */
  get retryInMs(): number {
    return this.#state === 'open' ? Math.max(0, this.#openedAt + this.#options.cooldownMs - this.#now()) : 0;
  }

  /** Called before an attempt: throws CIRCUIT_BREAKER_OPEN when the attempt may not go. */
  enter(): void {
    const state = this.state;
    if (state === 'closed') return;
    if (state === 'half-open' && !this.#probing) {
      this.#probing = true;
      this.#set('half-open');
      return;
    }
    const wait = this.retryInMs;
    throw new CircuitBreakerOpenError(
      `${this.#options.source} failed ${this.#options.failures} times in a row, so the gateway stopped calling it for a while; ${wait > 0 ? `next try in ${Math.ceil(wait / 1000)} s` : 'a probe is under way'}`,
      { source: this.#options.source },
    );
  }

  success(): void {
    this.#failures = 0;
    this.#probing = false;
    if (this.#state !== 'closed') this.#set('closed');
  }

  failure(): void {
    this.#failures++;
    const probeFailed = this.#probing;
    this.#probing = false;
    if (probeFailed || (this.#state === 'closed' && this.#failures >= this.#options.failures)) {
      this.#openedAt = this.#now();
      this.#set('open');
    }
  }

  #set(state: CircuitState): void {
    this.#state = state;
    this.#options.onChange?.(state);
  }
}
