import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { launchChromium, screenshot, watchedPage } from '../helpers/chromium.js';
import { gql, startGateway } from '../helpers/gateway.js';

/**
 * The allocation view: an amount split across the segments of a usage metric, one row and one bar
 * per segment, and the amounts on the page adding up to the total to the cent, even when the
 * split does not divide evenly.
 */

const METRIC = 'explore_alloc_cpu_seconds';

let gateway: Gateway;
let browser: Browser;

beforeAll(async () => {
  gateway = await startGateway();
  browser = await launchChromium();
  const now = Date.now();
  // Equal usage for three teams: 100.00 cannot split into equal cents, so one team gets 33.34.
  const inputs = ['data', 'search', 'web'].flatMap((team) =>
    [1, 2, 3].map((minutesAgo) => ({ name: METRIC, value: 10, labels: { team }, timestamp: now - minutesAgo * 60_000 })),
  );
  const tracked = await gql(gateway, 'mutation ($inputs: [TrackMetricInput!]!) { trackMetrics(inputs: $inputs) { failed } }', { inputs });
  expect(tracked.data).toEqual({ trackMetrics: { failed: 0 } });
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

/** Exact sum of decimal strings, in cents. */
const cents = (amounts: string[]) => amounts.reduce((sum, amount) => sum + BigInt(amount.replace('.', '')), 0n);

describe('Explore page: allocation', () => {
  it('shows a row and a bar per segment, and the amounts add up to the total', { timeout: 60_000 }, async () => {
    const { page, external, pageErrors } = await watchedPage(browser);
    const query = new URLSearchParams({ source: 'native', metric: METRIC, view: 'allocation', from: 'now-1h', amount: '100.00', segmentBy: 'team' });
    await page.goto(`${gateway.url}/?${query}`);

    const rows = page.getByTestId('allocation-row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(3);
    expect(await rows.locator('td.labels').allTextContents()).toEqual(['data', 'search', 'web']);

    const amounts = await page.getByTestId('allocation-amount').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-amount')!));
    const total = await page.getByTestId('allocation-total').getAttribute('data-amount');
    expect(total).toBe('100.00');
    expect([...amounts].sort()).toEqual(['33.33', '33.33', '33.34']);
    expect(cents(amounts)).toBe(cents([total!]));
    expect(await page.getByTestId('allocation-total').textContent()).toBe('100.00 USD');
    expect(await page.getByTestId('allocation-check').textContent()).toBe('segments add up to 100.00 USD');

    // Each bar is as wide as its segment's share of the cell.
    const widths = await rows.locator('.bar').evaluateAll((bars) => bars.map((bar) => (bar as HTMLElement).style.width));
    expect(widths.map((width) => Math.round(parseFloat(width)))).toEqual([33, 33, 33]);

    // What the page shows is what the query it displays answers.
    const shown = await page.getByTestId('query-text').textContent();
    expect(shown).toContain('allocation(input: {amount: "100.00", currency: "USD", per: TOTAL, source: "native"');
    const answer = await gql<{ allocation: { total: string; shares: Array<{ segment: string; amount: string }> } }>(gateway, shown!);
    expect(answer.data!.allocation.total).toBe(total);
    expect(answer.data!.allocation.shares.map((share) => share.amount)).toEqual(amounts);

    await screenshot(page, 'explore-allocation');
    expect(pageErrors).toEqual([]);
    expect(external).toEqual([]);
  });
});
