import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium, driven through playwright-core: what the browser tests run on. */
export const CHROMIUM = '/usr/bin/chromium';

/** A missing browser fails the test rather than skipping it: a skipped check reads as a passed one. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the browser tests run Debian's Chromium at ${CHROMIUM}; install it with: apt-get install chromium`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // No sandbox (containers run as root), and none of Chromium's own calls home, which would
    // otherwise be indistinguishable from the page reaching out.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Requests that left 127.0.0.1. */
  external: string[];
  /** Requests to the gateway that failed at the network level (not the ones the page aborted). */
  failed: string[];
  /** Uncaught exceptions and console errors in the page. */
  pageErrors: string[];
}

/** A fresh page that records every request leaving the machine and every error in the page. */
export async function watchedPage(browser: Browser): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const watched: WatchedPage = { page: undefined as never, context, external: [], failed: [], pageErrors: [] };
  context.on('request', (request) => {
    if (!isLoopback(request.url())) watched.external.push(`${request.method()} ${request.url()}`);
  });
  context.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? '';
    // A view cancelled by a newer selection, or a live stream closed at the end, aborts its fetch.
    if (isLoopback(request.url()) && !reason.includes('ERR_ABORTED')) watched.failed.push(`${request.method()} ${request.url()}: ${reason}`);
  });
  watched.page = await context.newPage();
  // A locator waits this long for its element; expect.poll then retries within its own timeout.
  watched.page.setDefaultTimeout(5_000);
  watched.page.on('pageerror', (error) => watched.pageErrors.push(error.message));
  watched.page.on('console', (message) => {
    if (message.type() === 'error') watched.pageErrors.push(message.text());
  });
  return watched;
}

/** data: URLs are inline and never reach a network; everything else must stay on 127.0.0.1. */
export function isLoopback(url: string): boolean {
  if (url.startsWith('data:')) return true;
  const { origin } = new URL(url);
  return origin !== 'null' && new URL(origin).hostname === '127.0.0.1';
}

/** Saves a full-page screenshot under test-results/ for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = fileURLToPath(new URL(`../../test-results/${name}.png`, import.meta.url));
  await mkdir(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * How many pixels of the first chart's plot canvas differ from its most common colour, i.e. what
 * was drawn over the background (lines, bars, grid). Zero for a blank canvas.
 */
export async function drawnPixels(page: Page, chart = '[data-testid=chart]'): Promise<{ drawn: number; distinctColours: number }> {
  return page.locator(`${chart} canvas`).first().evaluate((element) => {
    const canvas = element as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const counts = new Map<number, number>();
    for (let i = 0; i < data.length; i += 4) {
      const key = ((data[i]! << 24) | (data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!) >>> 0;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const background = Math.max(...counts.values());
    return { drawn: data.length / 4 - background, distinctColours: counts.size };
  });
}

/**
 * Pixels of the first chart's canvas within `tolerance` of `rgb`, per horizontal slice of its plot
 * area: `slices` gives [start, end) fractions of the plot's width (0 = left edge of the x axis's
 * range, 1 = right edge). The plot area is uPlot's .u-over, placed over the canvas.
 */
export async function colourPixelsIn(
  page: Page,
  rgb: [number, number, number],
  slices: Array<[number, number]>,
  tolerance = 40,
  chart = '[data-testid=chart]',
): Promise<number[]> {
  return page.locator(chart).first().evaluate(
    (element, { rgb, slices, tolerance }) => {
      const canvas = element.querySelector('canvas')!;
      const over = element.querySelector('.u-over')!.getBoundingClientRect();
      const box = canvas.getBoundingClientRect();
      const scale = canvas.width / box.width;
      const { data, width } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      const top = Math.round((over.top - box.top) * scale);
      const bottom = Math.round((over.bottom - box.top) * scale);
      return slices.map(([start, end]) => {
        const left = Math.round((over.left - box.left + start * over.width) * scale);
        const right = Math.round((over.left - box.left + end * over.width) * scale);
        let count = 0;
        for (let y = top; y < bottom; y++) {
          for (let x = left; x < right; x++) {
            const i = (y * width + x) * 4;
            if (data[i + 3]! > 0 && Math.abs(data[i]! - rgb[0]) <= tolerance && Math.abs(data[i + 1]! - rgb[1]) <= tolerance && Math.abs(data[i + 2]! - rgb[2]) <= tolerance) count++;
          }
        }
        return count;
      });
    },
    { rgb, slices, tolerance },
  );
}
