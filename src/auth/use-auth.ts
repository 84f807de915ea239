import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { ForbiddenError, RateLimitedError, UnauthenticatedError } from '../core/errors.js';
import { rawTarget, type ClientAddresses } from '../http/client-address.js';
import { refusal, retryAfterSeconds } from '../http/refusal.js';
import { routeFor } from '../http/routes.js';
import { routeOf } from '../http/use-routes.js';
import type { SourceRegistry } from '../sources/source.js';
import { credentialsFromHeaders } from './authenticator.js';
import { ANONYMOUS, bindIdentity, identityOf, type Identity } from './identity.js';
import type { LoginGate } from './login-gate.js';

export interface AuthPluginOptions {
  /** Authentication behind the failed-login throttle. */
  gate: LoginGate;
  /** Where a request comes from (the throttle counts per address). */
  addresses: ClientAddresses;
  log: Logger;
}

/**
 * Authenticates every request to a protected route (src/http/routes.ts: everything but the probes
 * and the Explore page's shell) before anything else of ours runs, on the route useRoutes decided.
 * No or bad credentials end it with 401 saying what to send; an address over its failed-login
 * budget gets 429 with Retry-After. The identity is bound to the request for the context factory,
 * the collector API and the other plugins.
 */
export function useAuth({ gate, addresses, log }: AuthPluginOptions): Plugin {
  return {
    async onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      if (!gate.enabled) {
        bindIdentity(request, ANONYMOUS);
        return;
      }
      const route = routeOf(request);
      if (!route?.protected) return;
      const address = addresses.ofRequest(request, serverContext);
      try {
        bindIdentity(request, await gate.login(credentialsFromHeaders(request.headers), address));
      } catch (error) {
        if (error instanceof RateLimitedError) {
          log.info({ path: url.pathname, address }, 'request refused: too many failed logins');
          endResponse(refusal(fetchAPI, route, error, 429, { 'retry-after': retryAfterSeconds(error.retryAfterMs) }));
          return;
        }
        if (!(error instanceof UnauthenticatedError)) throw error;
        log.info({ path: url.pathname, address, reason: error.message }, 'request refused: not authenticated');
        endResponse(refusal(fetchAPI, route, error, 401, { 'www-authenticate': 'Bearer' }));
      }
    },
  };
}

/**
 * yoga's `graphiql` option: whether this request gets GraphiQL. yoga asks before any of our
 * plugins ran, and on any path ending in the GraphQL path, so this checks the route itself and
 * never shows the page to a throttled address (it would tell a guesser its key was right).
 * Refusals fall through to useRoutes (404) or useAuth (401/429, counted there).
 */
export async function mayShowGraphiQL(
  { gate, addresses, graphqlPath }: Omit<AuthPluginOptions, 'log'> & { graphqlPath: string },
  request: Request,
  serverContext: unknown,
): Promise<boolean> {
  // The same check as useRoutes: the target as sent is the GraphQL route, and the URL yoga built says so too.
  const pathname = new URL(request.url).pathname;
  const target = rawTarget(serverContext) ?? pathname;
  if (routeFor(target, graphqlPath)?.name !== 'graphql' || pathname !== graphqlPath) return false;
  const caller = await gate.peek(credentialsFromHeaders(request.headers), addresses.ofRequest(request, serverContext));
  return caller?.introspection === true;
}

/** The identity of a request; ANONYMOUS when authentication is off. */
export function requestIdentity(request: Request): Identity {
  return identityOf(request) ?? ANONYMOUS;
}

/**
 * The collector REST API (`/metrics`, `/metrics/*`) serves native sources; an identity limited to
 * other sources gets 403 there, as GraphQL would give it FORBIDDEN. (Tenant scoping of what an
 * allowed identity sees is the collector API's own `tenantOf`.)
 */
export function useCollectorAccess({ registry }: { registry: SourceRegistry }): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== '/metrics' && !url.pathname.startsWith('/metrics/')) return;
      const identity = requestIdentity(request);
      if (!identity.sources) return;
      const named = url.searchParams.get('source');
      const natives = registry.list().filter((source) => source.kind === 'native').map((source) => source.id);
      const wanted = named !== null ? [named] : natives;
      const denied = wanted.filter((id) => !identity.sources!.has(id));
      if (denied.length === 0 || (named === null && wanted.some((id) => identity.sources!.has(id)))) return;
      const error = new ForbiddenError(`the credential '${identity.id}' may not use source '${denied[0]}'`, { source: denied[0]!, field: 'source' });
      // The collector API's own error shape (src/http/http-problem.ts).
      endResponse(fetchAPI.Response.json({ detail: error.message, code: error.code, field: 'source' }, { status: 403, headers: { 'cache-control': 'no-store' } }));
    },
  };
}
