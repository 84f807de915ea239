import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { startGateway } from '../helpers/gateway.js';

/**
 * How the gateway serves the Explore page: the page at /, its bundle under /explore/ with content
 * types and cache headers a browser and a proxy act on correctly, and nothing from elsewhere.
 */

let gateway: Gateway;
let page: string;
let script: string;
let stylesheet: string;

beforeAll(async () => {
  gateway = await startGateway();
  const response = await fetch(`${gateway.url}/`);
  page = await response.text();
  script = /<script type="module" src="([^"]+)"/.exec(page)![1]!;
  stylesheet = /<link rel="stylesheet" href="([^"]+)"/.exec(page)![1]!;
});

afterAll(() => gateway?.close());

describe('Explore page serving', () => {
  it('serves the page at / as HTML that is revalidated on every visit, with a policy allowing only this origin', async () => {
    const response = await fetch(`${gateway.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    // Every reference stays on this gateway: no CDN, no fonts from elsewhere.
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(script).toMatch(/^\/explore\/app-[A-Z0-9]+\.js$/);
    expect(stylesheet).toMatch(/^\/explore\/app-[A-Z0-9]+\.css$/);
  });

  it('answers a repeated visit with 304 when the page has not changed', async () => {
    const first = await fetch(`${gateway.url}/`);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await fetch(`${gateway.url}/`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('serves the bundle with its content types, cached for a year under content-hashed names', async () => {
    const js = await fetch(`${gateway.url}${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const code = await js.text();
    expect(code.length).toBeGreaterThan(10_000);
    // uPlot is bundled in, not fetched from anywhere.
    expect(code).toContain('uplot');
    expect(code).not.toMatch(/https?:\/\/(cdn|unpkg|jsdelivr)/);

    const css = await fetch(`${gateway.url}${stylesheet}`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain('.u-legend');

    const map = await fetch(`${gateway.url}${script}.map`);
    expect(map.status).toBe(200);
    expect(map.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('sends the bundle gzipped to clients that accept it, and as is to those that do not', async () => {
    const zipped = await fetch(`${gateway.url}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    const plain = await fetch(`${gateway.url}${script}`, { headers: { 'accept-encoding': 'identity' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(zipped.headers.get('vary')).toBe('accept-encoding');
    expect(Number(zipped.headers.get('content-length'))).toBeLessThan(Number(plain.headers.get('content-length')) / 2);
    // Each form has its own validator, and both decode to the same script.
    expect(zipped.headers.get('etag')).not.toBe(plain.headers.get('etag'));
    expect(await zipped.text()).toBe(await plain.text());
  });

  it('answers HEAD like GET without a body, 405 for other methods and 404 for unknown files', async () => {
    const head = await fetch(`${gateway.url}${script}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(10_000);

    const post = await fetch(`${gateway.url}/`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');

    const missing = await fetch(`${gateway.url}/explore/app-OLDHASH.js`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('no such file: /explore/app-OLDHASH.js\n');
  });

  it('leaves /graphql to GraphiQL and GraphQL', async () => {
    const graphiql = await fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(graphiql.status).toBe(200);
    expect(await graphiql.text()).toContain('graphiql');
    const answer = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ sources { id } }' }),
    });
    expect(await answer.json()).toEqual({ data: { sources: [{ id: 'native' }] } });
  });
});
