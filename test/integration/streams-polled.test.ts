import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-sse';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { DarktraceEmulator, EMULATOR_TOKENS } from '../../src/emulators/darktrace/emulator.js';
import type { Gateway } from '../../src/gateway.js';
import { EMULATOR_CA_FILE } from '../helpers/darktrace.js';
import { startGateway } from '../helpers/gateway.js';
import { collect, sleep } from '../helpers/streams.js';

const INTERVAL_MS = 300;
const STREAM = `subscription { metricStream(source: "dt", metric: "connections", interval: "${INTERVAL_MS}ms", backfill: "10m") {
  backfill series { metric timestamps values }
} }`;

type Event = { data?: { metricStream: { backfill: boolean; series: unknown[] } } | null; errors?: Array<{ extensions?: Record<string, unknown> }> };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function emulator(): Promise<DarktraceEmulator> {
  const started = await DarktraceEmulator.start();
  cleanups.push(() => started.close());
  return started;
}

async function gateway(emulatorUrl: string, extra: Record<string, unknown> = {}): Promise<Gateway> {
  const started = await startGateway({
    ...extra,
    sources: [{ id: 'dt', kind: 'darktrace', url: emulatorUrl, ...EMULATOR_TOKENS, caFile: EMULATOR_CA_FILE, cacheTtl: false, retries: 0, minPollInterval: '100ms' } as never],
  });
  cleanups.push(() => started.close());
  return started;
}

function subscribe(target: Gateway) {
  const client = createClient({ url: `${target.url}/graphql`, retryAttempts: 0 });
  const iterator = client.iterate({ query: STREAM })[Symbol.asyncIterator]() as AsyncIterator<Event>;
  cleanups.push(async () => {
    await iterator.return?.();
    client.dispose();
  });
  return iterator;
}

describe('polled streams', () => {
  it('polls once per channel however many subscribers follow it', async () => {
    const dt = await emulator();
    const target = await gateway(dt.url);
    const started = Date.now();
    const iterators = Array.from({ length: 25 }, () => subscribe(target));
    const firsts = await Promise.all(iterators.map((iterator) => collect(iterator, (events) => events.length >= 1)));
    for (const [first] of firsts) expect(first!.data!.metricStream.backfill).toBe(true);
    await sleep(5 * INTERVAL_MS);
    const elapsed = Date.now() - started;
    // One prime plus one poll per interval: the same as a single subscriber would cost.
    expect(dt.count('/metricdata')).toBeLessThanOrEqual(2 + Math.ceil(elapsed / INTERVAL_MS));
    expect(dt.count('/metricdata')).toBeGreaterThanOrEqual(3);
  });

  it('refuses an interval below the source minimum', async () => {
    const dt = await emulator();
    const target = await gateway(dt.url);
    const client = createClient({ url: `${target.url}/graphql`, retryAttempts: 0 });
    cleanups.push(async () => client.dispose());
    const iterator = client.iterate({ query: STREAM.replace(`${INTERVAL_MS}ms`, '10ms') })[Symbol.asyncIterator]() as AsyncIterator<Event>;
    const [event] = await collect(iterator, (events) => events.length >= 1);
    expect(JSON.stringify(event)).toMatch(/interval must be at least 100ms for source 'dt' \(it is polled\); got 10ms/);
  });

  it('reports an upstream failure as an error event and keeps polling until it recovers', async () => {
    const dt = await emulator();
    const target = await gateway(dt.url);
    const iterator = subscribe(target);
    await collect(iterator, (events) => events.length >= 1);
    dt.inject({ status: 503, times: 2, match: (request) => request.url.pathname === '/metricdata' });
    const [failure] = await collect(iterator, (events) => events.length >= 1);
    expect(failure!.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'dt', upstreamStatus: 503 });
    const afterFailure = dt.count('/metricdata');
    await sleep(4 * INTERVAL_MS);
    // The faults are used up and polling went on: the stream is alive, not completed.
    expect(dt.count('/metricdata')).toBeGreaterThan(afterFailure + 1);
    const pending = iterator.next();
    const state = await Promise.race([pending.then(() => 'event'), sleep(50).then(() => 'waiting')]);
    expect(state).toBe('waiting');
  });

  it('shares one poller between two gateway instances on one Redis, and hands over when the poller dies', async () => {
    const dt = await emulator();
    const redis = { redis: { url: inject('redisUrl'), keyPrefix: `test:${randomUUID()}:` } };
    const a = await gateway(dt.url, redis);
    const b = await gateway(dt.url, redis);
    const onA = subscribe(a);
    const onB = subscribe(b);
    const [[fromA], [fromB]] = await Promise.all([collect(onA, (e) => e.length >= 1), collect(onB, (e) => e.length >= 1)]);
    expect(fromA!.data!.metricStream.series).toEqual(fromB!.data!.metricStream.series);

    dt.reset();
    await sleep(6 * INTERVAL_MS);
    const shared = dt.count('/metricdata');
    // Two instances polling on their own would make about 12 calls in six intervals.
    expect(shared).toBeGreaterThanOrEqual(4);
    expect(shared).toBeLessThanOrEqual(8);

    // Stop both instances' claim in turn: whichever polled, the other takes over within two intervals.
    await onA.return?.();
    await a.close();
    dt.reset();
    await sleep(3 * INTERVAL_MS);
    expect(dt.count('/metricdata')).toBeGreaterThanOrEqual(1);
  });
});
