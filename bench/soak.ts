/**
 * A bounded soak: the demo gateway (every emulator as a source) under mixed load — metricData on
 * every source, aggregates, discovery, native writes, and SSE streams that are opened and closed
 * all the time — printing heap and RSS every 10 s. After warm-up both should stay flat; a steady
 * climb is a leak (streams not released, caches without bounds, listeners piling up).
 *
 * The gateway runs in this process so its memory is what is printed; the load is light enough
 * (a few requests in flight) not to dominate it.
 *
 * Usage: npm run bench -- soak              (60 s)
 *        SOAK_SECONDS=300 npm run bench -- soak
 */
import { pino } from 'pino';
import { validateConfig } from '../src/config/load.js';
import { demoConfig } from '../src/config/demo.js';
import { startDemoUpstreams } from '../src/emulators/demo.js';
import { createGateway } from '../src/gateway.js';
import { limitHeapGrowth } from '../src/heap-growth.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const SAMPLE_MS = 10_000;
const MB = 1024 * 1024;

// The gateway's process as src/main.ts sets it up.
limitHeapGrowth();
const upstreams = await startDemoUpstreams();
const config = validateConfig({ ...demoConfig(upstreams.sources), port: 0, host: '127.0.0.1', limits: { rateLimit: false } }, 'soak', {});
const gateway = await createGateway(config, { log: pino({ level: 'warn' }) });

const QUERIES = [
  '{ metricData(source: "native", metric: "http_requests", from: "now-6h", interval: "5m") { metric values } }',
  '{ metricData(source: "darktrace", metric: "connections", from: "now-6h", interval: "1h") { metric values } }',
  '{ metricData(source: "argus", metric: "netstats.frames", from: "now-6h", interval: "1h") { metric values } }',
  '{ metricData(source: "dynatrace", metric: "builtin:service.requestCount.total", from: "now-6h", interval: "1h") { metric values } }',
  '{ aggregate(source: "native", metric: "http_requests", function: SUM, groupBy: ["service"], from: "now-6h") { value } }',
  '{ metrics(search: "req") { source name } sources { id healthy } }',
];

let requests = 0;
let failures = 0;
let streamsOpened = 0;
const deadline = Date.now() + SECONDS * 1000;

async function post(body: unknown): Promise<void> {
  try {
    const response = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await response.json()) as { errors?: unknown[] };
    requests++;
    if (response.status !== 200 || json.errors) {
      failures++;
      if (process.env.SOAK_DEBUG) console.log(JSON.stringify(json).slice(0, 300));
    }
  } catch {
    failures++;
  }
}

async function queryLoop(offset: number): Promise<void> {
  for (let i = offset; Date.now() < deadline; i++) {
    await post({ query: QUERIES[i % QUERIES.length] });
    if (i % 5 === 0) await post({ query: `mutation { trackMetric(input: { name: "soak_points", value: ${i % 100}, labels: { worker: "w${offset}" } }) { success } }` });
  }
}

/** Opens an SSE stream, reads for a moment, drops it: the hub must release every one. */
async function streamLoop(): Promise<void> {
  while (Date.now() < deadline) {
    const controller = new AbortController();
    try {
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query: 'subscription { metricStream(source: "native", metric: "soak_points", backfill: "5m") { series { values } } }' }),
        signal: controller.signal,
      });
      streamsOpened++;
      const reader = response.body!.getReader();
      const until = Date.now() + 500;
      while (Date.now() < until) await Promise.race([reader.read(), new Promise((resolve) => setTimeout(resolve, 100))]);
    } catch {
      // aborted below
    }
    controller.abort();
  }
}

function sample(label: string): void {
  (globalThis as { gc?: () => void }).gc?.();
  const memory = process.memoryUsage();
  console.log(
    `${label.padStart(6)}  heap ${(memory.heapUsed / MB).toFixed(1).padStart(6)} MB  rss ${(memory.rss / MB).toFixed(1).padStart(6)} MB  ` +
      `requests ${String(requests).padStart(7)}  failed ${failures}  streams opened ${streamsOpened}`,
  );
}

console.log(`soak: ${SECONDS} s of mixed queries, writes and short-lived SSE streams against the demo gateway`);
sample('start');
const started = Date.now();
const sampler = setInterval(() => sample(`${Math.round((Date.now() - started) / 1000)}s`), SAMPLE_MS);
await Promise.all([queryLoop(0), queryLoop(1), queryLoop(2), streamLoop(), streamLoop()]);
clearInterval(sampler);
sample('end');
await gateway.close();
await upstreams.close();
process.exit(failures > 0 ? 1 : 0);
