import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DarktraceEmulator, EMULATOR_TOKENS } from '../../src/emulators/darktrace/emulator.js';
import type { Gateway } from '../../src/gateway.js';
import { deleteKeys, uniquePrefix } from '../helpers/collector.js';
import { EMULATOR_CA_FILE, hoursAgo } from '../helpers/darktrace.js';
import { gql, startGateway } from '../helpers/gateway.js';
import { freePort } from '../helpers/redis.js';

/**
 * Two gateway instances behind one real Redis, as docker-compose runs them: a query both are
 * asked at once goes to the vendor once, not once per instance. The appliance takes 300 ms per
 * answer, so every request below overlaps the first one's call.
 */
let emulator: DarktraceEmulator;
let prefix: string;
let a: Gateway;
let b: Gateway;
let device = 0;

const source = (url: string) => ({ id: 'dt', kind: 'darktrace', url, ...EMULATOR_TOKENS, caFile: EMULATOR_CA_FILE, cacheTtl: { open: '1m', closed: '1h' } }) as never;
/** A query no earlier test asked (a device of its own), so each test starts with a cold key. */
function freshQuery(): string {
  const did = emulator.devices[device++]!.did;
  return `{ metricData(source: "dt", metric: "connections", from: ${hoursAgo(6)}, to: ${hoursAgo(1)}, interval: "1h", darktrace: { devices: ["${did}"] }) { values } }`;
}

/**
 * Resolves once the appliance has the first instance's call: its claim on the key is in Redis by
 * then (it claims before it asks), so the second instance is sure to find it, however busy the
 * machine. Waiting a fixed 50 ms instead raced the first request on a loaded CI machine.
 */
async function upstreamAsked(before: number): Promise<void> {
  while (emulator.count('/metricdata') === before) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * The shared Redis, with room for a busy CI machine: at the default 100 ms a slow command counts
 * as Redis trouble, the instance leaves Redis alone for a backoff and asks the vendor itself (by
 * design), which is not what these tests are about.
 */
const sharedRedis = () => ({ url: inject('redisUrl'), keyPrefix: prefix, commandTimeoutMs: 2000 });

beforeAll(async () => {
  emulator = await DarktraceEmulator.start({ settings: { delayMs: 300 } });
  prefix = uniquePrefix('flight');
  const config = { redis: sharedRedis(), cache: { responses: false as const }, sources: [source(emulator.url)] };
  [a, b] = await Promise.all([startGateway(config), startGateway(config)]);
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await emulator?.close();
  await deleteKeys(inject('redisUrl'), prefix);
});

describe('single flight across instances sharing Redis', () => {
  it('sends one upstream call for a query both instances are asked at once', async () => {
    const query = freshQuery();
    const before = emulator.count('/metricdata');
    const answers = await Promise.all([...Array.from({ length: 6 }, () => gql(a, query)), ...Array.from({ length: 6 }, () => gql(b, query))]);
    expect(answers[0]!.errors).toBeUndefined();
    expect(answers[0]!.data!.metricData[0].values).toHaveLength(5);
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(emulator.count('/metricdata') - before).toBe(1);
  });

  it('waits for a holder whose vendor call outlasts the claim lease: the holder renews it in Redis', async () => {
    // The appliance takes 2.5 s this once; a claim lasts 1 s unless renewed (every 500 ms).
    const config = { redis: sharedRedis(), cache: { responses: false as const, claimLease: '1s' }, sources: [source(emulator.url)] };
    const [c, d] = await Promise.all([startGateway(config), startGateway(config)]);
    try {
      const query = freshQuery();
      const before = emulator.count('/metricdata');
      emulator.inject({ latencyMs: 2200, match: (request) => request.url.pathname === '/metricdata' });
      const first = gql(c, query);
      await upstreamAsked(before);
      const second = await gql(d, query);
      expect((await first).errors).toBeUndefined();
      expect(second).toEqual(await first);
      expect(emulator.count('/metricdata') - before).toBe(1);
    } finally {
      await Promise.all([c.close(), d.close()]);
    }
  });

  it('lets the waiting instance ask itself when the one holding the key fails', async () => {
    const query = freshQuery();
    const before = emulator.count('/metricdata');
    // The first call fails (a 400 is not retried); the other instance, waiting on it, then asks and gets the answer.
    emulator.inject({ status: 400, body: { error: 'INPUT ERROR' }, latencyMs: 300, match: (request) => request.url.pathname === '/metricdata' });
    const first = gql(a, query);
    await upstreamAsked(before);
    const second = await gql(b, query);
    expect((await first).errors?.[0]?.extensions?.code).toBeDefined();
    expect(second.errors).toBeUndefined();
    expect(second.data!.metricData[0].values).toHaveLength(5);
    expect(emulator.count('/metricdata') - before).toBe(2);
  });

  it('asks from every instance, never waits, when Redis cannot be reached', async () => {
    const port = await freePort();
    const emulatorFast = await DarktraceEmulator.start({ settings: { delayMs: 100 } });
    const config = { redis: { url: `redis://127.0.0.1:${port}`, keyPrefix: prefix }, cache: { responses: false as const }, sources: [source(emulatorFast.url)] };
    const [c, d] = await Promise.all([startGateway(config), startGateway(config)]);
    try {
      const query = `{ metricData(source: "dt", metric: "connections", from: ${hoursAgo(6)}, to: ${hoursAgo(1)}, interval: "1h", darktrace: { devices: ["${emulatorFast.devices[0]!.did}"] }) { values } }`;
      const started = Date.now();
      const answers = await Promise.all([gql(c, query), gql(d, query)]);
      expect(answers.every((answer) => answer.errors === undefined)).toBe(true);
      expect(emulatorFast.count('/metricdata')).toBe(2);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await Promise.all([c.close(), d.close()]);
      await emulatorFast.close();
    }
  });
});
