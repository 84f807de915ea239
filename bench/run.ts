/**
 * Runs benchmarks, each in a process of its own (with --expose-gc, for the ones that measure
 * memory), one after the other so they do not compete for the two cores.
 *
 * Usage: npm run bench                 the gateway under load (gateway-load.ts: issue 11's suite)
 *        npm run bench -- all          every bench/*.ts
 *        npm run bench -- native-ingest just the ones named
 *        npm run bench -- abuse        issue 21's abuse corpus: worst stall and peak RSS next to an idle baseline
 * Helpers the benchmarks start live in bench/load/ and are not benchmarks themselves.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts')
  .map((file) => basename(file, '.ts'))
  .sort();
const DEFAULT = ['gateway-load'];
const args = process.argv.slice(2).map((arg) => basename(arg, '.ts'));
const wanted = args.length === 0 ? DEFAULT : args.includes('all') ? available : args;
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; there are ${available.join(', ')} (or all)`);
  process.exit(2);
}

let failed = 0;
for (const name of wanted) {
  console.log(`\n== bench/${name}.ts`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(here, `${name}.ts`)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
