import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../helpers/gateway.js';
import { startDarktraceRig, type DarktraceRig } from '../helpers/darktrace.js';

/**
 * Source health is shared across callers: /health is open to anyone and dashboards ask
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

describe('source health probes', () => {
  it('send one probe for many requests at once, through /health and GraphQL alike', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const before = rig.emulator.count('/metrics');
    const health = Array.from({ length: 15 }, () => fetch(`${rig.gateway.url}/health`).then((response) => response.json() as Promise<{ sources: Array<{ id: string; healthy: boolean }> }>));
    const graphql = Array.from({ length: 15 }, () => gql(rig.gateway, '{ sources { id healthy message } }'));
    const [bodies, answers] = await Promise.all([Promise.all(health), Promise.all(graphql)]);
    expect(bodies.every((body) => body.sources[0]!.healthy)).toBe(true);
    expect(answers.every((answer) => answer.data!.sources[0].healthy)).toBe(true);
    // /metrics and /metricdata share the prefix; only health probes ran here.
    expect(rig.emulator.count('/metrics') - before).toBe(1);
  });

  it('probe again once the last probe is a second old', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const before = rig.emulator.count('/metrics');
    await gql(rig.gateway, '{ sources { id healthy } }');
    await gql(rig.gateway, '{ sources { id healthy } }');
    expect(rig.emulator.count('/metrics') - before).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await gql(rig.gateway, '{ sources { id healthy } }');
    expect(rig.emulator.count('/metrics') - before).toBe(2);
  });
});
