/**
 * Before and after, for a change to the uncached path: the committed code at AB_BASE (default
 * HEAD) against the working tree, both builds in one process taking turns (load/ab-driver.ts).
 * The full load bench cannot show a change of a few per cent: the machine's speed drifts that
 * much from one minute to the next. Here each round pairs the two builds within seconds of each
 * other, and the ratio printed is the median over the rounds.
 *
 * Calibrate first: with the working tree equal to AB_BASE, the ratio is the noise. Two builds of
 * the same code are separate module graphs and read 1.000–1.050 on this machine: differences
 * under about 5 % are not real.
 *
 * Usage: AB_BASE=HEAD~1 npm run bench -- ab-uncached   (AB_ROUNDS=14, AB_N=3000 requests a turn)
 *
 * The same code under two configurations: AB_CONFIG_A / AB_CONFIG_B hold config keys for one build,
 * e.g. `AB_CONFIG_A='{"upstreamThread":false}'`; with `taskset -c 0` in front, on one core.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTree } from './load/compile.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const base = process.env.AB_BASE ?? 'HEAD';
const commit = execFileSync('git', ['rev-parse', '--short', base], { cwd: ROOT, encoding: 'utf8' }).trim();

// The base commit's tree, as files (src/, bench/load/, schema/), compiled like the working tree.
const checkout = mkdtempSync(join(tmpdir(), 'ab-base-'));
execFileSync('sh', ['-c', `git archive ${commit} src bench/load schema | tar -x -C ${checkout}`], { cwd: ROOT });
const baseBuilt = await compileTree(checkout, 'ab-base');
const headBuilt = await compileTree(ROOT, 'ab-head');
const dirOf = (built: (file: string) => string) => built('src/gateway.ts').replace(/\/src\/gateway\.js$/, '');

console.log(`A: ${commit} (${base}); B: the working tree. ${process.env.AB_ROUNDS ?? 14} rounds of ${process.env.AB_N ?? 3000} requests a turn.`);
const driver = spawnSync(process.execPath, [headBuilt('bench/load/ab-driver.ts'), dirOf(baseBuilt), dirOf(headBuilt)], {
  env: { ...process.env, NODE_ENV: 'production' },
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
rmSync(checkout, { recursive: true, force: true });
if (driver.status !== 0) {
  console.error(driver.stdout);
  process.exit(1);
}
const rounds = JSON.parse(driver.stdout.trim().split('\n').pop()!) as Record<'a' | 'b', Array<{ cpu: number; main: number }>>;
const sorted = (values: number[]) => [...values].sort((x, y) => x - y);
const median = (values: number[]) => sorted(values)[values.length >> 1]!;
const quantile = (values: number[], q: number) => sorted(values)[Math.floor((values.length - 1) * q)]!;

for (const [figure, label] of [['cpu', 'CPU µs per request (every thread)'], ['main', 'main thread busy µs per request']] as const) {
  const a = rounds.a.map((round) => round[figure]);
  const b = rounds.b.map((round) => round[figure]);
  const ratios = a.map((value, i) => b[i]! / value);
  console.log(`\n| build | ${label}, median | rounds |`);
  console.log('| --- | ---: | --- |');
  console.log(`| A ${commit} | ${median(a).toFixed(0)} | ${a.map((value) => value.toFixed(0)).join(' ')} |`);
  console.log(`| B working tree | ${median(b).toFixed(0)} | ${b.map((value) => value.toFixed(0)).join(' ')} |`);
  console.log(`\nB/A: median ${median(ratios).toFixed(3)} (quartiles ${quantile(ratios, 0.25).toFixed(3)}–${quantile(ratios, 0.75).toFixed(3)})`);
}
