/**
 * What merging and bounded fan-out buy against a Darktrace appliance, measured against baselines
 * in the same run. The emulator answers every request after 25 ms, as a loaded appliance across a
 * WAN might; the gateway caches nothing, so every field reaches it.
 *
 * 1. A dashboard of 8 panels (8 metrics, one window): one request with 8 aliased metricData fields
 *    (merged into one metric1..8 call) against 8 separate requests sent at once (8 calls).
 * 2. A 12-device fan-out with `concurrency: 4` against the same with `concurrency: 1`.
 *
 * Time is the median of 15 runs after 2 warm-ups. Usage: npx tsx bench/darktrace-batching.ts
 */
import { pino } from 'pino';
import { validateConfig } from '../src/config/load.js';
import { DarktraceEmulator, EMULATOR_TOKENS } from '../src/emulators/darktrace/emulator.js';
import { createGateway, type Gateway } from '../src/gateway.js';

const RUNS = 15;
const WARMUPS = 2;
const METRICS = ['connections', 'externalconnections', 'internalconnections', 'activeconnections', 'datatransfervolume', 'dnsrequests', 'failedconnections', 'anomalyscore'];
const hour = 3_600_000;
const to = Math.floor(Date.now() / hour) * hour;
const from = to - 24 * hour;

const emulator = await DarktraceEmulator.start({ settings: { delayMs: 25 } });

async function gateway(concurrency: number): Promise<Gateway> {
  const config = validateConfig(
    { port: 0, host: '127.0.0.1', sources: [{ id: 'dt', kind: 'darktrace', url: emulator.url, ...EMULATOR_TOKENS, verifyTls: false, cacheTtl: false, concurrency }] },
    'bench',
    {},
  );
  return createGateway(config, { log: pino({ level: 'silent' }) });
}

async function post(target: Gateway, query: string): Promise<void> {
  const response = await fetch(`${target.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { errors?: unknown[] };
  if (body.errors) throw new Error(`query failed: ${JSON.stringify(body.errors)}`);
}

async function measure(run: () => Promise<void>): Promise<{ ms: number; calls: number }> {
  for (let i = 0; i < WARMUPS; i++) await run();
  const times: number[] = [];
  emulator.reset();
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(RUNS / 2)]!, calls: emulator.count('/metricdata') / RUNS };
}

const field = (metric: string, extra = '') => `metricData(source: "dt", metric: "${metric}", from: ${from}, to: ${to}, interval: "1h"${extra}) { values }`;

const wide = await gateway(4);
const narrow = await gateway(1);
await post(wide, '{ metrics(source: "dt") { name } }');
await post(narrow, '{ metrics(source: "dt") { name } }');

const merged = await measure(() => post(wide, `{ ${METRICS.map((metric, i) => `f${i}: ${field(metric)}`).join('\n')} }`));
const separate = await measure(async () => {
  await Promise.all(METRICS.map((metric) => post(wide, `{ ${field(metric)} }`)));
});

const devices = emulator.devices.map((device) => `"${device.did}"`).join(', ');
const fanOut = `{ ${field('connections', `, darktrace: { devices: [${devices}] }`)} }`;
const parallel = await measure(() => post(wide, fanOut));
const serial = await measure(() => post(narrow, fanOut));

const line = (name: string, result: { ms: number; calls: number }) => `${name.padEnd(44)} ${result.ms.toFixed(1).padStart(7)} ms  ${result.calls.toFixed(0).padStart(3)} upstream calls`;
console.log(line('8 panels, one request (merged)', merged));
console.log(line('8 panels, 8 requests (baseline)', separate));
console.log(`  upstream calls: ${(separate.calls / merged.calls).toFixed(1)}x fewer; time ratio merged/baseline ${(merged.ms / separate.ms).toFixed(2)}`);
console.log(line(`${emulator.devices.length} devices, concurrency 4`, parallel));
console.log(line(`${emulator.devices.length} devices, concurrency 1 (baseline)`, serial));
console.log(`  time ratio concurrency 4 / concurrency 1: ${(parallel.ms / serial.ms).toFixed(2)}`);

await wide.close();
await narrow.close();
await emulator.close();
