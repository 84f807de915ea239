/**
 * What one point costs, to size limits.demand (docs/demand-control.md): a real gateway (native
 * source, memory store) answers `metricData` resampled at 1s so that the answer holds N points,
 * asked as `points { timestamp value }` (the costliest shape: an object and an ISO time per point)
 * and as columnar `values`. For each N it prints the CPU time of the process (server and client), the answer's size and
 * points per second, next to a baseline measured in the same run: JSON.stringify of N plain
 * `{ timestamp, value }` objects with ISO times, the least any server must spend to send them.
 * The budgets are lifted to the backstop here so that the sizes above the defaults can be seen.
 *
 * Usage: npx tsx bench/demand.ts
 */
import { pino } from 'pino';
import { validateConfig } from '../src/config/load.js';
import { createGateway } from '../src/gateway.js';
import { POINTS_BACKSTOP } from '../src/core/points.js';

const SIZES = (process.env.BENCH_SIZES ?? "50000,100000,250000").split(",").map(Number);
const RUNS = 3;

const config = validateConfig(
  {
    port: 0,
    host: '127.0.0.1',
    sources: [{ id: 'native', kind: 'native' }],
    limits: { demand: { maxPointsPerField: POINTS_BACKSTOP, maxPointsPerRequest: POINTS_BACKSTOP } },
  },
  'bench',
  {},
);
const gateway = await createGateway(config, { log: pino({ level: 'silent' }) });
await fetch(`${gateway.url}/metrics/track`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ name: 'bench_gauge', value: 1 }),
});

async function timed(query: string): Promise<{ ms: number; bytes: number }> {
  const started = process.cpuUsage();
  const response = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const text = await response.text();
  const ms = cpuMs(started);
  if (!text.includes('"cost"')) throw new Error(`unexpected answer: ${text.slice(0, 300)}`);
  return { ms, bytes: Buffer.byteLength(text) };
}

function baseline(points: number): { ms: number; bytes: number } {
  const start = Date.now() - points * 1000;
  const started = process.cpuUsage();
  const objects = new Array(points);
  for (let i = 0; i < points; i++) objects[i] = { timestamp: new Date(start + i * 1000).toISOString(), value: i % 7 === 0 ? 1 : null };
  const text = JSON.stringify({ data: { metricData: [{ points: objects }] } });
  return { ms: cpuMs(started), bytes: Buffer.byteLength(text) };
}

/** CPU time (user + system) of this process since `started`: less at the mercy of a busy machine than wall time. */
function cpuMs(started: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

function row(label: string, shape: string, run: { ms: number; bytes: number }, points: number, baseMs: number): void {
  const cells = [run.ms.toFixed(0).padStart(6), mb(run.bytes).padStart(6), (run.bytes / points).toFixed(0).padStart(8)];
  cells.push(Math.round(points / (run.ms / 1000)).toString().padStart(9), (run.ms / baseMs).toFixed(1).padStart(9));
  console.log(`${label.padEnd(10)} ${shape.padEnd(24)} ${cells.join('  ')}`);
}

console.log('points     shape                    CPU ms      MB  bytes/pt   points/s  x baseline');
for (const points of SIZES) {
  const base = { ms: median(Array.from({ length: RUNS }, () => baseline(points).ms)), bytes: baseline(points).bytes };
  row(String(points), 'baseline stringify', base, points, base.ms);
  // N buckets of 1s ending now: the interval and the range name the answer's size exactly.
  for (const [shape, selection] of [['points {timestamp value}', 'points { timestamp value }'], ['values (columnar)', 'values']] as const) {
    const query = `{ metricData(source: "native", metric: "bench_gauge", from: "now-${points - 1}s", interval: "1s") { ${selection} } }`;
    await timed(query);
    const runs: Array<{ ms: number; bytes: number }> = [];
    for (let i = 0; i < RUNS; i++) runs.push(await timed(query));
    const ms = median(runs.map((run) => run.ms));
    const bytes = runs[0]!.bytes;
    row('', shape, { ms, bytes }, points, base.ms);
  }
}
console.log(`peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB`);
await gateway.close();
