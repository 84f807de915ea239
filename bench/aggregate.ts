/**
 * Aggregation in src/core against a naive baseline, in the same run: 1,000,000 points into 1,000
 * UTC buckets with PERCENTILE 95 (plus the value over the whole range, which `aggregate` always
 * gives), once spread over 1,000 series and once in one series. The issue's target for the core
 * is under 1 s and 200 MB on the 2-core, 24 GB machine.
 *
 * The baseline is what one writes first: collect {t, v} objects per bucket, sort each bucket with
 * Array.prototype.sort and index the percentile (same interpolation, so results must match
 * exactly; the run fails if they do not).
 *
 * Each variant runs in a child process of its own, so its memory is its own: the peak resident set
 * is reset just before the measured run (Linux /proc/self/clear_refs) and read back after it, and
 * "heap" is the growth of V8's committed heap over the run (the heap grows to the peak of live
 * objects and does not shrink at once). Time is the median of three runs after the measured one.
 *
 * Usage: npx tsx bench/aggregate.ts
 */
import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { aggregate } from '../src/core/aggregate.js';
import type { Series } from '../src/core/series.js';
import { seededRandom } from '../src/core/seeded-random.js';

const POINTS = 1_000_000;
const BUCKETS = 1_000;
const PERCENTILE = 95;
const INTERVAL_MS = 60_000;
/** 2026-11-01T00:00:00Z. */
const START = 1793491200000;
const RANGE = { from: START, to: START + BUCKETS * INTERVAL_MS };
const TIMED_RUNS = 3;
const TARGET_MS = 1_000;
const TARGET_BYTES = 200 * 2 ** 20;

type Variant = 'core' | 'naive';
interface Scenario { name: string; series: number }
const SCENARIOS: Scenario[] = [
  { name: '1,000 series x 1,000 points', series: 1_000 },
  { name: '1 series x 1,000,000 points', series: 1 },
];

interface Answer { value: number | null; buckets: Array<number | null> }
interface Measurement { variant: Variant; medianMs: number; peakRssBytes: number; heapBytes: number; answer: Answer }

/** The same seeded points for every variant: irregular timestamps spread evenly over the range. */
function makeSeries(count: number): Series[] {
  const random = seededRandom(1_000_003);
  const perSeries = POINTS / count;
  const spacing = (RANGE.to - RANGE.from) / perSeries;
  return Array.from({ length: count }, (_, s) => {
    const timestamps = new Array<number>(perSeries);
    const values = new Array<number | null>(perSeries);
    for (let i = 0; i < perSeries; i++) {
      timestamps[i] = RANGE.from + Math.floor(i * spacing + random() * spacing);
      // Latency-like: mostly small, a long tail.
      values[i] = Math.round(-Math.log(1 - random()) * 100 * 1000) / 1000;
    }
    return { source: 'bench', metric: 'latency_ms', labels: { series: String(s) }, timestamps, values };
  });
}

function runCore(series: readonly Series[]): Answer {
  const [group] = aggregate(series, { fn: 'percentile', percentile: PERCENTILE, groupBy: [], range: RANGE, intervalMs: INTERVAL_MS });
  return { value: group!.value, buckets: group!.buckets!.values };
}

function runNaive(series: readonly Series[]): Answer {
  const first = Math.floor(RANGE.from / INTERVAL_MS) * INTERVAL_MS;
  const count = Math.ceil((RANGE.to - first) / INTERVAL_MS);
  const buckets: Array<Array<{ t: number; v: number }>> = Array.from({ length: count }, () => []);
  const all: Array<{ t: number; v: number }> = [];
  for (const one of series) {
    for (let i = 0; i < one.timestamps.length; i++) {
      const t = one.timestamps[i]!;
      const v = one.values[i];
      if (v === null || v === undefined || !Number.isFinite(v) || t < RANGE.from || t >= RANGE.to) continue;
      const point = { t, v };
      buckets[Math.floor((t - first) / INTERVAL_MS)]!.push(point);
      all.push(point);
    }
  }
  const percentile = (points: Array<{ t: number; v: number }>): number | null => {
    if (points.length === 0) return null;
    points.sort((a, b) => a.v - b.v);
    const rank = (PERCENTILE / 100) * (points.length - 1);
    const lower = Math.floor(rank);
    const upper = Math.ceil(rank);
    return points[lower]!.v + (points[upper]!.v - points[lower]!.v) * (rank - lower);
  };
  return { value: percentile(all), buckets: buckets.map(percentile) };
}

/** Linux: writing 5 to clear_refs resets the peak RSS (VmHWM) to the current RSS. */
function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function peakRss(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // Not Linux: fall through to the process-wide maximum.
  }
  return process.resourceUsage().maxRSS * 1024;
}

function child(variant: Variant, seriesCount: number): Measurement {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the child with --expose-gc');
  const series = makeSeries(seriesCount);
  const run = variant === 'core' ? runCore : runNaive;
  gc();
  const exact = resetPeakRss();
  const rssBefore = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapTotal;
  const answer = run(series);
  const heapBytes = process.memoryUsage().heapTotal - heapBefore;
  const peakRssBytes = peakRss() - (exact ? rssBefore : 0);
  const times: number[] = [];
  for (let i = 0; i < TIMED_RUNS; i++) {
    gc();
    const started = performance.now();
    run(series);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { variant, medianMs: times[Math.floor(times.length / 2)]!, peakRssBytes, heapBytes, answer };
}

function measure(variant: Variant, scenario: Scenario): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const proc = fork(fileURLToPath(import.meta.url), ['--child', variant, String(scenario.series)], {
      execArgv: [...process.execArgv, '--expose-gc'],
    });
    proc.once('message', (message) => resolve(message as Measurement));
    proc.once('error', reject);
    proc.once('exit', (code) => code !== 0 && reject(new Error(`${variant} child exited with ${code}`)));
  });
}

/** The first difference between two answers, or undefined when they are identical. */
function difference(a: Answer, b: Answer): string | undefined {
  if (a.value !== b.value) return `whole range: ${a.value} vs ${b.value}`;
  if (a.buckets.length !== b.buckets.length) return `bucket count: ${a.buckets.length} vs ${b.buckets.length}`;
  const i = a.buckets.findIndex((value, j) => value !== b.buckets[j]);
  return i === -1 ? undefined : `bucket ${i}: ${a.buckets[i]} vs ${b.buckets[i]}`;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const pad = (text: string, width: number) => text.padStart(width);

async function main(): Promise<void> {
  console.log(`aggregate: ${POINTS.toLocaleString('en')} points -> ${BUCKETS.toLocaleString('en')} buckets, PERCENTILE ${PERCENTILE} (Node ${process.version})\n`);
  console.log(`${'scenario'.padEnd(30)}${'variant'.padEnd(8)}${pad('time', 10)}${pad('x base', 8)}${pad('peak RSS', 10)}${pad('x base', 8)}${pad('heap', 9)}${pad('x base', 8)}`);
  let failed = false;
  for (const scenario of SCENARIOS) {
    // One at a time: two children at once would share the 2 cores and skew each other's times.
    const naive = await measure('naive', scenario);
    const core = await measure('core', scenario);
    for (const m of [core, naive]) {
      console.log(
        `${scenario.name.padEnd(30)}${m.variant.padEnd(8)}${pad(`${m.medianMs.toFixed(0)} ms`, 10)}${pad((m.medianMs / naive.medianMs).toFixed(2), 8)}` +
          `${pad(mb(m.peakRssBytes), 10)}${pad((m.peakRssBytes / naive.peakRssBytes).toFixed(2), 8)}${pad(mb(m.heapBytes), 9)}${pad((m.heapBytes / naive.heapBytes).toFixed(2), 8)}`,
      );
    }
    const diff = difference(core.answer, naive.answer);
    const withinTarget = core.medianMs < TARGET_MS && core.peakRssBytes < TARGET_BYTES;
    console.log(`${''.padEnd(30)}results ${diff ? `DIFFER (${diff})` : `match (${core.answer.buckets.length} buckets + whole range)`}; target < 1 s and < 200 MB: ${withinTarget ? 'met' : 'MISSED'}\n`);
    if (diff) failed = true;
  }
  if (failed) process.exitCode = 1;
}

const childAt = process.argv.indexOf('--child');
if (childAt !== -1) {
  const measurement = child(process.argv[childAt + 1] as Variant, Number(process.argv[childAt + 2]));
  process.send!(measurement, () => process.exit(0));
} else {
  await main();
}
