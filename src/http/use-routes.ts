import type { Plugin } from 'graphql-yoga';
import { rawTarget } from './client-address.js';
import { describeProblem, HttpProblem } from './http-problem.js';
import { routeFor, shownTarget, targetPath, type Route } from './routes.js';

export interface RoutesOptions {
  /** The one path GraphQL is served at (`graphqlPath` in gateway.yaml). @default "/graphql" */
  graphqlPath: string;
}

const byRequest = new WeakMap<Request, Route>();

/** The route useRoutes found for a request; undefined before it ran. */
export function routeOf(request: Request): Route | undefined {
  return byRequest.get(request);
}

/**
 * First of the gateway's own plugins: a request for no route ends here with 404 `{detail, code:
 * "NOT_FOUND"}`, the same for everyone, before authentication (the route table is public, so a 404
 * tells an anonymous client nothing the docs do not). The route is decided on the target as sent
 * (src/http/routes.ts), and the URL every later plugin reads (yoga builds it from the Host header
 * and the target) must have the very same path: otherwise a later plugin could act on a route
 * other than the one that was checked.
 */
export function useRoutes({ graphqlPath }: RoutesOptions): Plugin {
  return {
    onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      const target = rawTarget(serverContext) ?? `${url.pathname}${url.search}`;
      const route = target.startsWith('/') && targetPath(target) === url.pathname ? routeFor(target, graphqlPath) : undefined;
      if (route) {
        byRequest.set(request, route);
        return;
      }
      const message = `no route for ${request.method} ${JSON.stringify(shownTarget(targetPath(target)))}; GraphQL is served at ${graphqlPath} exactly`;
      const { status, body } = describeProblem(new HttpProblem(404, message, 'NOT_FOUND'));
      endResponse(fetchAPI.Response.json(body, { status, headers: { 'cache-control': 'no-store' } }));
    },
  };
}
