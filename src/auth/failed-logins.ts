import type { WindowCounter } from '../limits/window-counter.js';

/**
 * Failed authentications per client address, in fixed windows (shared through Redis when it is
 * configured). Once an address used up its budget, every request from it is refused until its
 * window ends, right keys included: answering a right key while refusing wrong ones would tell a
 * guesser when it guessed right. A success resets nothing, so one client's login cannot wipe
 * another's failures behind the same address.
 */
export class FailedLogins {
  constructor(
    /** Failures an address may have per window. */
    readonly max: number,
    readonly counter: WindowCounter,
  ) {}

  /** How long the address must still wait; 0 when it may try. */
  async blockedForMs(address: string): Promise<number> {
    const { count, resetInMs } = await this.counter.add(address, 0);
    return count >= this.max ? resetInMs : 0;
  }

  async failed(address: string): Promise<void> {
    await this.counter.add(address, 1);
  }

  close(): Promise<void> {
    return this.counter.close();
  }
}
