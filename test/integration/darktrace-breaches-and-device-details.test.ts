import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breachesBetween, type EmulatedBreach } from '../../src/emulators/darktrace/breaches.js';
import { gql } from '../helpers/gateway.js';
import { hoursAgo, startDarktraceRig, type DarktraceRig } from '../helpers/darktrace.js';

/** breachtimes and fulldevicedetails change the appliance's answer; both come out on Series. */
describe('Darktrace model alerts and device details on series', () => {
  let rig: DarktraceRig;
  let inline: DarktraceRig;
  const from = hoursAgo(72);
  const to = hoursAgo(0);
  let breach: EmulatedBreach;

  beforeAll(async () => {
    rig = await startDarktraceRig();
    inline = await startDarktraceRig({}, { settings: { fullDeviceDetailsShape: 'inline' } });
    // The device with the most alerts in the window, so there is something to see.
    const all = breachesBetween(rig.emulator.seed, rig.emulator.devices, from, to, Date.now());
    breach = all.reduce((best, candidate) => (all.filter((b) => b.did === candidate.did).length > all.filter((b) => b.did === best.did).length ? candidate : best));
  });
  afterAll(async () => {
    await rig.close();
    await inline.close();
  });

  it('gives each series the model alerts of its device and window with breachtimes: true', async () => {
    const response = await gql(rig.gateway, `{
      metricData(source: "dt", metrics: ["anomalyscore", "connections"], from: ${from}, to: ${to}, interval: "1h",
                 darktrace: { did: ${breach.did}, breachtimes: true }) {
        metric breaches { pbid pid name score time } devices { did }
      }
    }`);
    expect(response.errors).toBeUndefined();
    const expected = breachesBetween(rig.emulator.seed, rig.emulator.devices.filter((device) => device.did === breach.did), from, to, Date.now());
    expect(expected.length).toBeGreaterThan(0);
    for (const series of response.data!.metricData) {
      expect(series.devices).toBeNull();
      expect(series.breaches).toEqual(
        expected.map((b) => ({ pbid: b.pbid, pid: b.pid, name: b.name, score: b.score, time: new Date(b.time).toISOString() })),
      );
    }
    expect(rig.emulator.rawPaths('/metricdata').at(-1)).toContain('&breachtimes=true');
  });

  it('answers null for breaches and devices when they were not asked', async () => {
    const response = await gql(rig.gateway, `{ metricData(source: "dt", metric: "connections", from: ${from}, to: ${to}, interval: "1h") { breaches { pbid } devices { did } } }`);
    expect(response.data!.metricData).toEqual([{ breaches: null, devices: null }]);
  });

  it.each([
    ['wrapped in an object next to the list (the default)', () => rig],
    ['inline on each element', () => inline],
  ])('exposes full device details when the appliance puts them %s', async (_, target) => {
    const emulator = target().emulator;
    const device = emulator.devices.find((candidate) => candidate.did === breach.did)!;
    const response = await gql(target().gateway, `{
      metricData(source: "dt", metric: "connections", from: ${from}, to: ${to}, interval: "1h",
                 darktrace: { did: ${device.did}, fulldevicedetails: true }) {
        devices { did hostname ip ips { ip time sid } macaddress vendor os typename typelabel sid firstSeen lastSeen tags details }
      }
    }`);
    expect(response.errors).toBeUndefined();
    const details = device.details as Record<string, any>;
    expect(response.data!.metricData[0].devices).toEqual([
      {
        did: device.did,
        hostname: details.hostname,
        ip: details.ip,
        ips: [{ ip: details.ip, time: new Date(details.ips[0].timems).toISOString(), sid: details.sid }],
        macaddress: details.macaddress,
        vendor: details.vendor,
        os: details.os,
        typename: details.typename,
        typelabel: details.typelabel,
        sid: details.sid,
        firstSeen: new Date(details.firstSeen).toISOString(),
        lastSeen: new Date(details.lastSeen).toISOString(),
        tags: details.tags.map((tag: { name: string }) => tag.name),
        details,
      },
    ]);
  });

  it('keeps in and out aligned with the points after a raw query is trimmed to the asked range', async () => {
    // A 20-hour raw window is fetched on 5-minute boundaries (for the cache), then cut back to 17 past.
    const start = hoursAgo(22) + 17 * 60_000;
    rig.emulator.reset();
    const response = await gql(rig.gateway, `{
      metricData(source: "dt", metric: "datatransfervolume", from: ${start}, to: ${start + 20 * 3_600_000}) { timestamps values inbound outbound }
    }`);
    expect(rig.emulator.rawPaths('/metricdata')[0]).toContain(`starttime=${start - 2 * 60_000}&`);
    const [series] = response.data!.metricData;
    expect(series.timestamps[0]).toBe(start);
    expect(series.timestamps).toHaveLength(20 * 60);
    series.values.forEach((value: number, i: number) => expect(value).toBe(series.inbound[i] + series.outbound[i]));
  });
});
