import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { launchChromium, screenshot, watchedPage } from '../helpers/chromium.js';
import { gql, startGateway } from '../helpers/gateway.js';

/**
 * Live mode follows metricStream over SSE: the backfill fills the chart, and a point pushed to the
 * collector while the page is open is appended to it, without reloading anything.
 */

const METRIC = 'explore_live_queue_depth';

let gateway: Gateway;
let browser: Browser;

const track = (value: number, timestamp: number) =>
  gql(gateway, 'mutation ($inputs: [TrackMetricInput!]!) { trackMetrics(inputs: $inputs) { successful } }', {
    inputs: [{ name: METRIC, value, unit: 'jobs', labels: { queue: 'mail' }, timestamp }],
  });

beforeAll(async () => {
  gateway = await startGateway();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

describe('Explore page: live', () => {
  it('appends a point tracked while the page follows the stream', { timeout: 60_000 }, async () => {
    const now = Date.now();
    await track(3, now - 120_000);
    await track(5, now - 60_000);

    const { page, external, failed, pageErrors } = await watchedPage(browser);
    const stream = page.waitForRequest((request) => request.headers()['accept'] === 'text/event-stream');
    await page.goto(`${gateway.url}/?source=native&metric=${METRIC}&from=now-15m&live=1`);
    expect((await stream).postData()).toContain('metricStream(source: \\"native\\", metric: \\"explore_live_queue_depth\\", backfill: \\"900s\\")');

    const chart = page.getByTestId('chart');
    await expect.poll(() => chart.getAttribute('data-points'), { timeout: 15_000 }).toBe('2');
    await expect.poll(() => page.getByTestId('status').textContent()).toContain('Live: following new points');
    expect(await page.getByTestId('last-value').textContent()).toBe('5 jobs');

    const tracked = await track(8.25, Date.now());
    expect(tracked.data).toEqual({ trackMetrics: { successful: 1 } });
    await expect.poll(() => chart.getAttribute('data-points'), { timeout: 10_000 }).toBe('3');
    expect(await page.getByTestId('last-value').textContent()).toBe('8.25 jobs');
    expect(await page.getByTestId('status').textContent()).toContain('1 series · 3 points · jobs');
    // The view shows the subscription it follows.
    expect(await page.getByTestId('query-text').textContent()).toMatch(/^subscription \{\n {2}metricStream\(/);

    await screenshot(page, 'explore-live');

    // Switching Live off ends the stream on the gateway.
    await page.getByTestId('live').uncheck();
    await expect.poll(async () => (await gateway.metrics.activeStreams.get()).values[0]?.value ?? 0, { timeout: 10_000 }).toBe(0);
    await expect.poll(() => chart.getAttribute('data-points'), { timeout: 10_000 }).toBe('3');

    expect(pageErrors).toEqual([]);
    expect(external).toEqual([]);
    expect(failed).toEqual([]);
  });
});
