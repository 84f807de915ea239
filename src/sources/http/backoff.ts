/**
 * "Full jitter" exponential backoff (AWS architecture blog, the policy cockatiel and Polly
 * recommend): a random wait between 0 and min(cap, base * 2^attempt). The randomness keeps many
 * gateway instances from retrying a recovering vendor in lockstep.
 */
export function backoffMs(attempt: number, baseMs = 100, capMs = 2000, random: () => number = Math.random): number {
  return Math.round(random() * Math.min(capMs, baseMs * 2 ** attempt));
}
