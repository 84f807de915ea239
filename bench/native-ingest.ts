/**
 * Native collector ingest, measured against baselines in the same run.
 *
 * Throughput: POST /metrics/track/batch with 1,000-point JSON bodies over HTTP/1.1 keep-alive from
 * an undici Pool (several connections, one request in flight per connection) for a fixed time,
 * against (a) the gateway with the memory store, (b) the gateway with the Redis store when a Redis
 * answers, and (c) the baseline: a bare node:http server that reads the same bodies, JSON.parses
 * them and throws them away. Every server runs in a child process of its own, so the load
 * generator does not share its event loop. The machine is shared with other work, so each server
 * runs twice, alternating, and its better run is reported. The target: >= 100,000
 * points/s for the memory store on the 2-core machine.
 *
 * Memory: 1,000,000 points (1,000 series x 1,000 points, the default per-series cap) stored in the
 * memory store, as the growth of the V8 heap after a full GC, next to the floor for the same
 * numbers (two Float64Arrays: 16 bytes a point); and, with Redis, the growth of Redis's
 * used_memory for the same points in the Redis store.
 *
 * Usage: npm run bench -- native-ingest   (or: node --import tsx --expose-gc bench/native-ingest.ts)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Pool } from 'undici';
// The tests' Redis helpers: one way to probe Redis and to clear a prefix.
import { deleteKeys } from '../test/helpers/collector.js';
import { redisAnswers } from '../test/helpers/redis.js';

const BATCH = 1_000;
const SERIES_PER_BATCH = 100;
const CONNECTIONS = 8;
const DURATION_MS = 8_000;
const WARMUP_MS = 1_500;
/** Each server is measured this many times, alternating, and its best run counts: the machine is shared. */
const ROUNDS = 2;
const TARGET_POINTS_PER_S = 100_000;
const MEMORY_POINTS = 1_000_000;
const MEMORY_SERIES = 1_000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

type Role = 'gateway-memory' | 'gateway-redis' | 'baseline' | 'memory';

/**
 * Distinct bodies (values vary), serialised once so the client does little work. Like the
 * 254Carbon clients, they carry no timestamp: the collector stamps each point on arrival.
 */
function bodies(count: number): string[] {
  return Array.from({ length: count }, (_, b) =>
    JSON.stringify(
      Array.from({ length: BATCH }, (_, i) => ({
        name: i % 2 === 0 ? 'bench_requests_total' : 'bench_queue_depth',
        type: i % 2 === 0 ? 'counter' : 'gauge',
        value: (b * 7 + i) % 50,
        labels: { shard: `s${i % SERIES_PER_BATCH}`, region: i % 3 === 0 ? 'eu' : 'us' },
        service: 'bench',
        tenant_id: 'acme',
      })),
    ),
  );
}

async function load(url: string): Promise<{ pointsPerSecond: number; requests: number; errors: number; latencyP50Ms: number }> {
  const pool = new Pool(url, { connections: CONNECTIONS, pipelining: 1, keepAliveTimeout: 30_000 });
  const payloads = bodies(64);
  let requests = 0;
  let errors = 0;
  let measuring = false;
  const latencies: number[] = [];
  let stop = false;
  const worker = async (w: number) => {
    let n = w;
    while (!stop) {
      const started = performance.now();
      try {
        const response = await pool.request({
          path: '/metrics/track/batch',
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: payloads[n++ % payloads.length]!,
        });
        const text = await response.body.text();
        if (response.statusCode !== 200 || !text.includes('"failed":0')) {
          errors++;
          if (errors === 1) console.error(`  first bad answer: ${response.statusCode} ${text.slice(0, 300)}`);
        }
      } catch (error) {
        errors++;
        if (errors === 1) console.error(`  first error: ${(error as Error).message}`);
      }
      if (measuring) {
        requests++;
        latencies.push(performance.now() - started);
      }
    }
  };
  const workers = Array.from({ length: CONNECTIONS }, (_, w) => worker(w));
  await sleep(WARMUP_MS);
  measuring = true;
  const started = performance.now();
  await sleep(DURATION_MS);
  measuring = false;
  const seconds = (performance.now() - started) / 1000;
  stop = true;
  await Promise.all(workers);
  await pool.close();
  latencies.sort((a, b) => a - b);
  return { pointsPerSecond: (requests * BATCH) / seconds, requests, errors, latencyP50Ms: latencies[Math.floor(latencies.length / 2)] ?? 0 };
}

// ---------------------------------------------------------------------------------------------
// Child processes

async function serveGateway(store: 'memory' | 'redis'): Promise<void> {
  const { validateConfig } = await import('../src/config/load.js');
  const { createGateway } = await import('../src/gateway.js');
  const prefix = `bench-${process.pid}:`;
  const config = validateConfig(
    {
      port: 0,
      host: '127.0.0.1',
      ...(store === 'redis' ? { redis: { url: REDIS_URL, keyPrefix: prefix } } : {}),
      sources: [{ id: 'native', kind: 'native', store }],
    },
    'bench',
    {},
  );
  const gateway = await createGateway(config, { log: pino({ level: 'silent' }) });
  process.send!({ url: gateway.url });
  process.on('message', async () => {
    await gateway.close();
    if (store === 'redis') await deleteKeys(REDIS_URL, prefix);
    process.exit(0);
  });
}

async function serveBaseline(): Promise<void> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const items = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown[];
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ success: true, total: items.length, successful: items.length, failed: 0 }));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.send!({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  process.on('message', () => server.close(() => process.exit(0)));
}

async function measureMemory(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const { MemoryNativeStore } = await import('../src/sources/native/memory-store.js');
  const now = Date.now();
  const perSeries = MEMORY_POINTS / MEMORY_SERIES;
  const settle = () => {
    gc();
    gc();
    const usage = process.memoryUsage();
    // Typed arrays live outside the V8 heap (arrayBuffers); count both.
    return usage.heapUsed + usage.arrayBuffers;
  };

  // Floor: the same numbers as two packed Float64Arrays.
  let before = settle();
  const floor = { timestamps: new Float64Array(MEMORY_POINTS), values: new Float64Array(MEMORY_POINTS) };
  for (let i = 0; i < MEMORY_POINTS; i++) {
    floor.timestamps[i] = now - MEMORY_POINTS + i;
    floor.values[i] = i % 100;
  }
  const floorBytes = settle() - before;

  before = settle();
  const store = new MemoryNativeStore({ sweepEveryMs: 0 });
  for (let p = 0; p < perSeries; p++) {
    for (let s = 0; s < MEMORY_SERIES; s++) {
      store.recordOne(
        { name: 'bench_latency', type: 'gauge', value: (p * 31 + s) % 100, timestamp: now - perSeries + p, labels: { shard: `s${s}`, service: 'bench' }, service: 'bench' },
        now,
      );
    }
  }
  const storeBytes = settle() - before;
  // Read the floor only now: had it died during the store's run, the store would look smaller.
  if (floor.timestamps.length !== MEMORY_POINTS) throw new Error('floor arrays changed');
  const stats = await store.stats(0);
  if (stats.points !== MEMORY_POINTS) throw new Error(`expected ${MEMORY_POINTS} points stored, got ${stats.points}`);
  await store.close();
  process.send!({ storeBytes, floorBytes }, () => process.exit(0));
}

// ---------------------------------------------------------------------------------------------
// Parent

interface Started { child: ChildProcess; url: string }

function start(role: Role): Promise<Started> {
  const child = fork(fileURLToPath(import.meta.url), [role], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { url: string }) => resolve({ child, url: message.url }));
    child.once('exit', (code) => reject(new Error(`${role} exited with ${code} before it was ready`)));
  });
}

async function stopChild(started: Started): Promise<void> {
  const exited = new Promise((resolve) => started.child.once('exit', resolve));
  started.child.send('stop');
  await exited;
}

async function measureRedisMemory(): Promise<number | undefined> {
  const { RedisNativeStore } = await import('../src/sources/native/redis-store.js');
  const prefix = `bench-mem-${process.pid}:`;
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0 });
  probe.on('error', () => {});
  try {
    await probe.connect();
  } catch {
    return undefined;
  }
  const used = async () => Number(/used_memory:(\d+)/.exec(await probe.info('memory'))![1]);
  const store = new RedisNativeStore({ url: REDIS_URL, sourceId: 'bench', keyPrefix: prefix, sweepEveryMs: 0, log: pino({ level: 'silent' }) });
  const before = await used();
  const now = Date.now();
  const perSeries = MEMORY_POINTS / MEMORY_SERIES;
  for (let p = 0; p < perSeries; p++) {
    const points = Array.from({ length: MEMORY_SERIES }, (_, s) => ({
      name: 'bench_latency',
      type: 'gauge' as const,
      value: (p * 31 + s) % 100,
      timestamp: now - perSeries + p,
      labels: { shard: `s${s}`, service: 'bench' },
      service: 'bench',
    }));
    await store.record(points, now);
  }
  const bytes = (await used()) - before;
  await store.close();
  await deleteKeys(REDIS_URL, prefix);
  probe.disconnect();
  return bytes;
}

async function main(): Promise<void> {
  const role = process.argv[2] as Role | undefined;
  if (role === 'gateway-memory') return serveGateway('memory');
  if (role === 'gateway-redis') return serveGateway('redis');
  if (role === 'baseline') return serveBaseline();
  if (role === 'memory') return measureMemory();

  console.log(
    `native collector ingest: ${BATCH}-point batches, ${CONNECTIONS} connections, ${DURATION_MS / 1000}s after ${WARMUP_MS / 1000}s warm-up, best of ${ROUNDS} alternating rounds`,
  );
  const rows: Array<[string, Awaited<ReturnType<typeof load>>]> = [];
  const roles: Array<[Role, string]> = [
    ['baseline', 'baseline: node:http + JSON.parse, discard'],
    ['gateway-memory', 'gateway, memory store'],
  ];
  if (await redisAnswers(REDIS_URL)) roles.push(['gateway-redis', 'gateway, redis store']);
  else console.log(`  (no Redis at ${REDIS_URL}: the redis store is skipped)`);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [which, label] of roles) {
      const server = await start(which);
      try {
        const result = await load(server.url);
        const row = rows.find(([name]) => name === label);
        if (!row) rows.push([label, result]);
        else if (result.pointsPerSecond > row[1].pointsPerSecond) row[1] = result;
      } finally {
        await stopChild(server);
      }
    }
  }
  const baseline = rows[0]![1].pointsPerSecond;
  for (const [label, result] of rows) {
    console.log(
      `  ${label.padEnd(44)} ${fmt(result.pointsPerSecond).padStart(10)} points/s  ${(result.pointsPerSecond / baseline).toFixed(2)}x baseline  p50 ${result.latencyP50Ms.toFixed(1)} ms  (${result.requests} requests, ${result.errors} errors)`,
    );
  }
  const memoryStore = rows.find(([label]) => label === 'gateway, memory store')![1].pointsPerSecond;
  console.log(`  target >= ${fmt(TARGET_POINTS_PER_S)} points/s for the memory store: ${memoryStore >= TARGET_POINTS_PER_S ? 'met' : 'MISSED'}`);

  const memory = fork(fileURLToPath(import.meta.url), ['memory'], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { storeBytes, floorBytes } = await new Promise<{ storeBytes: number; floorBytes: number }>((resolve, reject) => {
    memory.once('message', resolve);
    memory.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`memory child exited with ${code}`))));
  });
  console.log(`memory for ${fmt(MEMORY_POINTS)} points (${fmt(MEMORY_SERIES)} series x ${fmt(MEMORY_POINTS / MEMORY_SERIES)}):`);
  console.log(`  floor: two Float64Arrays                     ${mib(floorBytes)}  (${(floorBytes / MEMORY_POINTS).toFixed(1)} bytes/point)`);
  console.log(`  memory store (V8 heap growth after GC)       ${mib(storeBytes)}  (${(storeBytes / MEMORY_POINTS).toFixed(1)} bytes/point, ${(storeBytes / floorBytes).toFixed(2)}x floor)`);
  const redisBytes = await measureRedisMemory();
  if (redisBytes !== undefined) {
    console.log(`  redis store (Redis used_memory growth)       ${mib(redisBytes)}  (${(redisBytes / MEMORY_POINTS).toFixed(1)} bytes/point, ${(redisBytes / floorBytes).toFixed(2)}x floor)`);
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1).padStart(7)} MiB`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
