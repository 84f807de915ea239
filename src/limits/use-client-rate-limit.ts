import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { identityKey } from '../auth/identity.js';
import { requestIdentity, isProtectedPath } from '../auth/use-auth.js';
import { RateLimitedError } from '../core/errors.js';
import type { GatewayMetrics } from '../telemetry/metrics.js';
import type { ClientRateLimiter } from './client-rate-limiter.js';

export interface ClientRateLimitOptions {
  limiter: ClientRateLimiter;
  graphqlEndpoint: string;
  log: Logger;
  metrics?: GatewayMetrics;
}

/**
 * Refuses a client's request once it used up its window: HTTP 429 with Retry-After and a
 * RATE_LIMITED GraphQL error carrying `retryAfterMs`. The client is its identity; without
 * authentication every caller is the same identity, so the address tells clients apart.
 */
export function useClientRateLimit({ limiter, graphqlEndpoint, log }: ClientRateLimitOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI, serverContext }) {
      if (!isProtectedPath(url.pathname, graphqlEndpoint)) return;
      const identity = requestIdentity(request);
      const address = (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req?.socket?.remoteAddress ?? 'unknown';
      const client = identity.id === 'anonymous' ? `addr:${address}` : `id:${identityKey(identity)}`;
      const decision = await limiter.take(client);
      if (decision.allowed) return;
      const error = new RateLimitedError(
        `too many requests from this client; retry after ${Math.ceil(decision.retryAfterMs / 1000)} s`,
        decision.retryAfterMs,
      );
      log.info({ client: identity.id, retryAfterMs: decision.retryAfterMs }, 'request refused: rate limited');
      endResponse(
        fetchAPI.Response.json(
          { errors: [{ message: error.message, extensions: error.extensions() }] },
          { status: 429, headers: { 'retry-after': String(Math.ceil(decision.retryAfterMs / 1000)), 'cache-control': 'no-store' } },
        ),
      );
    },
  };
}
