/**
 * The gateway's route table, decided on the request target exactly as the client sent it. Every
 * door (HTTP plugins, the WebSocket upgrade, GraphiQL) asks this one function, so the router and
 * the authentication can never disagree about which route a request is for. There is no
 * normalisation: `/graphql/`, `//graphql`, `/GRAPHQL`, `/%67raphql`, `/a/../graphql`, `/graphql;x`
 * and absolute-form targets (`GET http://host/graphql`) are no route at all, so they are 404.
 */

export type RouteName = 'graphql' | 'probe' | 'page' | 'health' | 'collector';

export interface Route {
  name: RouteName;
  /** Needs an identity when authentication is on. */
  protected: boolean;
  /** Counted by the client rate limit (the route does work). */
  limited: boolean;
  /** Errors in GraphQL's shape (`{errors}`) rather than the REST routes' `{detail, code}`. */
  graphql: boolean;
}

const GRAPHQL: Route = { name: 'graphql', protected: true, limited: true, graphql: true };
const PROBE: Route = { name: 'probe', protected: false, limited: false, graphql: false };
const PAGE: Route = { name: 'page', protected: false, limited: false, graphql: false };
const HEALTH: Route = { name: 'health', protected: true, limited: true, graphql: false };
const COLLECTOR: Route = { name: 'collector', protected: true, limited: true, graphql: false };

/** Public without credentials: the probes, and the Explore page's shell (it asks for a key itself). */
export const PUBLIC_PATHS = ['/livez', '/ready', '/', '/explore/*'] as const;

/** Paths the GraphQL path may not take: another route already answers there. */
export function reservedPath(path: string): boolean {
  return path === '/' || path === '/livez' || path === '/ready' || path === '/health' || under(path, '/metrics') || under(path, '/explore');
}

/** The path part of a request target: everything before the first `?`. */
export function targetPath(target: string): string {
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}

/** The route a request target (origin-form, as sent) is for, or undefined when there is none. */
export function routeFor(target: string, graphqlPath: string): Route | undefined {
  const path = targetPath(target);
  if (path === graphqlPath) return GRAPHQL;
  if (path === '/livez' || path === '/ready') return PROBE;
  if (path === '/' || (path.startsWith('/explore/') && path.length > '/explore/'.length)) return PAGE;
  if (path === '/health') return HEALTH;
  if (under(path, '/metrics')) return COLLECTOR;
  return undefined;
}

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** A request target fit to quote in an error: JSON-escaped by the caller, and at most 120 characters. */
export function shownTarget(target: string): string {
  return target.length <= 120 ? target : `${target.slice(0, 120)}... (${target.length} characters)`;
}
