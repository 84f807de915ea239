import { z } from 'zod';

const positive = z.number().positive();
const positiveInt = z.number().int().positive();

/** Per-source resilience settings, spread into every source kind's schema through `sourceBase`. */
export const sourceResilienceOptions = {
  /**
   * Outbound token bucket: no amount of client traffic sends this source more than `perSecond`
   * HTTP requests a second on average, `burst` at once. @default none
   */
  rateLimit: z.strictObject({ perSecond: positive, burst: positiveInt.optional() }).optional(),
  /**
   * Opens after `failures` consecutive failed upstream attempts (timeouts, 5xx, dropped
   * connections, oversized answers; a 429 counts neither way); while open every call fails at once with CIRCUIT_BREAKER_OPEN; after
   * `cooldownMs` one probe goes through (half-open) and its outcome closes or reopens it.
   * `false` turns it off. @default { failures: 5, cooldownMs: 30000 }
   */
  circuitBreaker: z.union([z.literal(false), z.strictObject({ failures: positiveInt.default(5), cooldownMs: positiveInt.default(30_000) })]).optional(),
  /**
   * How long past its TTL a cached answer is kept to be served, with a STALE_DATA warning, when
   * the source fails. 0 turns it off. @default 0 (off)
   */
  maxStaleMs: z.number().int().min(0).optional(),
};
