import type { Plugin } from 'graphql-yoga';

export interface ReadyOptions {
  /** True once the gateway listens, false again when it starts shutting down. */
  isReady: () => boolean;
}

/**
 * GET /ready for load balancers: 200 while the gateway takes traffic, 503 once shutdown began,
 * so the balancer stops sending requests before the listener closes.
 */
export function useReady({ isReady }: ReadyOptions): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== '/ready') return;
      const ready = isReady();
      endResponse(fetchAPI.Response.json({ ready }, { status: ready ? 200 : 503, headers: { 'cache-control': 'no-store' } }));
    },
  };
}
