import type { GatewayError } from '../core/errors.js';
import type { Route } from './routes.js';

type FetchAPI = { Response: typeof Response };

/**
 * A request refused at the door (401, 404, 429): in GraphQL's shape on the GraphQL route, so
 * GraphQL clients read `errors[0].extensions.code`, and in the REST routes' `{detail, code}` shape
 * everywhere else. Never cached.
 */
export function refusal(fetchAPI: FetchAPI, route: Route | undefined, error: GatewayError, status: number, headers: Record<string, string> = {}): Response {
  const body = route?.graphql ? { errors: [{ message: error.message, extensions: error.extensions() }] } : { detail: error.message, code: error.code };
  return fetchAPI.Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

/** Whole seconds for a Retry-After header, never 0 (a client would retry at once). */
export function retryAfterSeconds(retryAfterMs: number): string {
  return String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
}
