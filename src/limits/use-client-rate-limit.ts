import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { identityKey, type Identity } from '../auth/identity.js';
import { requestIdentity } from '../auth/use-auth.js';
import { RateLimitedError } from '../core/errors.js';
import type { ClientAddresses } from '../http/client-address.js';
import { refusal, retryAfterSeconds } from '../http/refusal.js';
import { routeOf } from '../http/use-routes.js';
import type { ClientRateLimiter } from './client-rate-limiter.js';

export interface ClientRateLimitOptions {
  limiter: ClientRateLimiter;
  /** Where a request comes from (clients without an identity are told apart by it). */
  addresses: ClientAddresses;
  log: Logger;
}

/**
 * The client a request counts against: its identity; without authentication every caller is the
 * same identity, so the address tells clients apart.
 */
export function rateClient(identity: Identity, address: string): string {
  return identity.id === 'anonymous' ? `addr:${address}` : `id:${identityKey(identity)}`;
}

/** The refusal for a used-up window: RATE_LIMITED with `retryAfterMs`. */
export function rateLimitedError(retryAfterMs: number): RateLimitedError {
  return new RateLimitedError(`too many requests from this client; retry after ${Math.ceil(retryAfterMs / 1000)} s`, retryAfterMs);
}

/**
 * Refuses a client's request to a route that does work (GraphQL, /health, the collector API) once
 * it used up its window: HTTP 429 with Retry-After and RATE_LIMITED with `retryAfterMs`, in
 * GraphQL's shape on the GraphQL route and `{detail, code}` on the others. Runs after useAuth.
 * (WebSocket upgrades and subscribes are counted by src/http/websocket-admission.ts.)
 */
export function useClientRateLimit({ limiter, addresses, log }: ClientRateLimitOptions): Plugin {
  return {
    async onRequest({ request, endResponse, fetchAPI, serverContext }) {
      const route = routeOf(request);
      if (!route?.limited) return;
      const identity = requestIdentity(request);
      const decision = await limiter.take(rateClient(identity, addresses.ofRequest(request, serverContext)));
      if (decision.allowed) return;
      log.info({ client: identity.id, retryAfterMs: decision.retryAfterMs }, 'request refused: rate limited');
      endResponse(refusal(fetchAPI, route, rateLimitedError(decision.retryAfterMs), 429, { 'retry-after': retryAfterSeconds(decision.retryAfterMs) }));
    },
  };
}
