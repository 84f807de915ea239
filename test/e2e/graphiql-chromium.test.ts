import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { launchChromium } from '../helpers/chromium.js';
import { startGateway } from '../helpers/gateway.js';

/**
 * GraphiQL as a person meets it: Debian's Chromium opens /graphql, runs a query and sees the
 * answer. The page must work offline, so every request it makes has to stay on 127.0.0.1 (a CDN
 * script would pass on a dev laptop and break on an air-gapped install).
 */

const SCREENSHOT = fileURLToPath(new URL('../../test-results/graphiql.png', import.meta.url));
const QUERY = '{ sources { id healthy } }';

let gateway: Gateway;
let browser: Browser | undefined;

beforeAll(async () => {
  gateway = await startGateway();
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

describe('GraphiQL in Chromium', () => {
  it('runs a query from the editor and shows its result, without leaving 127.0.0.1', { timeout: 60_000 }, async () => {
    browser = await launchChromium();
    const context = await browser.newContext();
    const leftLoopback: string[] = [];
    const failedOnLoopback: string[] = [];
    context.on('request', (request) => {
      if (!isLoopback(request.url())) leftLoopback.push(`${request.method()} ${request.url()}`);
    });
    context.on('requestfailed', (request) => {
      if (isLoopback(request.url())) failedOnLoopback.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`);
    });

    const page = await context.newPage();
    // GraphiQL fills its editor from ?query=, which spares us driving Monaco's keyboard handling.
    await page.goto(`${gateway.url}/graphql?query=${encodeURIComponent(QUERY)}`);
    const editor = page.locator('.graphiql-query-editor .view-lines');
    await expect.poll(async () => normalise(await editor.textContent()), { timeout: 20_000 }).toBe(QUERY);

    // GraphiQL's own introspection POSTs to the same URL; wait for the one carrying our query.
    const executed = page.waitForResponse(
      (response) => response.request().method() === 'POST' && (response.request().postData() ?? '').includes('healthy'),
    );
    await page.locator('.graphiql-execute-button').click();
    expect((await executed).status()).toBe(200);

    const result = page.locator('.graphiql-response');
    await expect.poll(async () => normalise(await result.textContent()), { timeout: 10_000 }).toContain('"native"');
    const shown = normalise(await result.textContent());
    expect(shown).toContain('"healthy": true');
    // The demo's default query also lists sources; its metricData must not be what ran.
    expect(shown).not.toContain('metricData');

    await mkdir(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    expect(leftLoopback, 'requests that left 127.0.0.1').toEqual([]);
    expect(failedOnLoopback, 'requests to the gateway that failed').toEqual([]);
  });
});


/**
 * Whether a request stays on this machine. Monaco's workers load from blob: URLs, whose origin is
 * the page's; data: URLs are inline and never reach a network.
 */
function isLoopback(url: string): boolean {
  if (url.startsWith('data:')) return true;
  const { origin } = new URL(url);
  return origin !== 'null' && new URL(origin).hostname === '127.0.0.1';
}

/** Monaco renders spaces as non-breaking and lays lines out without newlines. */
function normalise(text: string | null): string {
  return (text ?? '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
}
