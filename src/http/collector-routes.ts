import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { BadUserInputError } from '../core/errors.js';
import { NativeSource } from '../sources/native/adapter.js';
import type { StoreScope } from '../sources/native/store.js';
import type { SourceRegistry } from '../sources/source.js';
import type { GatewayMetrics } from '../telemetry/metrics.js';
import { collectorStats, listSeries, metricTrend } from './collector-queries.js';
import { trackBatch, trackOne } from './collector-track.js';
import { describeProblem, HttpProblem } from './http-problem.js';
import { renderScrape } from './prometheus-exposition.js';
import { PROMETHEUS_CONTENT_TYPE } from './prometheus-text.js';
import { QueryParams } from './query-params.js';
import { readJsonBody } from './read-json-body.js';
import { requestInfo } from './use-request-log.js';

export interface CollectorApiOptions {
  registry: SourceRegistry;
  metrics: GatewayMetrics;
  log: Logger;
  /**
   * The tenant a request is bound to (from its credentials), or undefined for every tenant.
   * Bound requests write only their own tenant and read nothing of another.
   * @default () => undefined (no authentication yet: every request sees every tenant)
   */
  tenantOf?: (request: Request) => string | undefined;
}

/** The routes, for the 404 that lists them. */
const ROUTES = [
  'POST /metrics/track',
  'POST /metrics/track/batch',
  'GET /metrics',
  'GET /metrics/series',
  'GET /metrics/trends/{name}',
  'GET /metrics/stats',
];

/**
 * The native collector's REST API, a drop-in for the 254Carbon access layer's Metrics Service:
 * same paths, same JSON field names, its documented behaviour (its code shadowed /metrics, never
 * started its collector and stubbed its aggregator). Each route names its native source with
 * `?source=<id>`, which may be left out when exactly one native source is configured. GET
 * /metrics is also the gateway's own Prometheus scrape.
 */
export function useCollectorApi(options: CollectorApiOptions): Plugin {
  const { registry, metrics, log } = options;
  const tenantOf = options.tenantOf ?? (() => undefined);
  const lastExport = new Map<string, number>();

  const natives = () => registry.list().filter((source): source is NativeSource => source instanceof NativeSource);

  const pick = (id: string | undefined): NativeSource => {
    if (id === undefined) {
      const all = natives();
      if (all.length === 1) return all[0]!;
      throw new BadUserInputError(
        all.length === 0
          ? 'no native source is configured, so the collector API has nothing to serve'
          : `several native sources are configured (${all.map((source) => source.id).join(', ')}); name one with ?source=<id>`,
        { field: 'source' },
      );
    }
    const source = registry.get(id);
    if (!(source instanceof NativeSource)) {
      throw new BadUserInputError(`source '${id}' is a ${source.kind} source; the collector API serves native sources`, { field: 'source' });
    }
    return source;
  };

  const handle = async (request: Request, url: URL, fetchAPI: FetchAPI): Promise<Response> => {
    const json = (body: unknown) => jsonResponse(fetchAPI, body);
    const path = url.pathname;
    const now = Date.now();
    const tenant = tenantOf(request);
    const scope: StoreScope = { tenantId: tenant };

    if (path === '/metrics/track' || path === '/metrics/track/batch') {
      allow(request, 'POST');
      const route = `POST ${path}`;
      const params = new QueryParams(url, route, ['source']);
      const source = pick(params.string('source'));
      const body = await readJsonBody(request, source.maxBodyBytes, route);
      const ctx = { source, metrics, now, tenant };
      return json(path === '/metrics/track' ? await trackOne(body, ctx) : await trackBatch(body, ctx));
    }

    if (path === '/metrics') {
      allow(request, 'GET');
      const params = new QueryParams(url, 'GET /metrics', ['format', 'aggregated', 'source']);
      const format = params.string('format') ?? 'prometheus';
      if (format !== 'prometheus') {
        throw new HttpProblem(400, `Only 'prometheus' format is supported; got format '${format}'`, 'BAD_USER_INPUT', 'format');
      }
      const aggregated = params.boolean('aggregated') ?? false;
      const id = params.string('source');
      const all = natives();
      // The scrape must always work, so with several native sources and none named it carries
      // the gateway's own metrics and says how to get each source's series.
      const source = id !== undefined || all.length === 1 ? pick(id) : undefined;
      const note =
        source === undefined && all.length > 1
          ? `several native sources (${all.map((s) => s.id).join(', ')}): scrape /metrics?source=<id> for their series`
          : undefined;
      const text = await renderScrape({ source, natives: all, metrics, aggregated, scope, seriesOnly: tenant !== undefined, now, note });
      if (source) lastExport.set(source.id, now);
      return new fetchAPI.Response(text, { status: 200, headers: { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' } });
    }

    if (path === '/metrics/series') {
      allow(request, 'GET');
      const params = new QueryParams(url, 'GET /metrics/series', ['service', 'tenant_id', 'name', 'limit', 'points', 'source']);
      const source = pick(params.string('source'));
      return json(await listSeries(params, { source, metrics, now, scope }));
    }

    if (path.startsWith('/metrics/trends/') && !path.slice('/metrics/trends/'.length).includes('/')) {
      allow(request, 'GET');
      const name = decodeSegment(path.slice('/metrics/trends/'.length));
      const params = new QueryParams(url, 'GET /metrics/trends/{name}', ['hours', 'service', 'tenant_id', 'threshold', 'source']);
      const source = pick(params.string('source'));
      return json(await metricTrend(name, params, { source, metrics, now, scope }));
    }

    if (path === '/metrics/stats') {
      allow(request, 'GET');
      const params = new QueryParams(url, 'GET /metrics/stats', ['source']);
      const source = pick(params.string('source'));
      return json(await collectorStats({ source, metrics, now, scope, lastExport: lastExport.get(source.id) }));
    }

    throw new HttpProblem(404, `no route ${request.method} ${path}; the collector serves ${ROUTES.join(', ')}`, 'NOT_FOUND');
  };

  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== '/metrics' && !url.pathname.startsWith('/metrics/')) return;
      try {
        endResponse(await handle(request, url, fetchAPI));
      } catch (error) {
        const problem = describeProblem(error);
        if (problem.status >= 500) {
          requestInfo(request, log).log.warn({ err: error, path: url.pathname, component: 'collector' }, 'collector request failed');
        }
        endResponse(jsonResponse(fetchAPI, problem.body, problem.status, problem.headers));
      }
    },
  };
}

function allow(request: Request, method: 'GET' | 'POST'): void {
  if (request.method === method || (method === 'GET' && request.method === 'HEAD')) return;
  throw new HttpProblem(405, `${new URL(request.url).pathname} takes ${method}; got ${request.method}`, 'METHOD_NOT_ALLOWED', undefined, {
    allow: method === 'GET' ? 'GET, HEAD' : 'POST',
  });
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadUserInputError(`metric_name in the path is not valid percent-encoding; got '${segment}'`, { field: 'metric_name' });
  }
}

type FetchAPI = { Response: typeof Response };

function jsonResponse(fetchAPI: FetchAPI, body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new fetchAPI.Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}
