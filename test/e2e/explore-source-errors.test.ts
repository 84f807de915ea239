import { createServer } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { launchChromium, screenshot, watchedPage } from '../helpers/chromium.js';
import { gql, startGateway } from '../helpers/gateway.js';

/**
 * A failing source shows its error, with its code, next to its chart; the rest of the page keeps
 * working. Three ways to fail: a source that cannot be reached, a source that is not configured
 * (a stale link), and a bad input.
 */

let gateway: Gateway;
let browser: Browser;

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  gateway = await startGateway({
    sources: [
      { id: 'native', kind: 'native' },
      { id: 'dt-down', kind: 'darktrace', url: `https://127.0.0.1:${await closedPort()}`, publicToken: 'public', privateToken: 'private', retries: 0, timeoutMs: 2000 } as never,
    ],
  });
  const tracked = await gql(gateway, 'mutation { trackMetric(input: { name: "explore_errors_up", value: 1 }) { success } }');
  expect(tracked.data).toEqual({ trackMetric: { success: true } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

describe('Explore page: source errors', () => {
  it('shows an unreachable source’s error code beside the chart, and the page goes on working', { timeout: 60_000 }, async () => {
    const { page, external } = await watchedPage(browser);
    await page.goto(`${gateway.url}/?source=dt-down&metric=connections`);

    const errors = page.getByTestId('errors');
    await expect.poll(() => errors.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await errors.getByTestId('error-code').allTextContents()).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(await errors.textContent()).toContain('source dt-down');
    // Beside the chart: in the same card, next to where the chart is drawn.
    expect(await page.getByTestId('view-card').getByTestId('errors').count()).toBe(1);
    // The source list says which source is unhealthy; the controls stay usable.
    expect(await page.getByTestId('source-note').textContent()).toMatch(/^unhealthy/);
    expect(await page.getByTestId('sources-summary').textContent()).toBe('2 sources · unhealthy: dt-down');
    await screenshot(page, 'explore-source-error');

    // The other source still charts from the same page.
    await page.getByTestId('source').selectOption('native');
    await expect.poll(() => page.getByTestId('metric').inputValue(), { timeout: 15_000 }).toBe('explore_errors_up');
    await expect.poll(() => page.getByTestId('chart').getAttribute('data-points'), { timeout: 15_000 }).toBe('1');
    await expect.poll(() => errors.isVisible()).toBe(false);
    expect(external).toEqual([]);
  });

  it('shows BAD_USER_INPUT for a source that is not configured, naming the ones that are', { timeout: 60_000 }, async () => {
    const { page } = await watchedPage(browser);
    await page.goto(`${gateway.url}/?source=retired&metric=http_requests`);
    const errors = page.getByTestId('errors');
    await expect.poll(() => errors.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await errors.getByTestId('error-code').allTextContents()).toEqual(['BAD_USER_INPUT']);
    expect(await errors.textContent()).toContain("unknown source 'retired'; configured sources: native, dt-down");
    expect(await page.getByTestId('source').inputValue()).toBe('retired');
    expect(await page.getByTestId('source-note').textContent()).toBe('this source is not configured on the gateway');
  });

  it('shows the gateway’s message for a bad input, restating what it accepts', { timeout: 60_000 }, async () => {
    const { page } = await watchedPage(browser);
    await page.goto(`${gateway.url}/?source=native&metric=http_requests&from=yesterday`);
    const errors = page.getByTestId('errors');
    await expect.poll(() => errors.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await errors.getByTestId('error-code').allTextContents()).toEqual(['BAD_USER_INPUT']);
    expect(await errors.textContent()).toContain("got 'yesterday'");

    // Fixing the input in the form clears the error and draws the chart.
    await page.getByTestId('from').fill('now-1h');
    await page.getByTestId('from').press('Enter');
    await expect.poll(() => errors.isVisible(), { timeout: 15_000 }).toBe(false);
    expect(new URL(page.url()).searchParams.get('from')).toBeNull();
  });
});
