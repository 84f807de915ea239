import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArgusEmulator, type ArgusEmulator } from '../../src/emulators/argus/index.js';
import { argusSourceFor } from '../../src/emulators/argus/source-config.js';
import { DarktraceEmulator, EMULATOR_TOKENS } from '../../src/emulators/darktrace/emulator.js';
import { startDynatraceEmulator, type DynatraceEmulator } from '../../src/emulators/dynatrace/index.js';
import type { Emulator, Fault } from '../../src/emulators/server.js';
import type { Gateway } from '../../src/gateway.js';
import { ARGUS_NOW, HOUR } from '../helpers/argus.js';
import { EMULATOR_CA_FILE, hoursAgo } from '../helpers/darktrace.js';
import { dynatraceSource } from '../helpers/dynatrace.js';
import { gql, startGateway } from '../helpers/gateway.js';

const DEADLINE_MS = 4000;
const MB = 1024 * 1024;

/** Each fault, and the code a client sees for the faulty source's field. */
const FAULTS: Array<{ name: string; fault: Fault; code: string }> = [
  { name: 'slow headers', fault: { latencyMs: 2500 }, code: 'GATEWAY_TIMEOUT' },
  { name: 'slow body', fault: { bodyDelayMs: 2500 }, code: 'GATEWAY_TIMEOUT' },
  { name: 'no answer before the deadline', fault: { latencyMs: 60_000 }, code: 'GATEWAY_TIMEOUT' },
  { name: '429 with Retry-After', fault: { status: 429, headers: { 'retry-after': '120' } }, code: 'UPSTREAM_RATE_LIMITED' },
  { name: '429 without Retry-After', fault: { status: 429 }, code: 'UPSTREAM_RATE_LIMITED' },
  { name: '500', fault: { status: 500 }, code: 'UPSTREAM_UNAVAILABLE' },
  { name: '502', fault: { status: 502 }, code: 'UPSTREAM_UNAVAILABLE' },
  { name: '503', fault: { status: 503 }, code: 'UPSTREAM_UNAVAILABLE' },
  // The vendor's own proxy gave up: the vendor is unavailable (the gateway's own timeouts are GATEWAY_TIMEOUT).
  { name: '504', fault: { status: 504 }, code: 'UPSTREAM_UNAVAILABLE' },
  { name: 'connection reset', fault: { reset: true }, code: 'UPSTREAM_UNAVAILABLE' },
  { name: 'malformed JSON', fault: { status: 200, body: '{"result": [1, 2', headers: { 'content-type': 'application/json' } }, code: 'UPSTREAM_UNAVAILABLE' },
  { name: 'a 50 MB body', fault: { status: 200, body: `{"x":"${'y'.repeat(50 * MB)}"}`, headers: { 'content-type': 'application/json' } }, code: 'UPSTREAM_UNAVAILABLE' },
  { name: 'wrong content type', fault: { status: 200, body: '<html><body>Login</body></html>', headers: { 'content-type': 'text/html' } }, code: 'UPSTREAM_UNAVAILABLE' },
];

const FIELDS = {
  dt: `metricData(source: "dt", metric: "connections", from: ${hoursAgo(4)}, to: ${hoursAgo(1)}, interval: "1h") { metric }`,
  dynatrace: 'metricData(source: "dynatrace", metric: "http_requests", from: "2024-01-08", to: "2024-01-09", interval: "1d") { metric }',
  argus: `metricData(source: "argus", metric: "netstats.frames", from: "${new Date(ARGUS_NOW - 2 * HOUR).toISOString()}", to: "${new Date(ARGUS_NOW).toISOString()}") { metric }`,
  native: 'metricData(source: "native", metric: "nothing_here", from: "now-1h") { metric }',
};
const QUERY = `{ ${Object.entries(FIELDS).map(([alias, field]) => `${alias}: ${field}`).join('\n')} }`;

/**
 * Every remote source x every upstream fault: the faulty source's field fails with the right code
 * before the request deadline, the other sources' fields are intact, and the gateway is healthy
 * afterwards.
 */
describe('fault matrix', () => {
  let darktrace: DarktraceEmulator;
  let dynatrace: DynatraceEmulator;
  let argus: ArgusEmulator;
  let gateway: Gateway;
  let shells: Record<'dt' | 'dynatrace' | 'argus', { inject(fault: Fault): void; clearFaults(): void }>;

  beforeAll(async () => {
    [darktrace, dynatrace, argus] = await Promise.all([DarktraceEmulator.start(), startDynatraceEmulator(), startArgusEmulator({ now: ARGUS_NOW })]);
    // Short per-source deadlines, one retry and no breaker, so each fault shows its own code.
    const resilience = { timeoutMs: 1500, retries: 1, cacheTtl: false, circuitBreaker: false } as const;
    gateway = await startGateway({
      requestDeadlineMs: DEADLINE_MS,
      sources: [
        { id: 'native', kind: 'native' },
        { id: 'dt', kind: 'darktrace', url: darktrace.url, ...EMULATOR_TOKENS, caFile: EMULATOR_CA_FILE, ...resilience } as never,
        dynatraceSource(dynatrace, resilience),
        argusSourceFor(argus.url, resilience),
      ],
    });
    shells = { dt: darktrace, dynatrace: dynatrace.server, argus: argus.server as Emulator };
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([darktrace?.close(), dynatrace?.close(), argus?.close()]);
  });

  it('answers every source when nothing is wrong', async () => {
    const response = await gql(gateway, QUERY);
    expect(response.errors).toBeUndefined();
    for (const alias of ['dt', 'dynatrace', 'argus']) expect((response.data as any)[alias].length).toBeGreaterThan(0);
  });

  for (const source of ['dt', 'dynatrace', 'argus'] as const) {
    for (const { name, fault, code } of FAULTS) {
      it(`${source}: ${name} -> ${code}, the other sources intact`, async () => {
        shells[source].inject({ ...fault, times: 1000 });
        const started = Date.now();
        let response;
        try {
          response = await gql(gateway, QUERY);
        } finally {
          shells[source].clearFaults();
        }
        const elapsed = Date.now() - started;
        expect(response.status).toBe(200);
        expect(response.errors?.map((error) => [error.path?.[0], error.extensions?.code])).toEqual([[source, code]]);
        expect(JSON.stringify(response.errors)).not.toMatch(/127\.0\.0\.1|https?:\/\/|token|Bearer/i);
        for (const other of ['dt', 'dynatrace', 'argus'].filter((alias) => alias !== source)) {
          expect((response.data as any)[other].length).toBeGreaterThan(0);
        }
        expect((response.data as any).native).toEqual([]);
        // The request deadline holds (with room for a loaded test machine).
        expect(elapsed).toBeLessThan(DEADLINE_MS + 2000);
      });
    }
  }

  it('is healthy afterwards', async () => {
    const health = (await (await fetch(`${gateway.url}/health`)).json()) as any;
    expect(health.sources.every((source: any) => source.healthy)).toBe(true);
    const response = await gql(gateway, QUERY);
    expect(response.errors).toBeUndefined();
  });
});
