/**
 * The gateway under dashboard load, against a bare graphql-yoga server answering `{ hello }`
 * measured in the same run (these machines are noisy: compare ratios within a run).
 *
 * Every server runs in a child process of its own (bench/load/gateway-process.ts), so its peak
 * RSS and event-loop stalls are its own, from plain JavaScript with NODE_ENV=production as the
 * Docker image runs it (load/compile.ts). The three vendor emulators run together in another
 * process (bench/load/emulators-process.ts), over HTTPS, each behind a front that replays its
 * answers after a fixed added latency (default 2 ms), as a vendor's network round trip would be
 * (load/replay-upstream.ts). autocannon drives each server from this process with 50
 * connections: a warm-up, then a measured window, taken in turns with the baseline (slices of
 * a couple of seconds each), so a slow spell of the host falls on both. Scenarios:
 *
 * 1. Baseline: bare yoga `{ hello }`; and, for reference, the Dynatrace emulator called directly.
 * 2. A dashboard panel: 3 Darktrace metrics x 2 devices x 24 hourly points, warm cache.
 * 3. The same panel with caching off: every request goes upstream (DataLoader batching on).
 *    And, for reference, a bare yoga server making the same two upstream calls per request with
 *    nothing of the gateway in between (load/reference-server.ts).
 * 4. A dashboard mix: 10 distinct queries over the 3 sources (one an aggregate Argus computes),
 *    repeated by 50 connections from a cold start (no warm-up), with a 2 s cache TTL so entries expire several times in the run.
 *    Besides upstream calls per client request, it counts "repeat calls": an upstream request
 *    identical to one sent less than a TTL before it, which means an expiry (or a cold miss) was
 *    refreshed by more than one call. It runs twice: as configured by default, and with
 *    `staleWhileRevalidate`, where an expired answer is served while one call refreshes it.
 * 5. A large answer: 50 series x 10,000 points from the native source; bytes/s, peak RSS against
 *    the size of one answer's JSON, and the longest event-loop stall.
 *
 * Usage: npm run bench                         (this suite)
 *        BENCH_DURATION_S=30 BENCH_SLICES=6 npm run bench    (longer windows)
 * Settings (environment): BENCH_DURATION_S (default 8), BENCH_WARMUP_S (5),
 * BENCH_SLICES (4: the turns each measured window is cut into), BENCH_CONNECTIONS (50),
 * BENCH_UPSTREAM_LATENCY_MS (2), BENCH_ONLY (e.g. 2,4: only those scenarios, plus the baseline),
 * BENCH_LIVE_UPSTREAMS (set: every upstream answer is computed by the emulator instead of
 * replayed after the first), BENCH_LARGE_CONNECTIONS (connections for scenario 5, default 1: its
 * memory target is about one answer; raise it to see the answer under concurrency),
 * BENCH_CALLS_FILE (write scenario 4's upstream request logs there, as JSON, suffixed .1 and .2), BENCH_PROFILE_DIR
 * (each server writes a V8 CPU profile of every measured window there, the emulators one of their
 * whole run; open them in Chrome DevTools), BENCH_SERVER_FLAGS (node flags for every server
 * process, e.g. --trace-gc), BENCH_UPSTREAM_THREAD=0 (gateways without their upstream thread).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { EmulatorsReady, UpstreamCalls, UpstreamCounts } from './load/emulators-process.js';
import { compileForBench } from './load/compile.js';
import type { ReferenceUpstream } from './load/reference-server.js';
import type { ProcessStats } from './load/gateway-process.js';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 5);
const SLICES = Math.max(1, Number(process.env.BENCH_SLICES ?? 4));
/** The uncounted start of each slice's run. */
const SLICE_LEAD_S = 1;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const LATENCY_MS = Number(process.env.BENCH_UPSTREAM_LATENCY_MS ?? 2);
const LARGE_CONNECTIONS = Number(process.env.BENCH_LARGE_CONNECTIONS ?? 1);
const MIX_TTL_MS = 2_000;
/** BENCH_ONLY=2,4 runs just those scenarios (and always the baseline). */
const ONLY = process.env.BENCH_ONLY?.split(',').map((item) => item.trim());
const want = (scenario: string) => !ONLY || ONLY.includes(scenario);
const LARGE_SERIES = 50;
const LARGE_POINTS = 10_000;
const LARGE_STEP_MS = 5_000;
const MB = 2 ** 20;
/**
 * 50 connections from one address are one client: the per-client rate limit would answer 429.
 * BENCH_UPSTREAM_THREAD=0 runs every gateway with its upstream HTTP on the main thread.
 */
const BENCH_LIMITS = { limits: { rateLimit: false }, ...(process.env.BENCH_UPSTREAM_THREAD === '0' ? { upstreamThread: false } : {}) };
const hour = 3_600_000;

const serverFlags = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);

/** A child process speaking the small IPC protocols of bench/load/*. */
class Child {
  readonly #proc: ChildProcess;
  readonly #waiting = new Map<string, Array<(message: any) => void>>();

  constructor(file: string, args: string[]) {
    // As the Docker image runs it: NODE_ENV=production also turns off graphql-js's development checks.
    // --expose-gc only lets a server collect before the measured window (bench/load/gateway-process.ts).
    // Servers profile their measured windows themselves (load/gateway-process.ts); the emulators, whole.
    const profiled = process.env.BENCH_PROFILE_DIR && !file.endsWith('gateway-process.ts');
    const execArgv = ['--expose-gc', ...(file.endsWith('gateway-process.ts') ? serverFlags : []), ...(profiled ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [])];
    this.#proc = fork(compiled(file), args, { execArgv, env: { ...process.env, NODE_ENV: 'production' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.#proc.on('message', (message: { type: string }) => this.#waiting.get(message.type)?.shift()?.(message));
    this.#proc.on('exit', (code) => {
      if (code !== 0 && code !== null) {
        console.error(`${file} exited with ${code}`);
        process.exit(1);
      }
    });
  }

  next<T>(type: string): Promise<T> {
    return new Promise((resolve) => {
      const list = this.#waiting.get(type) ?? [];
      list.push(resolve);
      this.#waiting.set(type, list);
    });
  }

  async ask<T>(type: string): Promise<T> {
    const answer = this.next<T>(type);
    this.#proc.send({ type });
    return answer;
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.#proc.once('exit', resolve));
    this.#proc.send({ type: 'close' });
    await exited;
  }
}

async function startServer(role: 'baseline' | 'gateway' | 'reference', config?: object): Promise<{ child: Child; url: string }> {
  const child = new Child('bench/load/gateway-process.ts', config ? [role, JSON.stringify(config)] : [role]);
  const { url } = await child.next<{ url: string }>('ready');
  return { child, url };
}

interface Row {
  name: string;
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  bytesPerS: number;
  peakRssBytes?: number;
  restRssBytes?: number;
  loopMaxMs?: number;
  /** The server's CPU time per request completed in the window: steadier than req/s on a shared machine. */
  cpuMsPerRequest?: number;
  upstreamPerRequest?: number;
  failures: number;
  note?: string;
  /** The baseline as measured in turns with this row; its ratios are against it. */
  base?: Row;
}

type Request = { method: 'POST'; path: string; headers: Record<string, string>; body: string } | { method: 'GET'; path: string; headers: Record<string, string> };

const graphql = (query: string, variables?: object): Request & { method: 'POST'; body: string } => ({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });

function cannon(url: string, requests: Request[], durationS: number, connections: number): Promise<autocannon.Result> {
  return autocannon({ url, connections, duration: durationS, requests, timeout: 30, tlsOptions: { rejectUnauthorized: false } });
}

/** Sends each request once and fails loudly when the answer is not what a dashboard would draw. */
async function check(url: string, requests: Request[], expect: (body: any, i: number) => string | undefined): Promise<void> {
  for (const [i, request] of requests.entries()) {
    const response = await fetch(`${url}${request.path}`, { method: request.method, headers: request.headers, ...('body' in request ? { body: request.body } : {}) });
    const body = await response.json();
    const problem = response.status !== 200 ? `HTTP ${response.status}` : body.errors ? JSON.stringify(body.errors).slice(0, 400) : expect(body, i);
    if (problem) throw new Error(`request ${i} to ${url}${request.path} failed: ${problem}\n${'body' in request ? request.body.slice(0, 300) : ''}`);
  }
}

async function totalCalls(emulators: Child): Promise<number> {
  const counts = await emulators.ask<UpstreamCounts>('counts');
  return counts.darktrace + counts.argus + counts.dynatrace;
}

interface Contender {
  name: string;
  server: { child?: Child; url: string };
  requests: Request[];
  connections?: number;
  /** No warm-up: the measured window starts from a cold cache. */
  cold?: boolean;
  note?: string;
}

/** What one server did in one measured window. */
interface Window {
  requests: number;
  seconds: number;
  /** Response times (ms) of the answers inside the window. */
  latencies: number[];
  bytes: number;
  failures: number;
  stats?: ProcessStats;
  calls: number;
}

/**
 * One autocannon run of `leadS + windowS` seconds of which only the last `windowS` count, so the
 * window opens and closes with every connection busy. A run's first and last moments are not
 * what a server does under steady load: autocannon opens its connections at the start and drops
 * the requests in flight at the end, and a gateway drops the upstream calls of the requests
 * dropped (and their connections: the next run had to open them again). `opening` runs when the
 * window opens (before the first request when there is no lead).
 */
async function cannonWindow(contender: Contender, leadS: number, windowS: number, opening: () => Promise<void>): Promise<Omit<Window, 'stats' | 'calls'>> {
  const window = { requests: 0, latencies: [] as number[], bytes: 0, failures: 0 };
  let counting = false;
  let openedAt = 0;
  const open = async () => {
    await opening();
    counting = true;
    openedAt = performance.now();
  };
  if (leadS === 0) await open();
  const finished = new Promise<void>((resolve, reject) => {
    const run = autocannon(
      { url: contender.server.url, connections: contender.connections ?? CONNECTIONS, duration: leadS + windowS, requests: contender.requests, timeout: 30, tlsOptions: { rejectUnauthorized: false } },
      (error) => (error ? reject(error) : resolve()),
    );
    run.on('response', (_client, status, bytes, ms) => {
      if (!counting) return;
      window.requests++;
      window.latencies.push(ms);
      window.bytes += bytes;
      if (status < 200 || status >= 300) window.failures++;
    });
    run.on('reqError', () => {
      if (counting) window.failures++;
    });
  });
  const lead = leadS > 0 ? setTimeout(() => void open(), leadS * 1000) : undefined;
  await finished;
  clearTimeout(lead);
  counting = false;
  return { ...window, seconds: openedAt > 0 ? (performance.now() - openedAt) / 1000 : 0 };
}

/**
 * Measures servers in turns: the window is cut into BENCH_SLICES slices and each server gets one
 * slice of every round. The host's speed drifts from minute to minute (one scenario measured a
 * minute after its baseline read anywhere from 0.16x to 0.36x of it); taking turns every couple
 * of seconds lets a slow spell fall on all of them alike. Each server warms up first, and each
 * slice is the tail of a run whose first second (three for the first slice) is not counted: its
 * upstream connections idled out while the others had their turns. A server measured cold has
 * no warm-up and no uncounted lead. Peak RSS, stalls, CPU time and upstream calls are taken over
 * the counted part of each slice only.
 */
async function measureInTurns(contenders: Contender[], emulators?: Child): Promise<Row[]> {
  console.error(`  measuring ${contenders.map((contender) => contender.name).join(' | ')}`);
  for (const contender of contenders) {
    if (!contender.cold && WARMUP_S > 0) await cannon(contender.server.url, contender.requests, WARMUP_S, contender.connections ?? CONNECTIONS);
  }
  const windows = contenders.map(() => [] as Window[]);
  for (let round = 0; round < SLICES; round++) {
    for (const [i, contender] of contenders.entries()) {
      // One full collection before the first slice gives the rest figure. Not before every slice:
      // it shrinks the young generation, and the uncached gateway then took seconds to get back
      // to speed (more scavenges, more promotion).
      if (round === 0) await contender.server.child?.ask('collect');
      let callsBefore = 0;
      // The first slice's lead is longer: the collection left a small young generation, and the
      // uncached gateway was still getting faster (code still being optimised) after the warm-up.
      const lead = contender.cold ? 0 : round === 0 ? 3 * SLICE_LEAD_S : SLICE_LEAD_S;
      const window = await cannonWindow(contender, lead, DURATION_S / SLICES, async () => {
        await contender.server.child?.ask('reset');
        callsBefore = emulators ? await totalCalls(emulators) : 0;
      });
      const stats = await contender.server.child?.ask<ProcessStats>('stats');
      const calls = emulators ? (await totalCalls(emulators)) - callsBefore : 0;
      windows[i]!.push({ ...window, ...(stats ? { stats } : {}), calls });
      if (process.env.BENCH_DEBUG) console.error(`    ${contender.name.slice(0, 28)}, slice ${round}: ${Math.round(window.requests / window.seconds)} req/s, p99 ${percentile(window.latencies, 0.99).toFixed(0)} ms, loop max ${stats?.loopMaxMs.toFixed(0) ?? '-'} ms, ${stats ? (stats.cpuMs / Math.max(1, window.requests)).toFixed(3) : '-'} CPU ms/req`);
    }
  }
  return contenders.map((contender, i) => {
    const taken = windows[i]!;
    const stats = taken.flatMap((window) => (window.stats ? [window.stats] : []));
    const requests = taken.reduce((sum, window) => sum + window.requests, 0);
    const seconds = taken.reduce((sum, window) => sum + window.seconds, 0);
    const latencies = taken.flatMap((window) => window.latencies);
    return {
      name: contender.name,
      requestsPerS: requests / seconds,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      bytesPerS: taken.reduce((sum, window) => sum + window.bytes, 0) / seconds,
      ...(stats.length > 0
        ? {
            peakRssBytes: Math.max(...stats.map((slice) => slice.peakRssBytes)),
            // The lowest rest: growth over it is the most a window added.
            restRssBytes: Math.min(...stats.map((slice) => slice.restRssBytes)),
            loopMaxMs: Math.max(...stats.map((slice) => slice.loopMaxMs)),
            cpuMsPerRequest: stats.reduce((sum, slice) => sum + slice.cpuMs, 0) / Math.max(1, requests),
          }
        : {}),
      ...(emulators ? { upstreamPerRequest: taken.reduce((sum, window) => sum + window.calls, 0) / Math.max(1, requests) } : {}),
      failures: taken.reduce((sum, window) => sum + window.failures, 0),
      ...(contender.note ? { note: contender.note } : {}),
    };
  });
}

function percentile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** A scenario measured in turns with the baseline; its ratios are against that paired baseline. */
async function measure(contender: Contender, emulators?: Child, alongside: Contender[] = []): Promise<Row[]> {
  const [pairedBase, ...rows] = await measureInTurns([baselineContender, contender, ...alongside], emulators);
  for (const row of rows) row.base = pairedBase;
  return rows;
}

/** Upstream requests identical to one sent less than `windowMs` before: refreshes that were not single. */
function repeatCalls(calls: UpstreamCalls['calls'], windowMs: number): { repeats: number; distinct: number; total: number } {
  const last = new Map<string, number>();
  let repeats = 0;
  for (const call of [...calls].sort((a, b) => a.at - b.at)) {
    const key = `${call.upstream} ${call.path}`;
    const previous = last.get(key);
    if (previous !== undefined && call.at - previous < windowMs) repeats++;
    last.set(key, call.at);
  }
  return { repeats, distinct: last.size, total: calls.length };
}

// ---- the run -------------------------------------------------------------------------------

// A failed check ends the run; the children follow when their IPC channel closes.
process.on('uncaughtException', (error) => {
  console.error(error);
  process.exit(1);
});
process.on('unhandledRejection', (error) => {
  console.error(error);
  process.exit(1);
});

const compiled = await compileForBench();
const emulators = new Child('bench/load/emulators-process.ts', [String(LATENCY_MS), ...(process.env.BENCH_LIVE_UPSTREAMS ? ['live'] : [])]);
const upstream = await emulators.next<EmulatorsReady>('ready');
const [d1, d2] = upstream.devices;
const darktraceSource = upstream.sources.find((source) => source.id === 'darktrace') as unknown as ReferenceUpstream;
let referenceRow: Row | undefined;
const rows: Row[] = [];
const notes: string[] = [];

// A closed 24 h window (ended an hour ago), so a warm entry stays warm for the whole run.
const panelTo = Math.floor(Date.now() / hour) * hour - hour;
const panel = graphql(
  `{ metricData(source: "darktrace", metrics: ["connections", "externalconnections", "datatransfervolume"], from: ${panelTo - 24 * hour}, to: ${panelTo}, interval: "1h", darktrace: { devices: ["${d1}", "${d2}"] }) { metric label(key: "did") timestamps values } }`,
);
const expectPanel = (body: any): string | undefined => {
  const series = body.data?.metricData as Array<{ timestamps: number[] }> | undefined;
  if (series?.length !== 6) return `expected 6 series, got ${series?.length}`;
  return series.every((s) => s.timestamps.length === 24) ? undefined : `expected 24 points per series, got ${series.map((s) => s.timestamps.length)}`;
};

// 1. Baseline, and the emulator directly. The baseline stays up: every scenario takes turns with it.
const baseline = await startServer('baseline');
await check(baseline.url, [graphql('{ hello }')], (body) => (body.data?.hello === 'world' ? undefined : JSON.stringify(body)));
const baselineContender: Contender = { name: '1. bare yoga { hello } (baseline)', server: baseline, requests: [graphql('{ hello }')] };
const [base] = (await measureInTurns([baselineContender])) as [Row];
rows.push(base);

const direct: Request = {
  method: 'GET',
  path: `/api/v2/metrics/query?metricSelector=${encodeURIComponent('builtin:service.response.server')}&from=now-1d&resolution=1h`,
  headers: { authorization: `Api-Token ${upstream.dynatrace.token}` },
};
if (want('1')) rows.push(...(await measure({ name: `1. Dynatrace emulator directly (+${LATENCY_MS} ms)`, server: { url: upstream.dynatrace.url }, requests: [direct], note: 'reference; runs in the emulators process' })));

// 2. Warm cache.
if (want('2')) {
  const cached = await startServer('gateway', { ...BENCH_LIMITS, sources: upstream.sources });
  await check(cached.url, [panel], expectPanel);
  rows.push(...(await measure({ name: '2. panel 3x2x24, warm cache', server: cached, requests: [panel] }, emulators)));
  await cached.child.close();
}

// 3. Caching off, in turns with its reference; also checks the mix's queries against live
// upstreams without warming scenario 4.
const uncached = await startServer('gateway', { ...BENCH_LIMITS, sources: upstream.sources.map((source) => ({ ...source, cacheTtl: false })) });
await check(uncached.url, [panel], expectPanel);
if (want('3')) {
  const reference = await startServer('reference', darktraceSource);
  const referencePanel = graphql(
    `{ panel(metrics: ["connections", "externalconnections", "datatransfervolume"], devices: ["${d1}", "${d2}"], from: ${panelTo - 24 * hour}, to: ${panelTo}, intervalS: 3600) { metric did timestamps values } }`,
  );
  await check(reference.url, [referencePanel], (body) => expectPanel({ data: { metricData: body.data?.panel } }));
  const [uncachedRow, row] = await measure({ name: '3. panel 3x2x24, no cache', server: uncached, requests: [panel] }, emulators, [
    { name: '3. reference: bare yoga making the same 2 calls', server: reference, requests: [referencePanel], note: 'no gateway code between yoga and undici (bench/load/reference-server.ts)' },
  ]);
  rows.push(uncachedRow!, row!);
  referenceRow = row;
  await reference.child.close();
}
const seriesFields = '{ metric labels { key value } timestamps values }';
const mix = [
  `metricData(source: "darktrace", metric: "connections", from: "now-6h", interval: "1h", darktrace: { devices: ["${d1}"] }) ${seriesFields}`,
  `metricData(source: "darktrace", metric: "datatransfervolume", from: "now-1d", interval: "1h", darktrace: { devices: ["${d1}"] }) ${seriesFields}`,
  `metricData(source: "darktrace", metric: "dnsrequests", from: "now-1d", interval: "1h", darktrace: { devices: ["${d2}"] }) ${seriesFields}`,
  `metricData(source: "darktrace", metric: "failedconnections", from: "now-6h", interval: "1h", darktrace: { devices: ["${d2}"] }) ${seriesFields}`,
  `metricData(source: "argus", metric: "netstats.packages", from: "now-6h", interval: "1h") ${seriesFields}`,
  // A panel of totals per customer, computed by Argus (pushed down), kept like the series.
  'aggregate(source: "argus", metric: "netstats.packages", function: SUM, groupBy: ["customer"], from: "now-6h", interval: "1h") { labels { key value } value pushedDown }',
  `metricData(source: "argus", metric: "sensorload.cpuPercent", from: "now-1d", interval: "1h") ${seriesFields}`,
  `metricData(source: "dynatrace", metric: "http_duration_ms", from: "now-1d", interval: "1h") ${seriesFields}`,
  `metricData(source: "dynatrace", metric: "http_requests", from: "now-1d", interval: "1h") ${seriesFields}`,
  `metricData(source: "dynatrace", metric: "db_connections", from: "now-6h", interval: "1h") ${seriesFields}`,
].map((field) => graphql(`{ ${field} }`));
await check(uncached.url, mix, (body) => {
  const answer = body.data?.metricData ?? body.data?.aggregate;
  if (!(answer?.length > 0)) return 'no series';
  return body.data?.aggregate && !answer.every((group: { pushedDown: boolean }) => group.pushedDown) ? 'aggregate not pushed down' : undefined;
});
await uncached.child.close();

// 4. The mix from a cold start with a short TTL; then the same serving expired answers while they
// are refreshed (stale while revalidate), where an expiry makes nobody wait.
const mixRuns: Array<{ row: Row; calls: ReturnType<typeof repeatCalls> }> = [];
async function runMix(name: string, cacheTtl: Record<string, string>): Promise<void> {
  const mixGateway = await startServer('gateway', { ...BENCH_LIMITS, sources: upstream.sources.map((source) => ({ ...source, cacheTtl })) });
  await emulators.ask('reset');
  const [row] = (await measure({ name, server: mixGateway, requests: mix, cold: true }, emulators)) as [Row];
  const log = (await emulators.ask<UpstreamCalls>('calls')).calls;
  if (process.env.BENCH_CALLS_FILE) writeFileSync(`${process.env.BENCH_CALLS_FILE}.${mixRuns.length + 1}`, JSON.stringify(log, null, 1));
  const calls = repeatCalls(log, MIX_TTL_MS);
  row.note = `${calls.total} upstream calls for ${calls.distinct} distinct upstream requests; ${calls.repeats} repeat calls within a TTL`;
  rows.push(row);
  mixRuns.push({ row, calls });
  await mixGateway.child.close();
}
if (want('4')) {
  const ttl = { open: `${MIX_TTL_MS}ms`, closed: `${MIX_TTL_MS}ms` };
  await runMix(`4. mix of 10 over 3 sources, TTL ${MIX_TTL_MS / 1000} s, cold`, ttl);
  await runMix(`4. the same, stale while revalidate 10 s`, { ...ttl, staleWhileRevalidate: '10s' });
}

// 5. A large answer from the native source.
let largeBytes = 0;
if (want('5')) {
const large = await startServer('gateway', { ...BENCH_LIMITS, sources: [{ id: 'native', kind: 'native', maxPointsPerSeries: LARGE_POINTS }] });
const largeEnd = Math.floor(Date.now() / LARGE_STEP_MS) * LARGE_STEP_MS;
for (let s = 0; s < LARGE_SERIES; s++) {
  const inputs = Array.from({ length: LARGE_POINTS }, (_, i) => ({
    name: 'bench_large',
    value: Math.round((50 + s + 20 * Math.sin(i / 200 + s) + 5 * Math.sin(i / 7)) * 100) / 100,
    labels: { pod: `pod-${String(s).padStart(2, '0')}` },
    timestamp: largeEnd - (LARGE_POINTS - 1 - i) * LARGE_STEP_MS,
  }));
  await check(large.url, [graphql('mutation ($inputs: [TrackMetricInput!]!) { trackMetrics(inputs: $inputs) { failed } }', { inputs })], (body) =>
    body.data?.trackMetrics?.failed === 0 ? undefined : JSON.stringify(body).slice(0, 300),
  );
}
const largeQuery = graphql(`{ metricData(source: "native", metric: "bench_large", from: ${largeEnd - LARGE_POINTS * LARGE_STEP_MS}, to: ${largeEnd + 1}) { labels { key value } timestamps values } }`);
largeBytes = (await (await fetch(`${large.url}/graphql`, { method: 'POST', headers: largeQuery.headers, body: largeQuery.body })).text()).length;
await check(large.url, [largeQuery], (body) => {
  const series = body.data?.metricData as Array<{ timestamps: number[] }> | undefined;
  return series?.length === LARGE_SERIES && series.every((s) => s.timestamps.length === LARGE_POINTS) ? undefined : `expected ${LARGE_SERIES} x ${LARGE_POINTS} points`;
});
const [largeRow] = (await measure({ name: `5. ${LARGE_SERIES} x ${LARGE_POINTS.toLocaleString('en')} points, ${LARGE_CONNECTIONS} conn.`, server: large, requests: [largeQuery], connections: LARGE_CONNECTIONS })) as [Row];
const largeGrowth = largeRow.peakRssBytes! - largeRow.restRssBytes!;
largeRow.note = `answer ${(largeBytes / MB).toFixed(1)} MB of JSON; RSS at rest ${(largeRow.restRssBytes! / MB).toFixed(0)} MB (50 x 10,000 points stored), peak ${(largeRow.peakRssBytes! / MB).toFixed(0)} MB: ${(largeGrowth / MB).toFixed(1)} MB over rest, ${(largeGrowth / largeBytes).toFixed(2)}x the answer`;
rows.push(largeRow);
await large.child.close();
}
await emulators.close();
await baseline.child.close();

// ---- the table -----------------------------------------------------------------------------

const fmt = (value: number | undefined, digits = 0) => (value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits));
const ratio = (value: number | undefined, to: number | undefined) => (value === undefined || !to ? '-' : (value / to).toFixed(2));
console.log(
  `\ngateway load: ${CONNECTIONS} connections, ${WARMUP_S} s warm-up, then ${SLICES} slices of ${DURATION_S / SLICES} s in turns with the baseline, upstream latency ${LATENCY_MS} ms; Node ${process.version}`,
);
console.log('"x base" is against the baseline of the same turns ("base req/s").\n');
console.log('| scenario | req/s | base req/s | x base | p50 ms | x base | p99 ms | x base | MB/s | CPU ms/req | x base | peak RSS MB | x base | loop max ms | upstream/req | failed |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) {
  const b = row.base ?? base;
  console.log(
    `| ${row.name} | ${fmt(row.requestsPerS)} | ${fmt(b.requestsPerS)} | ${ratio(row.requestsPerS, b.requestsPerS)} | ${fmt(row.p50Ms)} | ${ratio(row.p50Ms, b.p50Ms)} | ${fmt(row.p99Ms)} | ${ratio(row.p99Ms, b.p99Ms)} | ` +
      `${fmt(row.bytesPerS / MB, 1)} | ${fmt(row.cpuMsPerRequest, 3)} | ${ratio(row.cpuMsPerRequest, b.cpuMsPerRequest)} | ${row.peakRssBytes ? fmt(row.peakRssBytes / MB) : '-'} | ${ratio(row.peakRssBytes, b.peakRssBytes)} | ${fmt(row.loopMaxMs)} | ${fmt(row.upstreamPerRequest, 3)} | ${row.failures} |`,
  );
}
for (const row of rows) if (row.note) notes.push(`${row.name}: ${row.note}`);
console.log(`\n${notes.map((note) => `- ${note}`).join('\n')}`);

const byNumber = (n: string) => rows.find((row) => row.name.startsWith(`${n}.`) && row !== base && !row.name.includes('reference'));
const [warm, cold, big] = ['2', '3', '5'].map(byNumber);
const targets: Array<[string, boolean]> = [];
const baseOf = (row: Row) => (row.base ?? base).requestsPerS;
if (warm) targets.push([`(2) warm cache >= 0.9x baseline req/s (${ratio(warm.requestsPerS, baseOf(warm))}x) and p99 < 50 ms (${fmt(warm.p99Ms)} ms)`, warm.requestsPerS >= 0.9 * baseOf(warm) && warm.p99Ms < 50]);
if (cold) {
  const reference = referenceRow ? `; bare yoga making the same upstream calls: ${ratio(referenceRow.requestsPerS, baseOf(referenceRow))}x, the gateway ${ratio(cold.requestsPerS, referenceRow.requestsPerS)}x of it` : '';
  targets.push([`(3) uncached >= 0.3x baseline req/s (${ratio(cold.requestsPerS, baseOf(cold))}x${reference})`, cold.requestsPerS >= 0.3 * baseOf(cold)]);
}
for (const { row, calls } of mixRuns) {
  const which = row.name.slice(3, 30);
  targets.push([`(4) <= 0.05 upstream calls per request (${fmt(row.upstreamPerRequest, 3)}; ${which}...)`, (row.upstreamPerRequest ?? 1) <= 0.05]);
  targets.push([`(4) one upstream call per expiry (${calls.repeats} repeats; ${which}...)`, calls.repeats === 0]);
}
const loaded = [warm, cold, ...mixRuns.map((run) => run.row)].filter((row): row is Row => row !== undefined);
targets.push([`(2)-(4) peak RSS < 300 MB (${loaded.map((row) => fmt(row.peakRssBytes! / MB)).join(', ')} MB)`, loaded.every((row) => row.peakRssBytes! < 300 * MB)]);
if (big) {
  // Over the server's RSS at rest: an idle Node process alone is several times a 9.5 MB answer.
  const growth = big.peakRssBytes! - big.restRssBytes!;
  targets.push([`(5) peak RSS over rest < 3x the answer (${(growth / largeBytes).toFixed(2)}x)`, growth < 3 * largeBytes]);
  targets.push([`(5) no event-loop stall over 100 ms (${fmt(big.loopMaxMs)} ms)`, big.loopMaxMs! <= 100]);
}
console.log(`\ntargets:\n${targets.map(([text, met]) => `- ${met ? 'met   ' : 'MISSED'} ${text}`).join('\n')}`);
const failed = rows.filter((row) => row.failures > 0);
if (failed.length > 0) {
  console.error(`\nfailed requests in: ${failed.map((row) => row.name).join(', ')}`);
  process.exitCode = 1;
}
