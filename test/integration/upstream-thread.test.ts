import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { createGateway } from '../../src/gateway.js';
import { UpstreamClient } from '../../src/sources/http/client.js';
import { UpstreamThread } from '../../src/sources/http/upstream-thread.js';
import { parseMetricData } from '../../src/sources/darktrace/response.js';
import { THREAD_DECODERS } from '../../src/sources/thread-decoders.js';
import { gql, startGateway } from '../helpers/gateway.js';
import { EMULATOR_TOKENS } from '../../src/emulators/darktrace/emulator.js';
import { EMULATOR_CA_FILE, hoursAgo, startDarktraceRig } from '../helpers/darktrace.js';

/**
 * What only the upstream thread can get wrong: failures and aborts crossing between threads, the
 * thread dying under a call, and a shutdown with calls still in flight.
 */
let server: Server;
let base: string;
/** Requests to /stall still open on the upstream's side. */
let stalledOpen = 0;
const log = pino({ level: 'silent' });
const METRIC_DATA = [
  {
    metric: 'connections',
    data: [
      { time: '2026-12-06 10:00:00', timems: 1796551200000, size: 7, in: 3, out: 4 },
      { time: '2026-12-06 11:00:00', timems: 1796554800000, size: 9, in: 5, out: 4 },
    ],
  },
];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://upstream');
    if (url.pathname === '/stall') {
      stalledOpen++;
      req.socket.once('close', () => stalledOpen--);
      return;
    }
    if (url.pathname === '/metricdata') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(url.searchParams.has('broken') ? '[{"metric":"connections","data":"none"}]' : JSON.stringify(METRIC_DATA));
      return;
    }
    const delay = Number(url.searchParams.get('delay') ?? 0);
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), delay);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function clientOn(thread: UpstreamThread, baseUrl = base): UpstreamClient {
  return new UpstreamClient({ source: 'up', baseUrl, retries: 0, timeoutMs: 5000, log, transport: thread });
}

/** Runs `test` with a client whose calls go through `thread`, then closes both. */
async function withClient(thread: UpstreamThread, test: (client: UpstreamClient) => Promise<void>, baseUrl = base): Promise<void> {
  const client = clientOn(thread, baseUrl);
  try {
    await test(client);
  } finally {
    await client.close();
    await thread.close();
  }
}

/** A thread already started, as the gateway has it before it listens. */
async function startedThread(): Promise<UpstreamThread> {
  const thread = new UpstreamThread({ log });
  await thread.start();
  return thread;
}

describe('the upstream thread', () => {
  it('hands back network failures with their codes, as on one thread', async () => {
    const thread = new UpstreamThread({ log });
    // A port nobody listens on: bound, then released.
    const spare = createServer();
    await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
    const port = (spare.address() as AddressInfo).port;
    await new Promise((resolve) => spare.close(resolve));
    await withClient(
      thread,
      async (client) => {
        const failure = await client.request({ path: '/' }).catch((error: unknown) => error);
        expect(failure).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: 'up could not be reached (ECONNREFUSED)' });
      },
      `http://127.0.0.1:${port}`,
    );
  });

  it('closes the upstream connection when the caller goes away', async () => {
    await withClient(await startedThread(), async (client) => {
      const caller = new AbortController();
      const call = client.request({ path: '/stall', signal: caller.signal }).catch((error: unknown) => error);
      await expect.poll(() => stalledOpen).toBe(1);
      caller.abort(new DOMException('client left', 'AbortError'));
      expect(((await call) as Error).message).toBe('client left');
      // The abort crossed to the thread, and undici dropped the request there.
      await expect.poll(() => stalledOpen).toBe(0);
    });
  });

  it('fails the calls in flight when the thread dies, and the next call starts a new thread', async () => {
    const thread = await startedThread();
    await withClient(thread, async (client) => {
      const first = thread.worker!;
      const call = client.request({ path: '/stall' }).catch((error: unknown) => error);
      await expect.poll(() => stalledOpen).toBe(1);
      await first.terminate();
      const failure = await call;
      expect(failure).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
      expect((failure as Error).message).toMatch(/^up could not be reached \(the gateway's upstream thread stopped/);
      // Its connections went with it.
      await expect.poll(() => stalledOpen).toBe(0);
      const answer = await client.request({ path: '/ok' });
      expect(answer.json()).toEqual({ ok: true });
      expect(thread.worker).not.toBe(first);
    });
  });

  it('reads an answer with the decoder asked for, and hands over the text of one it cannot read', async () => {
    await withClient(new UpstreamThread({ log }), async (client) => {
      const read = await client.request({ path: '/metricdata', decode: 'darktrace.metricdata' });
      expect(THREAD_DECODERS['darktrace.metricdata'].unpack(read.decoded)).toEqual(parseMetricData('darktrace', METRIC_DATA));
      expect(read.text).toBe('');
      const broken = await client.request({ path: '/metricdata?broken', decode: 'darktrace.metricdata' });
      expect(broken.decoded).toBeUndefined();
      expect(broken.json()).toEqual([{ metric: 'connections', data: 'none' }]);
      const plain = await client.request({ path: '/metricdata' });
      expect(plain.decoded).toBeUndefined();
      expect(plain.json()).toEqual(METRIC_DATA);
    });
  });

  it('lets calls in flight finish when it closes, and refuses new ones', async () => {
    const thread = await startedThread();
    const client = clientOn(thread);
    const call = client.request({ path: '/ok?delay=300' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = thread.close();
    expect((await call).json()).toEqual({ ok: true });
    await closed;
    const late = await client.request({ path: '/ok' }).catch((error: unknown) => error);
    expect(late).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    await client.close();
  });
});

describe('a gateway', () => {
  it('answers the same on one thread (upstreamThread: false) as with the upstream thread, and reports each thread\'s load', async () => {
    const rig = await startDarktraceRig();
    const single = await startGateway({
      upstreamThread: false,
      sources: [{ id: 'dt', kind: 'darktrace', url: rig.emulator.url, ...EMULATOR_TOKENS, caFile: EMULATOR_CA_FILE, cacheTtl: false } as never],
    });
    try {
      const query = `{ metricData(source: "dt", metrics: ["connections", "datatransfervolume"], from: ${hoursAgo(6)}, to: ${hoursAgo(1)}, interval: "1h", darktrace: { did: ${rig.emulator.devices[0]!.did} }) { metric timestamps values } }`;
      const [threaded, alone] = await Promise.all([gql(rig.gateway, query), gql(single, query)]);
      expect(threaded.errors).toBeUndefined();
      expect(threaded.data!.metricData).toHaveLength(2);
      expect(threaded.data!.metricData[0].values).toHaveLength(5);
      expect(alone).toEqual(threaded);
      // How busy each thread is, for an operator deciding whether the upstream thread pays.
      const utilization = /gateway_event_loop_utilization_ratio\{thread="(main|upstream)"\} ([0-9.e-]+)/g;
      const readings = async (gateway: { url: string }) => [...(await (await fetch(`${gateway.url}/metrics`)).text()).matchAll(utilization)].map(([, thread, value]) => [thread, Number(value)] as const);
      const both = await readings(rig.gateway);
      expect(both.map(([thread]) => thread).sort()).toEqual(['main', 'upstream']);
      for (const [, value] of both) {
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
      expect((await readings(single)).map(([thread]) => thread)).toEqual(['main']);
    } finally {
      await single.close();
      await rig.close();
    }
  });

  it('starts no upstream thread when its sources make no HTTP calls', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'exports-only-'));
    const thread = new UpstreamThread({ log });
    const config = validateConfig({ port: 0, host: '127.0.0.1', sources: [{ id: 'exports', kind: 'dynatrace', exportDir: dir }] }, 'test configuration', {});
    const gateway = await createGateway(config, { log, upstreamThread: thread });
    try {
      expect((await gql(gateway, '{ sources { id healthy } }')).data!.sources).toEqual([{ id: 'exports', healthy: true }]);
      expect(thread.hasPools).toBe(false);
      expect(thread.worker).toBeUndefined();
    } finally {
      await gateway.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
