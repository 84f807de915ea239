/**
 * The Explore page with 50 series x 10,000 points (500,000 points in one metricData answer), in
 * Debian's Chromium, against 1 series x 10,000 points measured in the same run as the baseline.
 *
 * Per scenario, after one warm-up: the median of five runs of the page's own Run button, split
 * into the answer (request, download and JSON parse, from the page's performance marks) and the
 * drawing (aligning the columns and uPlot's first paint, up to the next frame). Then how
 * responsive the drawn chart stays: the median time from a mouse move over the plot (uPlot moves
 * its cursor and updates all 50 legend values) to the next frame, over 30 moves; a frame is
 * 16.7 ms at 60 Hz, so this cannot go below the time to the next frame. Also prints the
 * bundle's size, raw and gzipped.
 *
 * Usage: npx tsx bench/explore-render.ts
 */
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import type { Page } from 'playwright-core';
import { validateConfig } from '../src/config/load.js';
import { createGateway } from '../src/gateway.js';
import { launchChromium } from '../test/helpers/chromium.js';

const POINTS = 10_000;
const STEP_MS = 5_000;
const RUNS = 5;
const MOVES = 30;

const gateway = await createGateway(
  validateConfig(
    { port: 0, host: '127.0.0.1', sources: [{ id: 'native', kind: 'native', maxPointsPerSeries: POINTS, cacheTtl: false }] },
    'bench',
    {},
  ),
  { log: pino({ level: 'silent' }) },
);

async function track(metric: string, seriesCount: number): Promise<void> {
  const end = Math.floor(Date.now() / STEP_MS) * STEP_MS;
  for (let s = 0; s < seriesCount; s++) {
    const inputs = Array.from({ length: POINTS }, (_, i) => ({
      name: metric,
      value: Math.round((50 + s + 20 * Math.sin(i / 200 + s) + 5 * Math.sin(i / 7)) * 100) / 100,
      unit: 'ms',
      labels: { pod: `pod-${String(s).padStart(2, '0')}` },
      timestamp: end - (POINTS - 1 - i) * STEP_MS,
    }));
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation ($inputs: [TrackMetricInput!]!) { trackMetrics(inputs: $inputs) { failed } }', variables: { inputs } }),
    });
    const body = (await response.json()) as { data?: { trackMetrics: { failed: number } } };
    if (body.data?.trackMetrics.failed !== 0) throw new Error(`tracking failed: ${JSON.stringify(body).slice(0, 300)}`);
  }
}

interface Run {
  totalMs: number;
  answerMs: number;
  drawMs: number;
}

/** Submits the form and waits for the chart to be painted; times come from inside the page. */
async function runOnce(page: Page, expectedPoints: number): Promise<Run> {
  return page.evaluate(async (expected) => {
    const before = performance.getEntriesByName('explore:series-draw').length;
    const started = performance.now();
    document.querySelector<HTMLFormElement>('[data-testid=controls]')!.requestSubmit();
    while (performance.getEntriesByName('explore:series-draw').length === before) {
      if (performance.now() - started > 60_000) {
        throw new Error(`no chart within 60 s: ${document.querySelector('[data-testid=view-card]')?.textContent?.slice(0, 300)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
    const painted = performance.now();
    const points = document.querySelector('[data-testid=chart]')!.getAttribute('data-points');
    if (points !== String(expected)) throw new Error(`the chart holds ${points} points, expected ${expected}`);
    const load = performance.getEntriesByName('explore:series-load').at(-1)!;
    const draw = performance.getEntriesByName('explore:series-draw').at(-1)!;
    return { totalMs: painted - started, answerMs: load.duration, drawMs: painted - draw.startTime };
  }, expectedPoints);
}

/** Mouse moves across the plot (dispatched in the page); each one's time to the next frame. */
async function hover(page: Page): Promise<number> {
  const times = await page.evaluate(async (moves) => {
    const over = document.querySelector('[data-testid=chart] .u-over')!;
    const box = over.getBoundingClientRect();
    const out: number[] = [];
    for (let i = 0; i < moves; i++) {
      const start = performance.now();
      over.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, clientX: box.left + ((i + 0.5) / moves) * box.width, clientY: box.top + box.height / 2 }));
      await new Promise((resolve) => requestAnimationFrame(resolve));
      out.push(performance.now() - start);
    }
    return out;
  }, MOVES);
  return median(times);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function scenario(page: Page, metric: string, seriesCount: number) {
  console.error(`tracking ${seriesCount} x ${POINTS} points...`);
  await track(metric, seriesCount);
  console.error('measuring...');
  const range = `now-${Math.ceil((POINTS * STEP_MS) / 3_600_000) + 1}h`;
  await page.goto(`${gateway.url}/?source=native&metric=${metric}&from=${range}`);
  await page.waitForFunction((expected) => document.querySelector('[data-testid=chart]')?.getAttribute('data-points') === String(expected), seriesCount * POINTS, { timeout: 120_000 });
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await runOnce(page, seriesCount * POINTS));
  const bytes = await page.evaluate(() => {
    const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    return entries.filter((entry) => entry.name.endsWith('/graphql')).at(-1)?.encodedBodySize ?? 0;
  });
  return {
    totalMs: median(runs.map((run) => run.totalMs)),
    answerMs: median(runs.map((run) => run.answerMs)),
    drawMs: median(runs.map((run) => run.drawMs)),
    hoverMs: await hover(page),
    status: await page.getByTestId('status').textContent(),
    answerBytes: bytes,
  };
}

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const baseline = await scenario(page, 'bench_one', 1);
  const wide = await scenario(page, 'bench_fifty', 50);

  const html = await (await fetch(`${gateway.url}/`)).text();
  const assets = [...html.matchAll(/(?:src|href)="(\/explore\/[^"]+)"/g)].map((match) => match[1]!);
  const sizes = await Promise.all(
    assets.map(async (path) => {
      const body = new Uint8Array(await (await fetch(`${gateway.url}${path}`)).arrayBuffer());
      return { path, raw: body.byteLength, gzip: gzipSync(body).byteLength };
    }),
  );

  const row = (name: string, m: typeof wide) =>
    `${name.padEnd(26)} ${m.totalMs.toFixed(0).padStart(7)} ms  answer ${m.answerMs.toFixed(0).padStart(6)} ms  draw ${m.drawMs.toFixed(0).padStart(5)} ms  hover ${m.hoverMs.toFixed(1).padStart(5)} ms  ${(m.answerBytes / 2 ** 20).toFixed(1)} MB`;
  console.log('Explore page, Run to painted chart (median of 5), and hover to next frame (median of 30):');
  console.log(row('1 series x 10,000 points', baseline));
  console.log(row('50 series x 10,000 points', wide));
  console.log(`page status lines: '${baseline.status}', '${wide.status}'`);
  console.log(`ratio 50x / 1x: total ${(wide.totalMs / baseline.totalMs).toFixed(1)}, draw ${(wide.drawMs / baseline.drawMs).toFixed(1)}, hover ${(wide.hoverMs / baseline.hoverMs).toFixed(1)} (for 50x the points)`);
  console.log('bundle:');
  for (const size of sizes) console.log(`  ${size.path.padEnd(32)} ${(size.raw / 1024).toFixed(1).padStart(6)} KB  gzip ${(size.gzip / 1024).toFixed(1).padStart(5)} KB`);
} finally {
  await browser.close();
  await gateway.close();
}
