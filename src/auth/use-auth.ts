import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { ForbiddenError, UnauthenticatedError } from '../core/errors.js';
import type { SourceRegistry } from '../sources/source.js';
import { credentialsFromHeaders, type Authenticator } from './authenticator.js';
import { ANONYMOUS, bindIdentity, identityOf, type Identity } from './identity.js';

export interface AuthPluginOptions {
  authenticator: Authenticator;
  log: Logger;
  graphqlEndpoint: string;
}

/** Paths that carry data; probes (/livez, /ready, /health) and the static Explore page stay open. */
export function isProtectedPath(pathname: string, graphqlEndpoint: string): boolean {
  return pathname === graphqlEndpoint || pathname === '/metrics' || pathname.startsWith('/metrics/');
}

/**
 * Authenticates every request to a protected path before anything else runs: no or bad
 * credentials end it with 401 and a GraphQL-shaped error saying what to send. The identity is
 * bound to the request for the context factory, the collector API and the other plugins.
 */
export function useAuth({ authenticator, log, graphqlEndpoint }: AuthPluginOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (!authenticator.enabled) {
        bindIdentity(request, ANONYMOUS);
        return;
      }
      if (!isProtectedPath(url.pathname, graphqlEndpoint)) return;
      try {
        bindIdentity(request, await authenticator.authenticate(credentialsFromHeaders(request.headers)));
      } catch (error) {
        if (!(error instanceof UnauthenticatedError)) throw error;
        log.info({ path: url.pathname, reason: error.message }, 'request refused: not authenticated');
        // GraphQL clients get a GraphQL error; the collector REST API keeps its own `{detail, code}` shape.
        const body = url.pathname === graphqlEndpoint ? { errors: [{ message: error.message, extensions: error.extensions() }] } : { detail: error.message, code: error.code };
        endResponse(fetchAPI.Response.json(body, { status: 401, headers: { 'www-authenticate': 'Bearer', 'cache-control': 'no-store' } }));
      }
    },
  };
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
