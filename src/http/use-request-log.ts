import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { GatewayMetrics } from '../telemetry/metrics.js';

export interface RequestLogOptions {
  log: Logger;
  metrics: GatewayMetrics;
  /** The GraphQL path, labelled `/graphql` in metrics wherever it is served. @default "/graphql" */
  graphqlPath?: string;
}

interface RequestInfo {
  id: string;
  log: Logger;
  startedAt: number;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const requests = new WeakMap<Request, RequestInfo>();

/** The request id and child logger of a request (for the GraphQL context). */
export function requestInfo(request: Request, fallback: Logger): { id: string; log: Logger } {
  return requests.get(request) ?? { id: 'unknown', log: fallback };
}

/**
 * Gives every request an id (the caller's `x-request-id` when it is sane, a new UUID otherwise),
 * echoes it in the response, and writes one JSON access-log line per request with its status
 * and duration. Resolvers log through the same child logger, so one id ties a request together.
 */
export function useRequestLog({ log, metrics, graphqlPath = '/graphql' }: RequestLogOptions): Plugin {
  return {
    onRequest({ request }) {
      const given = request.headers.get('x-request-id');
      const id = given && REQUEST_ID.test(given) ? given : randomUUID();
      requests.set(request, { id, log: log.child({ requestId: id }), startedAt: performance.now() });
    },
    onResponse({ request, response }) {
      const info = requests.get(request);
      if (!info) return;
      response.headers.set('x-request-id', info.id);
      const url = new URL(request.url);
      const streaming = response.headers.get('content-type')?.startsWith('text/event-stream') ?? false;
      const route = url.pathname === graphqlPath ? '/graphql' : url.pathname === '/graphql' ? 'other' : routeOf(url.pathname);
      metrics.httpRequests.inc({ route, status: `${Math.floor(response.status / 100)}xx` });
      info.log.info(
        {
          method: request.method,
          path: url.pathname,
          status: response.status,
          durationMs: Math.round((performance.now() - info.startedAt) * 10) / 10,
          ...(streaming ? { streaming: true } : {}),
        },
        'request',
      );
    },
  };
}

const ROUTES = ['/graphql', '/health', '/ready', '/livez', '/metrics', '/metrics/track', '/metrics/track/batch', '/metrics/series', '/metrics/stats'];

/** A bounded set of route labels: one per route, the metric name in trend paths left out. */
function routeOf(pathname: string): string {
  if (ROUTES.includes(pathname)) return pathname;
  return pathname.startsWith('/metrics/trends/') ? '/metrics/trends/{name}' : 'other';
}
