import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../../src/core/sleep.js';
import { gql } from '../helpers/gateway.js';
import { hoursAgo, startDarktraceRig, type DarktraceRig } from '../helpers/darktrace.js';

/** An expired answer within `staleWhileRevalidate` goes out at once; one call refreshes it behind. */
describe('stale while revalidate, through the gateway', () => {
  let rig: DarktraceRig;

  beforeAll(async () => {
    rig = await startDarktraceRig({ cacheTtl: { open: '1s', closed: '1s', staleWhileRevalidate: '1m' } });
  });
  afterAll(() => rig.close());

  it('answers from the expired entry while a slow appliance is asked again, once', async () => {
    const did = rig.emulator.devices[2]!.did;
    const query = `{ metricData(source: "dt", metric: "connections", from: ${hoursAgo(30)}, to: ${hoursAgo(6)}, interval: "1h", darktrace: { did: ${did} }) { values } }`;
    rig.emulator.reset();
    const first = await gql(rig.gateway, query);
    expect(first.errors).toBeUndefined();
    expect(rig.emulator.count('/metricdata')).toBe(1);

    await sleep(1100);
    // The refresh will take 1.5 s; five dashboards asking now do not wait for it.
    rig.emulator.inject({ latencyMs: 1500 });
    const started = Date.now();
    const during = await Promise.all(Array.from({ length: 5 }, () => gql(rig.gateway, query)));
    const waitedMs = Date.now() - started;
    for (const response of during) expect(response.data).toEqual(first.data);
    expect(waitedMs).toBeLessThan(1500);
    expect(rig.emulator.count('/metricdata')).toBe(2);

    // Once the refresh has landed (1.5 s), the entry is fresh again for 1 s: no further call.
    await sleep(1700);
    const after = await gql(rig.gateway, query);
    expect(after.data).toEqual(first.data);
    expect(rig.emulator.count('/metricdata')).toBe(2);
  }, 15_000);

  it('does not hold a shutdown for a refresh still running', async () => {
    const own = await startDarktraceRig({ cacheTtl: { open: '200ms', closed: '200ms', staleWhileRevalidate: '1m' } });
    const did = own.emulator.devices[3]!.did;
    const query = `{ metricData(source: "dt", metric: "connections", from: ${hoursAgo(30)}, to: ${hoursAgo(6)}, interval: "1h", darktrace: { did: ${did} }) { values } }`;
    expect((await gql(own.gateway, query)).errors).toBeUndefined();
    await sleep(300);
    own.emulator.inject({ latencyMs: 20_000 });
    expect((await gql(own.gateway, query)).errors).toBeUndefined();
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 15_000);
});
