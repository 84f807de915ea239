import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { colourPixelsIn, drawnPixels, launchChromium, screenshot, watchedPage } from '../helpers/chromium.js';
import { gql, startGateway } from '../helpers/gateway.js';

/**
 * The Explore page as a person opens it: a chart of a metric pushed to the native collector, one
 * line per label set, the unit on the axis, a hole in the data drawn as a hole, and not one
 * request leaving 127.0.0.1.
 */

const MINUTE = 60_000;
const METRIC = 'explore_chart_latency';
/** The first series' colour on the page (#0072b2). */
const FIRST_COLOUR: [number, number, number] = [0, 114, 178];

let gateway: Gateway;
let browser: Browser;
let start: number;

beforeAll(async () => {
  gateway = await startGateway();
  browser = await launchChromium();
  // 30 one-minute buckets for hosts a, b and c; host a has nothing in buckets 10..19.
  start = Math.floor(Date.now() / MINUTE) * MINUTE - 40 * MINUTE;
  const inputs = [];
  for (const host of ['a', 'b', 'c']) {
    for (let i = 0; i < 30; i++) {
      if (host === 'a' && i >= 10 && i < 20) continue;
      inputs.push({ name: METRIC, value: 100 + 10 * Math.sin(i / 3) + (host === 'b' ? 40 : host === 'c' ? 80 : 0), unit: 'ms', labels: { host }, timestamp: start + i * MINUTE });
    }
  }
  const tracked = await gql(gateway, 'mutation ($inputs: [TrackMetricInput!]!) { trackMetrics(inputs: $inputs) { successful failed } }', { inputs });
  expect(tracked.data).toEqual({ trackMetrics: { successful: inputs.length, failed: 0 } });
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

describe('Explore page: series chart', () => {
  it('draws one line per label set with the unit on the axis and the gap left open, all from 127.0.0.1', { timeout: 60_000 }, async () => {
    const { page, external, failed, pageErrors } = await watchedPage(browser);
    const query = new URLSearchParams({ source: 'native', metric: METRIC, from: String(start), to: String(start + 30 * MINUTE), interval: '1m' });
    await page.goto(`${gateway.url}/?${query}`);

    const chart = page.getByTestId('chart');
    await expect.poll(() => chart.getAttribute('data-points'), { timeout: 15_000 }).toBe(String(3 * 30));
    await expect.poll(async () => (await drawnPixels(page)).drawn).toBeGreaterThan(1000);

    // Legend: one entry per label set; the y axis (drawn on the canvas) carries the unit.
    const legend = await chart.locator('.u-legend .u-series th').allTextContents();
    expect(legend.map((text) => text.trim())).toEqual(expect.arrayContaining(['host=a', 'host=b', 'host=c']));
    expect(await chart.getAttribute('aria-label')).toBe('Time chart, values in ms: host=a; host=b; host=c');
    expect(await page.getByTestId('status').textContent()).toContain('3 series · 90 points · ms');

    // Host a's line is drawn where it has data (buckets 1..8 of 0..29) and not across its gap
    // (buckets 10..19; the inner part, clear of the points that end the line on either side).
    const [withData, inGap] = await colourPixelsIn(page, FIRST_COLOUR, [
      [1 / 29, 8 / 29],
      [11 / 29, 18 / 29],
    ]);
    expect(withData).toBeGreaterThan(50);
    expect(inGap).toBe(0);

    // The query shown is the one that ran, and GraphiQL opens with it.
    const shown = await page.getByTestId('query-text').textContent();
    expect(shown).toContain(`metricData(source: "native", metric: "${METRIC}", from: "${start}", to: "${start + 30 * MINUTE}", interval: "1m")`);
    expect(await page.getByTestId('graphiql-link').getAttribute('href')).toBe(`/graphql?query=${encodeURIComponent(shown!)}`);
    const answer = await gql(gateway, shown!);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!['metricData']).toHaveLength(3);

    await screenshot(page, 'explore-series');
    expect(pageErrors, 'errors in the page').toEqual([]);
    expect(external, 'requests that left 127.0.0.1').toEqual([]);
    expect(failed, 'requests to the gateway that failed').toEqual([]);
  });

  it('lists the sources and the source’s metrics, and picks the first metric on a bare visit', { timeout: 60_000 }, async () => {
    const { page, external, pageErrors } = await watchedPage(browser);
    await page.goto(`${gateway.url}/`);
    await expect.poll(() => page.getByTestId('source').inputValue(), { timeout: 15_000 }).toBe('native');
    const options = await page.locator('#metric-options option').evaluateAll((nodes) => nodes.map((node) => (node as HTMLOptionElement).value));
    expect(options).toContain(METRIC);
    await expect.poll(() => page.getByTestId('metric').inputValue()).toBe(options[0]);
    await expect.poll(() => page.getByTestId('chart').getAttribute('data-points'), { timeout: 15_000 }).not.toBeNull();
    // The selection is in the address bar, so the view can be shared as a link.
    expect(new URL(page.url()).searchParams.get('metric')).toBe(options[0]);

    // Typing searches the source's metrics on the gateway.
    const searched = page.waitForRequest((request) => (request.postData() ?? '').includes('search: \\"chart_lat\\"'));
    await page.getByTestId('metric').fill('chart_lat');
    await searched;
    await expect.poll(() => page.locator('#metric-options option').evaluateAll((nodes) => nodes.map((node) => (node as HTMLOptionElement).value))).toEqual([METRIC]);

    expect(pageErrors).toEqual([]);
    expect(external).toEqual([]);
  });
});
