/**
 * What sharing single flight through Redis buys when gateway instances run side by side (as
 * docker-compose runs two): how many upstream calls the same dashboard load costs, against one
 * instance measured in the same run. The Darktrace appliance takes 100 ms per answer and answers
 * live 1 s, so every key expires about every 1.1 s while requests keep coming.
 *
 * 1. One instance, memory store: the baseline, one call per key per expiry.
 * 2. Two instances, each with its own memory store: what two instances cost without sharing.
 * 3. Two instances sharing one Redis: the instance that misses first claims the key; the other
 *    reads its answer from Redis.
 *
 * Each drives 4 queries with 50 concurrent loops in all (split between the instances) for 8 s.
 * Needs Redis (REDIS_URL, default redis://127.0.0.1:6379); without it, row 3 is skipped.
 * Usage: npm run bench -- shared-flight
 */
import { pino } from 'pino';
import { validateConfig } from '../src/config/load.js';
import { DarktraceEmulator, EMULATOR_TOKENS } from '../src/emulators/darktrace/emulator.js';
import { createGateway, type Gateway } from '../src/gateway.js';
// The tests' Redis helpers: one way to probe Redis and to clear a prefix.
import { deleteKeys } from '../test/helpers/collector.js';
import { redisAnswers } from '../test/helpers/redis.js';

const DURATION_MS = Number(process.env.BENCH_DURATION_S ?? 8) * 1000;
const LOOPS = 50;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const hour = 3_600_000;
const to = Math.floor(Date.now() / hour) * hour - hour;

const emulator = await DarktraceEmulator.start({ settings: { delayMs: 100 } });
const queries = ['connections', 'externalconnections', 'dnsrequests', 'failedconnections'].map((metric, i) =>
  JSON.stringify({ query: `{ metricData(source: "dt", metric: "${metric}", from: ${to - 6 * hour}, to: ${to}, interval: "1h", darktrace: { devices: ["${emulator.devices[i]!.did}"] }) { values } }` }),
);

async function gateway(redisPrefix?: string): Promise<Gateway> {
  const config = validateConfig(
    {
      port: 0,
      host: '127.0.0.1',
      limits: { rateLimit: false },
      cache: { responses: false },
      ...(redisPrefix ? { redis: { url: REDIS_URL, keyPrefix: redisPrefix } } : {}),
      sources: [{ id: 'dt', kind: 'darktrace', url: emulator.url, ...EMULATOR_TOKENS, verifyTls: false, cacheTtl: { open: '1s', closed: '1s' } }],
    },
    'bench',
    {},
  );
  return createGateway(config, { log: pino({ level: 'silent' }) });
}

/** Drives the instances with LOOPS loops in all for DURATION_MS; upstream calls and client requests. */
async function drive(instances: Gateway[]): Promise<{ calls: number; requests: number; failed: number }> {
  emulator.reset();
  const until = Date.now() + DURATION_MS;
  let requests = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: LOOPS }, async (_, loop) => {
      const target = instances[loop % instances.length]!;
      for (let i = loop; Date.now() < until; i++) {
        const response = await fetch(`${target.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: queries[i % queries.length] });
        const body = (await response.json()) as { errors?: unknown[] };
        requests++;
        if (body.errors) failed++;
      }
    }),
  );
  return { calls: emulator.count('/metricdata'), requests, failed };
}

const rows: Array<{ name: string; calls: number; requests: number; failed: number }> = [];
async function run(name: string, instances: Gateway[]): Promise<void> {
  // A first round warms the code and the descriptor list; only the second is counted.
  for (const query of queries) for (const instance of instances) await fetch(`${instance.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: query });
  rows.push({ name, ...(await drive(instances)) });
  await Promise.all(instances.map((instance) => instance.close()));
}

await run('1. one instance, memory store (baseline)', [await gateway()]);
await run('2. two instances, a memory store each', [await gateway(), await gateway()]);
const prefix = `bench-flight-${process.pid}-${Date.now().toString(36)}:`;
if (await redisAnswers(REDIS_URL)) {
  await run('3. two instances sharing Redis', [await gateway(prefix), await gateway(prefix)]);
  await deleteKeys(REDIS_URL, prefix);
} else {
  console.log(`(no Redis at ${REDIS_URL}: row 3 skipped)`);
}
await emulator.close();

const baseline = rows[0]!;
console.log(`\nshared flight: ${queries.length} queries, ${LOOPS} loops, ${DURATION_MS / 1000} s, answers live 1 s, the appliance takes 100 ms; Node ${process.version}\n`);
console.log('| run | client requests | upstream calls | calls per query per second | x baseline | failed |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) {
  const perQuerySecond = row.calls / queries.length / (DURATION_MS / 1000);
  console.log(`| ${row.name} | ${row.requests} | ${row.calls} | ${perQuerySecond.toFixed(2)} | ${(row.calls / baseline.calls).toFixed(2)} | ${row.failed} |`);
}
