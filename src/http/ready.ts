import type { Plugin } from 'graphql-yoga';

export interface ReadyOptions {
  /** True once the gateway listens, false again when it starts shutting down. */
  isReady: () => boolean;
}

/**
 * The probes, public even with authentication on: GET /livez (200, no body, while the process
 * answers at all) for liveness, and GET /ready for load balancers: 200 while the gateway takes
 * traffic, 503 once shutdown began, so the balancer stops sending requests before the listener
 * closes. Neither says anything about sources (that is /health, which needs credentials).
 */
export function useReady({ isReady }: ReadyOptions): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname === '/livez') {
        endResponse(new fetchAPI.Response(null, { status: 200, headers: { 'cache-control': 'no-store' } }));
        return;
      }
      if (url.pathname !== '/ready') return;
      const ready = isReady();
      endResponse(fetchAPI.Response.json({ ready }, { status: ready ? 200 : 503, headers: { 'cache-control': 'no-store' } }));
    },
  };
}
