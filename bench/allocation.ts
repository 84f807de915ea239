/**
 * Allocation at scale: one amount split across 100,000 segments over 31 days, per day (31 splits)
 * and in total (one split), in exact minor units. Printed beside the baseline the issue names:
 * the time to merely get the same usage out of the cache (parsing the cached aggregate answer,
 * 100,000 groups x 31 daily buckets), measured in the same run.
 *
 * Usage: npm run bench -- allocation
 */
import { performance } from 'node:perf_hooks';
import { allocate, type AllocationPlan } from '../src/core/allocation.js';
import { seededRandom } from '../src/core/seeded-random.js';

const SEGMENTS = 100_000;
const DAYS = 31;
const DAY = 86_400_000;
const FIRST_DAY = Date.UTC(2026, 9, 1);

const random = seededRandom(31);
const days = Array.from({ length: DAYS }, (_, i) => FIRST_DAY + i * DAY);
const segments = Array.from({ length: SEGMENTS }, (_, i) => `customer-${String(i).padStart(6, '0')}`);

// What the cache holds for the usage query: one aggregate group per segment with daily buckets.
const cached = JSON.stringify(
  segments.map((segment) => ({
    labels: { customer_id: segment },
    buckets: { timestamps: days, values: days.map(() => Math.floor(random() * 100_000)) },
  })),
);

function fetchUsage(): Map<string, Map<number, number>> {
  const groups = JSON.parse(cached) as Array<{ labels: { customer_id: string }; buckets: { timestamps: number[]; values: number[] } }>;
  const usage = new Map<string, Map<number, number>>();
  for (const group of groups) {
    usage.set(group.labels.customer_id, new Map(group.buckets.timestamps.map((day, i) => [day, group.buckets.values[i]!])));
  }
  return usage;
}

function time<T>(run: () => T): { ms: number; value: T } {
  const started = performance.now();
  const value = run();
  return { ms: performance.now() - started, value };
}

// Warm both paths once so the JIT has seen them.
fetchUsage();
const usage = fetchUsage();
const base: Omit<AllocationPlan, 'per'> = { units: 10_000_00n, days, usage, segments, strategy: 'proportional_on' };
allocate({ ...base, per: 'total' });

const fetched = time(fetchUsage);
const total = time(() => allocate({ ...base, per: 'total' }));
const perDay = time(() => allocate({ ...base, per: 'day' }));
const weighted = time(() => allocate({ ...base, per: 'day', strategy: 'weighted_average', windowDays: 7 }));

const check = (result: ReturnType<typeof allocate>, expected: bigint) => result.shares.reduce((sum, row) => sum + row.units, 0n) === expected;
const rows = [
  { step: `fetch usage from cache (baseline): ${(cached.length / 1e6).toFixed(1)} MB of JSON`, ms: fetched.ms, exact: '-' },
  { step: 'allocate TOTAL (one split)', ms: total.ms, exact: check(total.value, base.units) },
  { step: `allocate per DAY (${DAYS} splits)`, ms: perDay.ms, exact: check(perDay.value, base.units * BigInt(DAYS)) },
  { step: `WEIGHTED_AVERAGE per DAY, 7-day window`, ms: weighted.ms, exact: check(weighted.value, base.units * BigInt(DAYS)) },
];
console.log(`\n${SEGMENTS.toLocaleString('en')} segments x ${DAYS} days, $10,000.00 (target: answer within 2 s)`);
console.table(rows.map((row) => ({ step: row.step, ms: Math.round(row.ms), 'x baseline': (row.ms / fetched.ms).toFixed(2), 'sums exactly': row.exact })));
if (rows.some((row) => row.exact === false)) {
  console.error('FAIL: some split does not add up to its amount');
  process.exitCode = 1;
}
