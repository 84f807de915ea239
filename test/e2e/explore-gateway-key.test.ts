import { createHash } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { launchChromium, watchedPage } from '../helpers/chromium.js';
import { gql, startGateway } from '../helpers/gateway.js';

/**
 * With API keys configured, the page itself loads without one but its data does not: it says the
 * gateway wants a key, and once one is entered under "Key" it charts as usual, sending the key
 * with every request (and nowhere else).
 */

const KEY = 'explore-test-key-0123456789';
const METRIC = 'explore_key_probe';

let gateway: Gateway;
let browser: Browser;

beforeAll(async () => {
  gateway = await startGateway({ auth: { apiKeys: [{ id: 'web', tenant: 'acme', sha256: createHash('sha256').update(KEY).digest('hex') }] } } as never);
  const tracked = await gql(gateway, `mutation { trackMetric(input: { name: "${METRIC}", value: 7 }) { success } }`, undefined, { authorization: `Bearer ${KEY}` });
  expect(tracked.data).toEqual({ trackMetric: { success: true } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

describe('Explore page: gateway key', () => {
  it('asks for the key, then charts with it', { timeout: 60_000 }, async () => {
    const { page, external } = await watchedPage(browser);
    const sentKeys = new Set<string>();
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql')) sentKeys.add(request.headers()['authorization'] ?? '(none)');
    });
    await page.goto(`${gateway.url}/?source=native&metric=${METRIC}`);

    const errors = page.getByTestId('errors');
    await expect.poll(() => errors.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await errors.getByTestId('error-code').allTextContents()).toEqual(['UNAUTHENTICATED']);
    expect(await page.getByTestId('sources-summary').textContent()).toMatch(/^sources unavailable \(UNAUTHENTICATED: /);

    await page.getByText('Key', { exact: true }).click();
    await page.getByTestId('key').fill(KEY);
    await page.getByTestId('key').press('Enter');
    await expect.poll(() => page.getByTestId('chart').getAttribute('data-points'), { timeout: 15_000 }).toBe('1');
    await expect.poll(() => errors.isVisible()).toBe(false);
    expect(await page.getByTestId('sources-summary').textContent()).toBe('1 source');
    expect([...sentKeys].sort()).toEqual(['(none)', `Bearer ${KEY}`]);
    expect(external).toEqual([]);
  });
});
