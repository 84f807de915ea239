import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DarktraceEmulator, EMULATOR_TOKENS } from '../../src/emulators/darktrace/emulator.js';
import { argusSourceFor } from '../../src/emulators/argus/source-config.js';
import { startArgusEmulator } from '../../src/emulators/argus/index.js';
import { DYNATRACE_TOKENS, EMULATOR_CERT_FILE, startDynatraceEmulator } from '../../src/emulators/dynatrace/index.js';
import type { EmulatedRequest, Fault } from '../../src/emulators/server.js';
import type { GatewayConfigInput } from '../../src/config/schema.js';
import { RequestDeadline } from '../../src/resilience/request-deadline.js';
import { TokenBucket } from '../../src/resilience/token-bucket.js';
import { UpstreamClient } from '../../src/sources/http/client.js';
import { gql, startGateway } from '../helpers/gateway.js';

/**
 * A vendor asking the gateway to come back in an hour (429, Retry-After: 3600) does not make a
 * request wait: the wait cannot fit in the request's deadline, so the client hears at once
 * UPSTREAM_RATE_LIMITED with the wait the vendor asked for. Waiting until the deadline would have
 * ended in GATEWAY_TIMEOUT instead, which is what these assertions tell apart. The same holds for
 * a wait the source's own deadline would allow but the request's does not, and for the outbound
 * rate limit's next token.
 */
const DEADLINE_MS = 1500;
const HOUR_MS = 3_600_000;

type SourceInput = GatewayConfigInput['sources'][number];

interface Rig {
  /** The emulator's shell: fault injection and the request log. */
  shell: { inject(fault: Fault): void; clearFaults(): void; readonly requests: readonly EmulatedRequest[] };
  source: SourceInput;
  query: string;
  /** The upstream request that answers metricData (not discovery). */
  isQuery: (request: EmulatedRequest) => boolean;
  close(): Promise<void>;
}

const RIGS: Array<{ kind: string; start: () => Promise<Rig> }> = [
  {
    kind: 'darktrace',
    start: async () => {
      const emulator = await DarktraceEmulator.start();
      return {
        shell: emulator,
        source: { id: 'vendor', kind: 'darktrace', url: emulator.url, ...EMULATOR_TOKENS, caFile: EMULATOR_CERT_FILE },
        query: '{ metricData(source: "vendor", metric: "connections", from: "now-3h", interval: "1h") { values } }',
        isQuery: (request) => request.url.pathname === '/metricdata',
        close: () => emulator.close(),
      };
    },
  },
  {
    kind: 'argus',
    start: async () => {
      const argus = await startArgusEmulator();
      return {
        shell: argus.server,
        source: argusSourceFor(argus.url, { id: 'vendor' }),
        query: '{ metricData(source: "vendor", metric: "netstats.packages", from: "now-3h", interval: "1h") { values } }',
        isQuery: (request) => request.url.pathname.endsWith('/search'),
        close: () => argus.close(),
      };
    },
  },
  {
    kind: 'dynatrace',
    start: async () => {
      const dynatrace = await startDynatraceEmulator();
      return {
        shell: dynatrace.server,
        source: { id: 'vendor', kind: 'dynatrace', url: dynatrace.url, apiToken: DYNATRACE_TOKENS.read, caFile: EMULATOR_CERT_FILE },
        query: '{ metricData(source: "vendor", metric: "builtin:host.cpu.usage", from: "now-3h", interval: "1h") { values } }',
        isQuery: (request) => request.url.pathname.endsWith('/metrics/query'),
        close: () => dynatrace.close(),
      };
    },
  },
];

describe.each(RIGS)('Retry-After: 3600 from $kind', ({ start }) => {
  let rig: Rig;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  beforeAll(async () => {
    rig = await start();
    const vendor = { ...rig.source, cacheTtl: false } as SourceInput;
    gateway = await startGateway({ requestDeadlineMs: DEADLINE_MS, sources: [{ id: 'native', kind: 'native' }, vendor] });
  });
  afterAll(async () => {
    await gateway.close();
    await rig.close();
  });

  it('answers UPSTREAM_RATE_LIMITED with the asked wait at once, not after the deadline', async () => {
    rig.shell.inject({ status: 429, headers: { 'retry-after': '3600' }, times: 100, match: rig.isQuery });
    const started = performance.now();
    const response = await gql(gateway, rig.query);
    const elapsed = performance.now() - started;
    rig.shell.clearFaults();

    expect(response.data).toEqual({ metricData: null });
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', source: 'vendor', retryAfterMs: HOUR_MS });
    expect(elapsed).toBeLessThan(DEADLINE_MS);
    // Asked once: a wait that cannot fit is not waited, and no retry goes out.
    expect(rig.shell.requests.filter(rig.isQuery)).toHaveLength(1);
  });
});

describe('the HTTP client under a request deadline', () => {
  let url: string;
  let calls = 0;
  const server = createServer((request, response) => {
    calls++;
    if (request.url === '/ok') response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    else response.writeHead(429, { 'retry-after': '5', 'content-type': 'application/json' }).end('{}');
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses a Retry-After wait that fits its own deadline but not the request deadline', async () => {
    calls = 0;
    // The source would wait 5 s (its own deadline is 30 s); the request has 1.5 s.
    const client = new UpstreamClient({ source: 'vendor', baseUrl: url, deadlineMs: 30_000, log: pino({ level: 'silent' }) });
    const deadline = new RequestDeadline(DEADLINE_MS, () => new AbortController().signal);
    const started = performance.now();
    try {
      const outcome = await client.request({ path: '/x', signal: deadline.signal }).catch((error: unknown) => error);
      expect(outcome).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', retryAfterMs: 5000 });
      expect((outcome as Error).message).toMatch(/asks to wait 5000 ms, longer than the request may take/);
      expect(performance.now() - started).toBeLessThan(DEADLINE_MS);
      expect(calls).toBe(1);
    } finally {
      deadline.release();
      await client.close();
    }
  });

  it("refuses a wait for the outbound rate limit's next token that would come after the request deadline", async () => {
    calls = 0;
    // One token every 4 s: the second call would wait 4 s, which its own 30 s allow and the request's 1.5 s do not.
    const bucket = new TokenBucket(0.25, 1);
    const client = new UpstreamClient({ source: 'vendor', baseUrl: url, deadlineMs: 30_000, guard: { bucket }, log: pino({ level: 'silent' }) });
    const deadline = new RequestDeadline(DEADLINE_MS, () => new AbortController().signal);
    try {
      await client.request({ path: '/ok', signal: deadline.signal });
      const started = performance.now();
      const outcome = await client.request({ path: '/ok', signal: deadline.signal }).catch((error: unknown) => error);
      expect(outcome).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', source: 'vendor' });
      expect((outcome as Error).message).toMatch(/outbound limit for vendor/);
      expect(performance.now() - started).toBeLessThan(DEADLINE_MS);
      expect(calls).toBe(1);
    } finally {
      deadline.release();
      await client.close();
    }
  });
});
