import { afterEach, describe, expect, it } from 'vitest';
import { DarktraceEmulator, EMULATOR_TOKENS } from '../../src/emulators/darktrace/emulator.js';
import type { Gateway } from '../../src/gateway.js';
import { EMULATOR_CA_FILE, hoursAgo } from '../helpers/darktrace.js';
import { gql, startGateway } from '../helpers/gateway.js';

interface Rig {
  emulator: DarktraceEmulator;
  gateway: Gateway;
  close(): Promise<void>;
}

/** The Darktrace emulator as source `dt` (uncached unless `source` says otherwise) next to a native source. */
async function startDarktraceRig(source: Record<string, unknown> = {}, gatewayConfig: Record<string, unknown> = {}): Promise<Rig> {
  const emulator = await DarktraceEmulator.start();
  const gateway = await startGateway({
    sources: [
      { id: 'native', kind: 'native' },
      { id: 'dt', kind: 'darktrace', url: emulator.url, ...EMULATOR_TOKENS, caFile: EMULATOR_CA_FILE, cacheTtl: false, ...source } as never,
    ],
    ...gatewayConfig,
  });
  return { emulator, gateway, close: async () => (await gateway.close(), await emulator.close()) };
}

const FIELD = `metricData(source: "dt", metric: "connections", from: ${hoursAgo(4)}, to: ${hoursAgo(1)}, interval: "1h") { metric values }`;
const QUERY = `{ dt: ${FIELD} native: metricData(source: "native", metric: "nothing_here", from: "now-1h") { metric } }`;
const metricdata = (request: { url: URL }) => request.url.pathname === '/metricdata';

/** Request deadline, circuit breaker, serve-stale and the outbound token bucket, against the Darktrace emulator. */
describe('resilience', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('ends a source that is still busy by the request deadline with GATEWAY_TIMEOUT; the rest answers', async () => {
    // No timeoutMs set: the one derived from the deadline (80% of it, 1200 ms) ends the call first.
    rig = await startDarktraceRig({}, { requestDeadlineMs: 1500 });
    rig.emulator.inject({ latencyMs: 30_000, times: 100, match: metricdata });
    const started = Date.now();
    const response = await gql(rig.gateway, QUERY);
    expect(Date.now() - started).toBeLessThan(1500 + 2000);
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]).toMatchObject({ path: ['dt'], extensions: { code: 'GATEWAY_TIMEOUT', source: 'dt' } });
    expect(response.errors![0]!.message).toBe('dt did not answer within 1200 ms');
    expect(response.data!.native).toEqual([]);
  });

  it('opens the circuit after consecutive failures, fails fast without calling upstream, probes once and closes', async () => {
    rig = await startDarktraceRig({ retries: 0, circuitBreaker: { failures: 3, cooldownMs: 400 } });
    rig.emulator.inject({ status: 503, times: 3, match: metricdata });
    for (let i = 0; i < 3; i++) expect((await gql(rig.gateway, QUERY)).errors![0]!.extensions!.code).toBe('UPSTREAM_UNAVAILABLE');
    const calls = rig.emulator.count('/metricdata');
    const open = await gql(rig.gateway, QUERY);
    expect(open.errors![0]!.extensions).toMatchObject({ code: 'CIRCUIT_BREAKER_OPEN', source: 'dt' });
    expect(open.data!.native).toEqual([]);
    expect(rig.emulator.count('/metricdata')).toBe(calls);
    const health = (await (await fetch(`${rig.gateway.url}/health`)).json()) as any;
    expect(health.sources.find((source: any) => source.id === 'dt')).toMatchObject({ circuit: 'open' });
    const scrape = await (await fetch(`${rig.gateway.url}/metrics`)).text();
    expect(scrape).toMatch(/gateway_circuit_breaker_state\{source="dt"\} 2/);

    await new Promise((resolve) => setTimeout(resolve, 450));
    const probe = await gql(rig.gateway, QUERY);
    expect(probe.errors).toBeUndefined();
    expect(rig.emulator.count('/metricdata')).toBe(calls + 1);
    expect(await (await fetch(`${rig.gateway.url}/metrics`)).text()).toMatch(/gateway_circuit_breaker_state\{source="dt"\} 0/);
  });

  it('reopens when the half-open probe fails', async () => {
    rig = await startDarktraceRig({ retries: 0, circuitBreaker: { failures: 1, cooldownMs: 300 } });
    rig.emulator.inject({ status: 500, times: 2, match: metricdata });
    expect((await gql(rig.gateway, QUERY)).errors![0]!.extensions!.code).toBe('UPSTREAM_UNAVAILABLE');
    expect((await gql(rig.gateway, QUERY)).errors![0]!.extensions!.code).toBe('CIRCUIT_BREAKER_OPEN');
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await gql(rig.gateway, QUERY)).errors![0]!.extensions!.code).toBe('UPSTREAM_UNAVAILABLE');
    expect((await gql(rig.gateway, QUERY)).errors![0]!.extensions!.code).toBe('CIRCUIT_BREAKER_OPEN');
  });

  it('serves the last good answer with a STALE_DATA warning when the source fails within maxStaleMs', async () => {
    rig = await startDarktraceRig({ retries: 0, circuitBreaker: false, cacheTtl: { open: '50ms', closed: '50ms' }, maxStaleMs: 60_000 });
    const fresh = await gql(rig.gateway, QUERY);
    expect(fresh.errors).toBeUndefined();
    expect((fresh as any).extensions?.warnings).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 80)); // past the TTL
    rig.emulator.inject({ status: 503, times: 10, match: metricdata });
    const stale = (await gql(rig.gateway, QUERY)) as any;
    expect(stale.errors).toBeUndefined();
    expect(stale.data.dt).toEqual(fresh.data!.dt);
    expect(stale.extensions.warnings).toEqual([expect.objectContaining({ source: 'dt', code: 'STALE_DATA' })]);
    expect(stale.extensions.warnings[0].message).toContain('UPSTREAM_UNAVAILABLE');
    // A wrong query is not covered up by an old answer.
    const bad = await gql(rig.gateway, `{ metricData(source: "dt", metric: "no_such_metric", from: ${hoursAgo(4)}) { metric } }`);
    expect(bad.errors![0]!.extensions!.code).not.toBe('STALE_DATA');
  });

  it('keeps outbound requests within the source rate limit and refuses what would wait past the deadline', async () => {
    rig = await startDarktraceRig({ retries: 0, timeoutMs: 1000, rateLimit: { perSecond: 2, burst: 2 } });
    const fields = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `f${i}: metricData(source: "dt", metric: "connections", from: ${hoursAgo(4 + i)}, to: ${hoursAgo(1)}, interval: "1h") { metric }`).join(' ')} }`;
    const before = rig.emulator.count('/metricdata');
    const response = await gql(rig.gateway, fields(6));
    const sent = rig.emulator.count('/metricdata') - before;
    // 2 at once plus 2/s for about a second: never all 6.
    expect(sent).toBeLessThan(6);
    const limited = (response.errors ?? []).filter((error) => error.extensions?.code === 'UPSTREAM_RATE_LIMITED');
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.message).toContain('outbound limit');
  });
});
