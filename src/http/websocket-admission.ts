import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { credentialsFromHeaders, credentialsFromPayload } from '../auth/authenticator.js';
import { ANONYMOUS, bindIdentity, identityOf } from '../auth/identity.js';
import type { LoginGate } from '../auth/login-gate.js';
import { RateLimitedError } from '../core/errors.js';
import type { ClientRateLimiter } from '../limits/client-rate-limiter.js';
import { rateClient, rateLimitedError } from '../limits/use-client-rate-limit.js';
import type { ClientAddresses } from './client-address.js';
import { retryAfterSeconds } from './refusal.js';
import type { WebSocketOptions } from './websocket.js';

/** The close code for a connection refused because its address is throttled (graphql-ws clients do not retry it). */
export const THROTTLED_CLOSE_CODE = 4429;

export interface WebSocketAdmissionOptions {
  /** Authentication behind the failed-login throttle. */
  gate: LoginGate;
  /** The client rate limit; undefined when it is off. */
  limiter: ClientRateLimiter | undefined;
  /** Where an upgrade comes from. */
  addresses: ClientAddresses;
}

/**
 * The door rules of HTTP, for WebSocket connections: an upgrade from a throttled address or over
 * the address's rate limit is refused with HTTP 429 before the handshake; connection_init is
 * authenticated behind the failed-login throttle (4403 for bad credentials, 4429 once throttled);
 * every subscribe counts against the client's rate limit and over it fails with RATE_LIMITED.
 */
export function websocketAdmission(options: WebSocketAdmissionOptions): Pick<WebSocketOptions, 'admit' | 'authenticate' | 'beforeOperation'> {
  const { gate, limiter, addresses } = options;
  const addressOf = (upgrade: IncomingMessage) => addresses.ofUpgrade(upgrade);
  const tooMany = (error: RateLimitedError) => ({
    status: 429,
    headers: { 'retry-after': retryAfterSeconds(error.retryAfterMs) },
    body: { errors: [{ message: error.message, extensions: error.extensions() }] },
  });
  return {
    admit: async (upgrade) => {
      const throttled = await gate.throttled(addressOf(upgrade));
      if (throttled) return tooMany(throttled);
      const decision = await limiter?.take(rateClient(ANONYMOUS, addressOf(upgrade)));
      return decision && !decision.allowed ? tooMany(rateLimitedError(decision.retryAfterMs)) : undefined;
    },
    // The connection_init payload wins over the upgrade headers (browsers cannot set headers on a WebSocket).
    authenticate: async (request, connectionParams, upgrade) => {
      const fromPayload = credentialsFromPayload(connectionParams);
      const credentials = fromPayload.apiKey || fromPayload.authorization ? fromPayload : credentialsFromHeaders(request.headers);
      try {
        bindIdentity(request, await gate.login(credentials, addressOf(upgrade)));
      } catch (error) {
        if (error instanceof RateLimitedError) throw Object.assign(error, { closeCode: THROTTLED_CLOSE_CODE });
        throw error;
      }
    },
    beforeOperation: async (request, upgrade) => {
      const decision = await limiter?.take(rateClient(identityOf(request) ?? ANONYMOUS, addressOf(upgrade)));
      if (!decision || decision.allowed) return undefined;
      const error = rateLimitedError(decision.retryAfterMs);
      return new GraphQLError(error.message, { extensions: error.extensions() });
    },
  };
}
