/**
 * Live streams under load, against a one-subscriber baseline measured in the same run.
 *
 * Push: 1,000 SSE subscribers follow one native metric while 100 points a second are tracked
 * through GraphQL; each point carries its send time as its timestamp, so every subscriber measures
 * delivery latency (track -> receipt) for every point. Reported: p50/p99/max latency and points
 * delivered, for 1 and for 1,000 subscribers.
 *
 * Poll: subscribers of one Darktrace stream (emulator on loopback): upstream /metricdata calls over
 * the same window for 1 subscriber and for 1,000. They must be equal: one poller per channel.
 *
 * The gateway runs in a child process (`src/main.ts` with a temporary config), so the 1,000 clients
 * in this process do not share its event loop.
 *
 * Usage: npm run bench -- streams   (STREAM_SUBSCRIBERS, STREAM_SECONDS override the defaults)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent } from 'undici';
import { DarktraceEmulator, EMULATOR_TOKENS } from '../src/emulators/darktrace/emulator.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CA_FILE = fileURLToPath(new URL('../src/emulators/tls/cert.pem', import.meta.url));
const SUBSCRIBERS = Number(process.env.STREAM_SUBSCRIBERS ?? 1000);
const SECONDS = Number(process.env.STREAM_SECONDS ?? 5);
const POINTS_PER_SECOND = 100;
const POLL_MS = 500;

const agent = new Agent({ connections: SUBSCRIBERS + 16, keepAliveTimeout: 60_000, headersTimeout: 0, bodyTimeout: 0 });

async function startGateway(config: string): Promise<{ url: string; child: ChildProcess }> {
  const dir = mkdtempSync(join(tmpdir(), 'mg-bench-streams-'));
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, config);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--config', file], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', GATEWAY_CONFIG: '', PORT: '', REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /"url":"([^"]+)"/.exec(text);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
  });
  child.stdout!.resume();
  return { url, child };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Opens one SSE subscription; calls `onPoint(timestamp)` for every point delivered after the backfill. */
async function subscribe(url: string, query: string, onPoint: (timestamp: number, receivedAt: number) => void, signal: AbortSignal): Promise<void> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query }),
    signal,
    // @ts-expect-error undici's fetch takes a dispatcher
    dispatcher: agent,
  });
  let ready!: () => void;
  const backfilled = new Promise<void>((resolve) => (ready = resolve));
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const receivedAt = Date.now();
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (!data) continue;
          const event = JSON.parse(data).data?.metricStream;
          if (!event) continue;
          if (event.backfill) {
            ready();
            continue;
          }
          for (const series of event.series) for (const timestamp of series.timestamps) onPoint(timestamp, receivedAt);
        }
      }
    } catch {
      // aborted at the end of the run
    }
  })();
  await backfilled;
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))]!;
}

async function pushRun(url: string, subscribers: number, metric: string) {
  const controller = new AbortController();
  const latencies: number[] = [];
  const query = `subscription { metricStream(source: "native", metric: "${metric}", backfill: "1m") { backfill series { timestamps } } }`;
  for (let opened = 0; opened < subscribers; opened += 100) {
    await Promise.all(Array.from({ length: Math.min(100, subscribers - opened) }, () => subscribe(url, query, (ts, at) => latencies.push(at - ts), controller.signal)));
  }
  const total = POINTS_PER_SECOND * SECONDS;
  let last = 0;
  const started = Date.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / POINTS_PER_SECOND;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const timestamp = Math.max(Date.now(), last + 1);
    last = timestamp;
    void fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `mutation { trackMetric(input: { name: "${metric}", value: ${i}, timestamp: ${timestamp} }) { success } }` }),
      // @ts-expect-error undici's fetch takes a dispatcher
      dispatcher: agent,
    });
  }
  await new Promise((resolve) => setTimeout(resolve, 1500));
  controller.abort();
  latencies.sort((a, b) => a - b);
  return { subscribers, expected: total * subscribers, delivered: latencies.length, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: latencies[latencies.length - 1] ?? Number.NaN };
}

async function pollRun(url: string, emulator: DarktraceEmulator, subscribers: number) {
  const controller = new AbortController();
  const query = `subscription { metricStream(source: "dt", metric: "connections", interval: "${POLL_MS}ms", backfill: "10m") { backfill series { timestamps } } }`;
  emulator.reset();
  for (let opened = 0; opened < subscribers; opened += 100) {
    await Promise.all(Array.from({ length: Math.min(100, subscribers - opened) }, () => subscribe(url, query, () => {}, controller.signal)));
  }
  const before = emulator.count('/metricdata');
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  const polls = emulator.count('/metricdata') - before;
  controller.abort();
  await new Promise((resolve) => setTimeout(resolve, 300));
  return { subscribers, polls };
}

const dt = await DarktraceEmulator.start();
const { url, child } = await startGateway(
  [
    'port: 0',
    'host: 127.0.0.1',
    'log: { level: info }',
    // One load generator is one client address; the per-client limit would throttle it.
    'limits: { rateLimit: false }',
    'sources:',
    '  - { id: native, kind: native, maxPointsPerSeries: 100000 }',
    `  - { id: dt, kind: darktrace, url: "${dt.url}", publicToken: "${EMULATOR_TOKENS.publicToken}", privateToken: "${EMULATOR_TOKENS.privateToken}", caFile: "${CA_FILE}", cacheTtl: false, minPollInterval: 100ms }`,
  ].join('\n'),
);
try {
  const one = await pushRun(url, 1, 'bench_stream_one');
  const many = await pushRun(url, SUBSCRIBERS, 'bench_stream_many');
  const pollOne = await pollRun(url, dt, 1);
  const pollMany = await pollRun(url, dt, SUBSCRIBERS);

  console.log(`\npush: ${POINTS_PER_SECOND} tracked points/s for ${SECONDS}s on one native metric (SSE)`);
  console.table(
    [one, many].map((run) => ({
      subscribers: run.subscribers,
      'delivered / expected': `${run.delivered} / ${run.expected}`,
      'p50 ms': run.p50,
      'p99 ms': run.p99,
      'max ms': run.max,
      'p99 x baseline': (run.p99 / Math.max(1, one.p99)).toFixed(2),
    })),
  );
  console.log(`\npoll: one Darktrace stream polled every ${POLL_MS} ms, upstream /metricdata calls in ${SECONDS}s`);
  console.table([pollOne, pollMany].map((run) => ({ subscribers: run.subscribers, 'upstream polls': run.polls, 'x baseline': (run.polls / Math.max(1, pollOne.polls)).toFixed(2) })));
  if (pollMany.polls > pollOne.polls + 1) {
    console.error('FAIL: more subscribers made more upstream polls');
    process.exitCode = 1;
  }
  if (many.delivered < many.expected) {
    console.error(`FAIL: ${many.expected - many.delivered} points were not delivered`);
    process.exitCode = 1;
  }
} finally {
  await stop(child);
  await dt.close();
  await agent.close();
}
