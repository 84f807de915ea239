import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../helpers/gateway.js';
import { hoursAgo, startDarktraceRig, type DarktraceRig } from '../helpers/darktrace.js';

/** Darktrace answers are cached across requests, Darktrace extras included. */
describe('Darktrace answers in the cache', () => {
  let rig: DarktraceRig;

  beforeAll(async () => {
    rig = await startDarktraceRig({ cacheTtl: undefined });
  });
  afterAll(() => rig.close());

  it('serves a repeated closed-window query from the cache with in/out, breaches and devices intact', async () => {
    const did = rig.emulator.devices[6]!.did;
    const query = `{ metricData(source: "dt", metric: "connections", from: ${hoursAgo(48)}, to: ${hoursAgo(24)}, interval: "1h",
                     darktrace: { did: ${did}, breachtimes: true, fulldevicedetails: true }) {
                     values inbound outbound breaches { pbid time } devices { did hostname } } }`;
    rig.emulator.reset();
    const first = await gql(rig.gateway, query);
    const second = await gql(rig.gateway, query);
    expect(first.errors).toBeUndefined();
    expect(second.data).toEqual(first.data);
    expect(first.data!.metricData[0].inbound).toHaveLength(24);
    expect(first.data!.metricData[0].devices).toEqual([{ did, hostname: expect.any(String) }]);
    expect(rig.emulator.count('/metricdata')).toBe(1);
  });
});
