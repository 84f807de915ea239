import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { ASSET_PREFIX, explorePage, type ExplorePage, type PageAsset } from '../explore/bundle-page.js';

export interface ExplorePageOptions {
  log: Logger;
  /** Builds (or returns the cached) page. @default the bundle of src/explore/page, built once per process */
  page?: () => Promise<ExplorePage>;
}

/**
 * The Explore page: GET / is the page, GET /explore/* its script and stylesheet. Everything it
 * loads comes from this gateway (the content security policy says so too), so it works offline.
 * The page itself is revalidated on every visit (its ETag changes with the bundle); the bundle's
 * files carry their content hash in the name and are cached for a year.
 */
export function useExplorePage({ log, page = explorePage }: ExplorePageOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      const path = url.pathname;
      if (path !== '/' && !path.startsWith(ASSET_PREFIX)) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new fetchAPI.Response(null, { status: 405, headers: { allow: 'GET, HEAD' } }));
        return;
      }
      let built: ExplorePage;
      try {
        built = await page();
      } catch (error) {
        log.error({ err: error }, 'the Explore page could not be built');
        endResponse(
          new fetchAPI.Response(`The Explore page is unavailable: ${(error as Error).message}\nGraphiQL still works at /graphql.\n`, {
            status: 500,
            headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
          }),
        );
        return;
      }
      const found = path === '/' ? built.html : built.assets.get(path);
      if (!found) {
        endResponse(new fetchAPI.Response(`no such file: ${path}\n`, { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
        return;
      }
      endResponse(respond(fetchAPI, request, found, path === '/' ? 'no-cache' : 'public, max-age=31536000, immutable'));
    },
  };
}

function respond(fetchAPI: { Response: typeof Response }, request: Request, asset: PageAsset, cacheControl: string): Response {
  const gzip = acceptsGzip(request.headers.get('accept-encoding'));
  const etag = gzip ? asset.etag.replace(/"$/, '-gz"') : asset.etag;
  const headers: Record<string, string> = {
    'content-type': asset.contentType,
    'cache-control': cacheControl,
    etag,
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
    // Nothing outside this gateway: no CDN, no fonts, no beacons. uPlot sizes its elements
    // through inline styles, hence 'unsafe-inline' for styles only.
    'content-security-policy':
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'",
    'referrer-policy': 'same-origin',
  };
  if (matches(request.headers.get('if-none-match'), etag)) {
    return new fetchAPI.Response(null, { status: 304, headers });
  }
  const body = gzip ? asset.gzipped : asset.body;
  if (gzip) headers['content-encoding'] = 'gzip';
  headers['content-length'] = String(body.byteLength);
  return new fetchAPI.Response(request.method === 'HEAD' ? null : (body as BodyInit), { status: 200, headers });
}

function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}

/** gzip listed and not refused with q=0. */
function acceptsGzip(acceptEncoding: string | null): boolean {
  return (acceptEncoding ?? '').split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    return (coding === 'gzip' || coding === 'x-gzip') && !params.some((param) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(param));
  });
}
