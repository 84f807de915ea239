/**
 * One server under load in a process of its own, so its resident set is its own and the load
 * generator does not share its event loop. Started by bench/gateway-load.ts with IPC:
 *
 *   argv[2] = 'gateway'  argv[3] = a gateway config tree as JSON (as gateway.yaml would hold it)
 *   argv[2] = 'baseline' a bare graphql-yoga server answering `{ hello }`
 *   argv[2] = 'reference' argv[3] = a Darktrace upstream as JSON: the uncached panel's reference
 *                        (reference-server.ts)
 *
 * It sends `{ type: 'ready', url }` once listening, and answers the parent's messages:
 *   `{ type: 'collect' }` -> a full garbage collection, then the RSS at rest is taken; `{ type: 'collect' }`
 *   `{ type: 'reset' }` -> peak RSS, CPU time and the event-loop delay histogram start again; `{ type: 'reset' }`
 *   `{ type: 'stats' }` -> `{ type: 'stats', peakRssBytes, rssBytes, restRssBytes, loopMaxMs, loopP99Ms, cpuMs }`
 *   `{ type: 'close' }` -> closes the server and exits.
 * With BENCH_PROFILE_DIR set, each window from reset to stats is written there as a CPU profile.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createSchema, createYoga } from 'graphql-yoga';

export interface ProcessStats {
  type: 'stats';
  peakRssBytes: number;
  rssBytes: number;
  /** RSS after the last full collection (`collect`): what the server held before the measured window. */
  restRssBytes: number;
  /** Longest event-loop stall seen since the last reset. */
  loopMaxMs: number;
  loopP99Ms: number;
  /** CPU time (user + system, all threads) since the last reset, in ms: steadier than req/s on a busy machine. */
  cpuMs: number;
}

export type ParentMessage = { type: 'collect' } | { type: 'reset' } | { type: 'stats' } | { type: 'close' };

/** Linux: writing 5 to clear_refs resets the peak RSS (VmHWM) to the current RSS. */
function resetPeakRss(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux, or not allowed: the sampled peak below still holds.
  }
}

function kernelPeakRss(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // Not Linux.
  }
  return 0;
}

async function startBaseline(): Promise<{ url: string; close: () => Promise<void> }> {
  const yoga = createYoga({
    schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } }),
    logging: false,
    landingPage: false,
  });
  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function startGatewayFrom(configJson: string): Promise<{ url: string; close: () => Promise<void> }> {
  // Loaded here, so the baseline's resident set holds yoga alone.
  const { pino } = await import('pino');
  const { validateConfig } = await import('../../src/config/load.js');
  const { createGateway } = await import('../../src/gateway.js');
  // The gateway's process as src/main.ts sets it up.
  (await import('../../src/heap-growth.js')).limitHeapGrowth();
  const config = validateConfig({ port: 0, host: '127.0.0.1', ...JSON.parse(configJson) }, 'bench configuration', {});
  const gateway = await createGateway(config, { log: pino({ level: process.env.BENCH_LOG ?? 'silent' }) });
  return { url: gateway.url, close: () => gateway.close() };
}

const role = process.argv[2];
const server =
  role === 'baseline'
    ? await startBaseline()
    : role === 'reference'
      ? // Loaded only here, like the gateway, so the baseline's resident set holds yoga alone.
        await (await import('./reference-server.js')).startReferenceServer(JSON.parse(process.argv[3] ?? '{}'))
      : await startGatewayFrom(process.argv[3] ?? '{}');

// The kernel's high-water mark is exact; sampling covers systems without clear_refs.
let sampledPeak = 0;
let restRss = process.memoryUsage.rss();
const sampler = setInterval(() => {
  sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss());
}, 20);
sampler.unref();
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

/**
 * With BENCH_PROFILE_DIR, a V8 CPU profile of each measured window alone (reset to stats), without
 * the start, seeding and warm-up a whole-process profile would mix in.
 */
const profileDir = process.env.BENCH_PROFILE_DIR;
/** BENCH_PROFILE=heap: sampled allocations (.heapprofile) instead of CPU time. */
const heapProfile = process.env.BENCH_PROFILE === 'heap';
if (profileDir) mkdirSync(profileDir, { recursive: true });
const profiler = profileDir ? new Session() : undefined;
profiler?.connect();
let windows = 0;
let cpuAtReset = process.cpuUsage();

process.on('message', async (message: ParentMessage) => {
  if (message.type === 'collect') {
    // Garbage from setup (seeding, warm-up) out first, so the rest figure is what the server holds.
    (globalThis as { gc?: () => void }).gc?.();
    restRss = process.memoryUsage.rss();
    process.send!({ type: 'collect' });
  } else if (message.type === 'reset') {
    if (heapProfile) {
      // Every allocation sampled, the short-lived ones included: what feeds the collector.
      await profiler?.post('HeapProfiler.startSampling', { samplingInterval: 16_384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
    } else {
      await profiler?.post('Profiler.enable');
      await profiler?.post('Profiler.start');
    }
    resetPeakRss();
    sampledPeak = restRss;
    loop.reset();
    cpuAtReset = process.cpuUsage();
    process.send!({ type: 'reset' });
  } else if (message.type === 'stats') {
    const cpu = process.cpuUsage(cpuAtReset);
    const stats: ProcessStats = {
      type: 'stats',
      peakRssBytes: Math.max(kernelPeakRss(), sampledPeak, process.memoryUsage.rss()),
      rssBytes: process.memoryUsage.rss(),
      restRssBytes: restRss,
      loopMaxMs: loop.max / 1e6,
      loopP99Ms: loop.percentile(99) / 1e6,
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
    if (profiler && heapProfile) {
      const { profile } = await profiler.post('HeapProfiler.stopSampling');
      writeFileSync(join(profileDir!, `${role}-${process.pid}-window-${++windows}.heapprofile`), JSON.stringify(profile));
    } else if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(join(profileDir!, `${role}-${process.pid}-window-${++windows}.cpuprofile`), JSON.stringify(profile));
    }
    process.send!(stats);
  } else if (message.type === 'close') {
    void server.close().finally(() => process.exit(0));
  }
});
process.send!({ type: 'ready', url: server.url });
// The bench process ended (or crashed): nothing is left to serve.
process.on('disconnect', () => process.exit(0));
