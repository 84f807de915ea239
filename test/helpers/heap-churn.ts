/**
 * A child process for test/integration/heap-growth.test.ts: calls limitHeapGrowth when asked, then
 * makes garbage the way a loaded gateway does (objects that live through a few young-generation
 * collections, get promoted and then die) over a small live set, and prints the largest heap it saw.
 */
import { getHeapStatistics } from 'node:v8';
import { limitHeapGrowth } from '../../src/heap-growth.js';

if (process.argv[2] === 'limit') limitHeapGrowth();

const live = Array.from({ length: 100_000 }, (_, i) => ({ i, name: `series-${i}`, points: [i, i + 1] }));
// Each slot is overwritten 150,000 allocations later: long enough to be promoted, then garbage.
const inFlight: unknown[] = new Array(150_000);
let peak = 0;
for (let n = 0; n < 3_000_000; n++) {
  inFlight[n % inFlight.length] = { n, values: new Array(20).fill(n), label: String(n) };
  if (n % 10_000 === 0) peak = Math.max(peak, getHeapStatistics().used_heap_size);
}
process.stdout.write(`${JSON.stringify({ peakMb: peak / 1024 / 1024, live: live.length })}\n`);
