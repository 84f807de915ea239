import type { EmulatedRequest, EmulatorReply } from '../server.js';
import { errorReply } from './envelope.js';

/**
 * Tokens and rate limits. A token is read from `Authorization: Api-Token <token>` (the query
 * parameter `api-token` also works, as documented, though discouraged); a missing or unknown
 * token is 401, a token without the route's scope 403. Each token has a per-window request budget;
 * every answer carries X-RateLimit-Limit, -Remaining and -Reset (epoch MICROseconds, as
 * documented), and an exhausted budget answers 429, with Retry-After (seconds) when configured.
 */

export interface RateLimit {
  /** Requests per window and token. */
  limit: number;
  /** @default 60000 (the documented per-minute limit) */
  windowMs?: number;
  /** Send Retry-After with 429s. The access-limit documentation does not promise it. @default true */
  retryAfter?: boolean;
}

export class Access {
  readonly #tokens: Map<string, readonly string[]>;
  #rateLimit: Required<RateLimit>;
  readonly #windows = new Map<string, { start: number; used: number }>();

  constructor(tokens: Record<string, readonly string[]>, rateLimit: RateLimit) {
    this.#tokens = new Map(Object.entries(tokens));
    this.#rateLimit = { windowMs: 60_000, retryAfter: true, ...rateLimit };
  }

  setRateLimit(rateLimit: RateLimit): void {
    this.#rateLimit = { windowMs: 60_000, retryAfter: true, ...rateLimit };
    this.#windows.clear();
  }

  /** The token of a request, or an error answer. */
  authenticate(request: EmulatedRequest, scope: string): { token: string } | EmulatorReply {
    const header = request.headers.authorization;
    const fromHeader = typeof header === 'string' ? /^Api-Token\s+(\S+)$/i.exec(header.trim())?.[1] : undefined;
    const token = fromHeader ?? request.url.searchParams.get('api-token') ?? undefined;
    if (token === undefined) return errorReply(401, 'Missing authorization parameter.');
    const scopes = this.#tokens.get(token);
    if (!scopes) return errorReply(401, 'Token Authentication failed');
    if (!scopes.includes(scope)) return errorReply(403, `Token is missing required scope. Use one of: ${scope}`);
    return { token };
  }

  /** Counts a request against its token's budget: the rate-limit headers, or a 429 answer. */
  admit(token: string, now: number): { admitted: true; headers: Record<string, string> } | { admitted: false; reply: EmulatorReply } {
    const { limit, windowMs, retryAfter } = this.#rateLimit;
    let window = this.#windows.get(token);
    if (!window || now >= window.start + windowMs) {
      window = { start: Math.floor(now / windowMs) * windowMs, used: 0 };
      this.#windows.set(token, window);
    }
    const resetMs = window.start + windowMs;
    const headers = {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - window.used - 1)),
      'x-ratelimit-reset': String(resetMs * 1000),
    };
    if (window.used >= limit) {
      const limited = { ...headers, 'x-ratelimit-remaining': '0' };
      if (retryAfter) Object.assign(limited, { 'retry-after': String(Math.max(1, Math.ceil((resetMs - now) / 1000))) });
      return { admitted: false, reply: errorReply(429, 'Too Many Requests', undefined, limited) };
    }
    window.used++;
    return { admitted: true, headers };
  }
}
