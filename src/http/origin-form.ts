import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/** A Host header as RFC 9110 allows it: a name or address, maybe a port. Anything else would rewrite the URL yoga builds. */
const HOST = /^(?:[A-Za-z0-9._~!$&'()*+,;=-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * In front of yoga, on node:http: only origin-form targets (`/path?query`) with a plain Host reach
 * it. yoga builds its URL as `http://` + Host + target, so an absolute-form target
 * (`GET http://host/graphql`) or a Host holding `/`, `?` or `#` would make a URL whose path is not
 * the one sent (or no URL at all: a 500). The route table (src/http/routes.ts) has no route for a
 * target that is not origin-form, so it is 404 here; a malformed Host is 400.
 */
export function originFormOnly(handler: RequestListener): RequestListener {
  return (request: IncomingMessage, response: ServerResponse) => {
    const target = request.url ?? '';
    const host = request.headers.host;
    if (target.startsWith('/') && (host === undefined || HOST.test(host))) return handler(request, response);
    const [status, detail, code] = target.startsWith('/')
      ? [400, 'the Host header must be a host name or address with an optional port', 'BAD_USER_INPUT']
      : [404, 'no route for a request target that is not a path (absolute-form or *); send the path, e.g. /graphql', 'NOT_FOUND'];
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
    response.end(JSON.stringify({ detail, code }));
  };
}
