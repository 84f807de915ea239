/**
 * Two builds of the gateway in one process, taking turns on the uncached panel (scenario 3's
 * query): started by bench/ab-uncached.ts with argv = [compiled dir A, compiled dir B]. Both run
 * against the same emulators and replaying fronts (from A's build), driven through `yoga.fetch`
 * by 50 concurrent loops, so neither a load generator nor an HTTP server is in the figures.
 * Each round runs N requests on one build and then N on the other (the order alternating), and
 * the figure is the median of the per-round ratios of CPU time per request: the machine's drift
 * over minutes cancels out within a round. CPU time counts every thread (the upstream thread
 * included); the main thread's busy time (event-loop utilization) is taken too, since that thread
 * is the one that saturates first. Prints one JSON line with the results.
 */
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { EmulatorsReady } from './emulators-process.js';

const [dirA, dirB] = process.argv.slice(2) as [string, string];
const ROUNDS = Number(process.env.AB_ROUNDS ?? 14);
const N = Number(process.env.AB_N ?? 3000);
const LOOPS = 50;

interface Built {
  yoga: { fetch(url: string, init: RequestInit): Promise<Response> | Response };
  close(): Promise<void>;
}

const emulators = fork(`${dirA}/bench/load/emulators-process.js`, ['2'], { env: { ...process.env, NODE_ENV: 'production' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const ready = await new Promise<EmulatorsReady>((resolve) => emulators.on('message', (message: { type: string }) => message.type === 'ready' && resolve(message as EmulatorsReady)));
const { pino } = await import('pino');

/** `extra`: config keys for this build alone (AB_CONFIG_A, AB_CONFIG_B), e.g. `{"upstreamThread":false}`. */
async function start(dir: string, extra: string | undefined): Promise<Built> {
  const { validateConfig } = await import(`${dir}/src/config/load.js`);
  const { createGateway } = await import(`${dir}/src/gateway.js`);
  const sources = ready.sources.map((source) => ({ ...source, cacheTtl: false }));
  const config = validateConfig({ port: 0, host: '127.0.0.1', limits: { rateLimit: false }, sources, ...JSON.parse(extra ?? '{}') }, 'ab', {});
  return createGateway(config, { log: pino({ level: 'silent' }) });
}
const builds = [await start(dirA, process.env.AB_CONFIG_A), await start(dirB, process.env.AB_CONFIG_B)];

const hour = 3_600_000;
const panelTo = Math.floor(Date.now() / hour) * hour - hour;
const [d1, d2] = ready.devices;
const body = JSON.stringify({
  query: `{ metricData(source: "darktrace", metrics: ["connections", "externalconnections", "datatransfervolume"], from: ${panelTo - 24 * hour}, to: ${panelTo}, interval: "1h", darktrace: { devices: ["${d1}", "${d2}"] }) { metric label(key: "did") timestamps values } }`,
});

/** CPU µs and main-thread busy µs per request over `n` requests on one build. */
async function run(build: Built, n: number): Promise<{ cpu: number; main: number }> {
  let left = n;
  const started = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  await Promise.all(
    Array.from({ length: LOOPS }, async () => {
      while (left-- > 0) {
        const response = await build.yoga.fetch('http://gateway/graphql', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body });
        const text = await response.text();
        if (response.status !== 200 || !text.startsWith('{"data":{"metricData":[{')) throw new Error(`unexpected answer ${response.status}: ${text.slice(0, 300)}`);
      }
    }),
  );
  const used = process.cpuUsage(started);
  const busy = performance.eventLoopUtilization(loop);
  return { cpu: (used.user + used.system) / n, main: (busy.active * 1000) / n };
}

// Warm-up: JIT and connections for both.
for (let i = 0; i < 3; i++) for (const build of builds) await run(build, N);
const a: Array<{ cpu: number; main: number }> = [];
const b: Array<{ cpu: number; main: number }> = [];
for (let round = 0; round < ROUNDS; round++) {
  const first = round % 2;
  const times: Array<{ cpu: number; main: number }> = [];
  times[first] = await run(builds[first]!, N);
  times[1 - first] = await run(builds[1 - first]!, N);
  a.push(times[0]!);
  b.push(times[1]!);
}
for (const build of builds) await build.close();
emulators.kill();
process.stdout.write(`${JSON.stringify({ a, b })}\n`);
process.exit(0);
