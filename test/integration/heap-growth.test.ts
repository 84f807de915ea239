import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/process.js';

const run = promisify(execFile);

/** The largest heap the churn reached in a process of its own, with the given node flags. */
async function peakHeapMb(nodeFlags: string[], mode: 'limit' | 'default'): Promise<number> {
  const { stdout } = await run(process.execPath, [...nodeFlags, '--import', 'tsx', 'test/helpers/heap-churn.ts', mode], { cwd: ROOT });
  return (JSON.parse(stdout.trim()) as { peakMb: number }).peakMb;
}

describe('limitHeapGrowth (src/main.ts calls it at start)', () => {
  it('keeps promoted garbage from swelling the heap to several times what is live', async () => {
    const [unlimited, limited] = await Promise.all([peakHeapMb([], 'default'), peakHeapMb([], 'limit')]);
    // About 370 MB against 155 MB on this machine kind; the margin leaves room for GC timing.
    expect(limited).toBeLessThan(unlimited * 0.7);
  }, 60_000);

  it('leaves a growth factor given to node on the command line alone', async () => {
    const [given, limited] = await Promise.all([peakHeapMb(['--heap-growing-percent=300'], 'limit'), peakHeapMb([], 'limit')]);
    expect(given).toBeGreaterThan(limited / 0.7);
  }, 60_000);
});
