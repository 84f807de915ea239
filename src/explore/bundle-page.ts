import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Builds the Explore page from its TypeScript source in memory, once per process: esbuild bundles
 * src/explore/page/main.ts with uPlot and the styles into one script and one stylesheet, named by
 * content hash so browsers may keep them forever, and index.html gets their names.
 *
 * Bundling at run time (about a quarter of a second, on the first request for the page) rather
 * than in a build step means `npm start`, the tests and the compiled image all serve the same page
 * with nothing to run first. The page source is found from the package root, two levels above
 * this module both as src/explore/bundle-page.ts and as dist/explore/bundle-page.js.
 */

export interface PageAsset {
  body: Uint8Array;
  /** The same body gzipped once at build time, for clients that accept it. */
  gzipped: Uint8Array;
  contentType: string;
  /** Strong validator: a hash of the body (the gzipped form adds `-gz`). */
  etag: string;
}

export interface ExplorePage {
  /** index.html, with the bundle's names filled in. */
  html: PageAsset;
  /** The script, stylesheet and source maps by URL path (`/explore/app-HASH.js`). */
  assets: Map<string, PageAsset>;
}

/** Where the bundle's files are served from. */
export const ASSET_PREFIX = '/explore/';

const PAGE_DIR = fileURLToPath(new URL('../../src/explore/page/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

let cached: Promise<ExplorePage> | undefined;

/** The page, built on first call; a failed build is not kept, so the next call tries again. */
export function explorePage(): Promise<ExplorePage> {
  if (!cached) {
    cached = bundle(PAGE_DIR);
    cached.catch(() => {
      cached = undefined;
    });
  }
  return cached;
}

export async function bundle(pageDir: string): Promise<ExplorePage> {
  const result = await build({
    entryPoints: { app: `${pageDir}main.ts` },
    absWorkingDir: pageDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // Browsers of the last few years: top-level ESM, class fields, fetch streams.
    target: ['chrome109', 'firefox115', 'safari16'],
    minify: true,
    sourcemap: 'linked',
    entryNames: '[name]-[hash]',
    outdir: `${pageDir}out`,
    write: false,
    logLevel: 'silent',
    legalComments: 'linked',
  }).catch((error: { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }) => {
    const problems = (error.errors ?? []).map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text));
    throw new Error(`the Explore page could not be built from ${pageDir}: ${problems.join('; ') || String(error)}`);
  });

  const assets = new Map<string, PageAsset>();
  let script: string | undefined;
  let stylesheet: string | undefined;
  for (const file of result.outputFiles) {
    const name = basename(file.path);
    const extension = name.slice(name.lastIndexOf('.'));
    const contentType = CONTENT_TYPES[extension] ?? (name.endsWith('.LEGAL.txt') ? 'text/plain; charset=utf-8' : undefined);
    if (!contentType) throw new Error(`the Explore page bundle holds an unexpected file '${name}'`);
    assets.set(`${ASSET_PREFIX}${name}`, asset(file.contents, contentType));
    if (name.startsWith('app-') && extension === '.js') script = `${ASSET_PREFIX}${name}`;
    if (name.startsWith('app-') && extension === '.css') stylesheet = `${ASSET_PREFIX}${name}`;
  }
  if (!script || !stylesheet) throw new Error(`the Explore page bundle lacks its script or stylesheet (got ${[...assets.keys()].join(', ')})`);

  const template = await readFile(`${pageDir}index.html`, 'utf8');
  const html = template.replace('%SCRIPT%', script).replace('%STYLESHEET%', stylesheet);
  return { html: asset(new TextEncoder().encode(html), 'text/html; charset=utf-8'), assets };
}

function asset(body: Uint8Array, contentType: string): PageAsset {
  return { body, gzipped: gzipSync(body, { level: 9 }), contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}
