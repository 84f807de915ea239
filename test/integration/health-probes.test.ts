import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../helpers/gateway.js';
import { startDarktraceRig, type DarktraceRig } from '../helpers/darktrace.js';

/**
 * Source health is shared across callers: monitors poll /health and dashboards ask
 * `sources { healthy }` on every refresh, and neither may turn into a probe per request at the
 * vendor (Darktrace's is a signed GET /metrics).
 */
let rig: DarktraceRig;

beforeAll(async () => {
  rig = await startDarktraceRig();
});

afterAll(async () => {
  await rig.close();
});

/** At most the probes `elapsedMs` of requests may start when an answer stands for REUSE_MS; exactly one within it. */
const REUSE_MS = 1000;
function probesWithin(elapsedMs: number): number {
  return 1 + Math.floor(elapsedMs / REUSE_MS);
}

describe('source health probes', () => {
  it('send one probe for many requests at once, through /health and GraphQL alike', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const before = rig.emulator.count('/metrics');
    const started = performance.now();
    const health = Array.from({ length: 15 }, () => fetch(`${rig.gateway.url}/health`).then((response) => response.json() as Promise<{ sources: Array<{ id: string; healthy: boolean }> }>));
    const graphql = Array.from({ length: 15 }, () => gql(rig.gateway, '{ sources { id healthy message } }'));
    const [bodies, answers] = await Promise.all([Promise.all(health), Promise.all(graphql)]);
    expect(bodies.every((body) => body.sources[0]!.healthy)).toBe(true);
    expect(answers.every((answer) => answer.data!.sources[0].healthy)).toBe(true);
    // /metrics and /metricdata share the prefix; only health probes ran here. A probe's answer
    // stands for a second from its start: a burst that a busy machine stretches past that may
    // start one more per second it took, never one per request.
    const probes = rig.emulator.count('/metrics') - before;
    expect(probes).toBeGreaterThanOrEqual(1);
    expect(probes).toBeLessThanOrEqual(probesWithin(performance.now() - started));
  });

  it('probe again once the last probe is a second old', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const before = rig.emulator.count('/metrics');
    const started = performance.now();
    await gql(rig.gateway, '{ sources { id healthy } }');
    await gql(rig.gateway, '{ sources { id healthy } }');
    const first = rig.emulator.count('/metrics') - before;
    expect(first).toBeGreaterThanOrEqual(1);
    expect(first).toBeLessThanOrEqual(probesWithin(performance.now() - started));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await gql(rig.gateway, '{ sources { id healthy } }');
    expect(rig.emulator.count('/metrics') - before).toBe(first + 1);
  });
});
