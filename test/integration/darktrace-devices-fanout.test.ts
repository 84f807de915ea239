import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../helpers/gateway.js';
import { hoursAgo, startDarktraceRig, type DarktraceRig } from '../helpers/darktrace.js';

/**
 * `darktrace: { devices: [...] }` is not an appliance parameter (the appliance rejects it): the
 * gateway asks one `did` per call, a few at a time, and answers with one multi-device list.
 */
describe('Darktrace devices fan-out', () => {
  let rig: DarktraceRig;
  let dids: number[];
  const from = hoursAgo(6);
  const to = hoursAgo(1);

  beforeAll(async () => {
    rig = await startDarktraceRig({ concurrency: 3 }, { settings: { delayMs: 60 } });
    dids = rig.emulator.devices.map((device) => device.did);
    await gql(rig.gateway, '{ metrics(source: "dt") { name } }');
  });
  afterAll(() => rig.close());

  it('asks each device in its own call and labels each series with its device', async () => {
    rig.emulator.reset();
    const devices = dids.slice(0, 4);
    const response = await gql(rig.gateway, `{
      metricData(source: "dt", metrics: ["connections", "dnsrequests"], from: ${from}, to: ${to}, interval: "1h",
                 darktrace: { devices: [${devices.map((did) => `"${did}"`).join(', ')}] }) { metric label(key: "did") values }
    }`);
    expect(response.errors).toBeUndefined();
    expect(rig.emulator.rawPaths('/metricdata').sort()).toEqual(
      devices.map((did) => `/metricdata?metric1=connections&metric2=dnsrequests&starttime=${from}&endtime=${to}&interval=3600&did=${did}`).sort(),
    );
    expect(rig.emulator.requests.every((request) => !request.url.searchParams.has('devices'))).toBe(true);
    const series = response.data!.metricData as Array<{ metric: string; label: string; values: number[] }>;
    expect(series.map((s) => `${s.label}/${s.metric}`)).toEqual(devices.flatMap((did) => [`${did}/connections`, `${did}/dnsrequests`]));
    // Different devices, different traffic.
    expect(new Set(series.filter((s) => s.metric === 'connections').map((s) => JSON.stringify(s.values))).size).toBe(devices.length);
  });

  it('keeps no more calls open at once than the configured concurrency', async () => {
    rig.emulator.reset();
    const response = await gql(rig.gateway, `{
      metricData(source: "dt", metric: "connections", from: ${from}, to: ${to}, interval: "1h",
                 darktrace: { devices: [${dids.slice(0, 9).map((did) => `"${did}"`).join(', ')}] }) { label(key: "did") }
    }`);
    expect(response.data!.metricData).toHaveLength(9);
    expect(rig.emulator.count('/metricdata')).toBe(9);
    expect(rig.emulator.peakInFlight).toBe(3);
  });

  it('shares the per-device calls between aliased fields on the same devices', async () => {
    rig.emulator.reset();
    const devices = `darktrace: { devices: ["${dids[0]}", "${dids[1]}"] }`;
    await gql(rig.gateway, `{
      a: metricData(source: "dt", metric: "connections", from: ${from}, to: ${to}, interval: "1h", ${devices}) { metric }
      b: metricData(source: "dt", metric: "failedconnections", from: ${from}, to: ${to}, interval: "1h", ${devices}) { metric }
    }`);
    expect(rig.emulator.rawPaths('/metricdata').sort()).toEqual(
      [dids[0], dids[1]].map((did) => `/metricdata?metric1=connections&metric2=failedconnections&starttime=${from}&endtime=${to}&interval=3600&did=${did}`).sort(),
    );
  });

  it('fails the whole answer, naming the device, when one device\'s call fails', async () => {
    rig.emulator.reset();
    const failing = dids[2]!;
    rig.emulator.inject({ status: 403, body: { error: 'Permission denied' }, match: (request) => request.url.searchParams.get('did') === String(failing) });
    const response = await gql(rig.gateway, `{
      metricData(source: "dt", metric: "connections", from: ${from}, to: ${to}, interval: "1h",
                 darktrace: { devices: ["${dids[1]}", "${failing}", "${dids[3]}"] }) { label(key: "did") }
    }`);
    expect(response.data).toEqual({ metricData: null });
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', source: 'dt', upstreamStatus: 403 });
    expect(response.errors![0]!.message).toMatch(new RegExp(`^device ${failing}: dt denied access \\(HTTP 403\\)`));
  });

  it('hands back the abort when the caller goes away mid fan-out', async () => {
    // The emulator answers after 60 ms; the caller leaves after 20. Every device's call ends in the
    // same AbortError, whose message cannot carry a device (it is read-only on a DOMException).
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 20);
    const [answer] = await rig.gateway.registry.get('dt')!.query(
      [{ metrics: ['connections'], range: { from, to }, intervalMs: 3_600_000, filters: [], params: { devices: [String(dids[1]), String(dids[2])] } }],
      { signal: caller.signal, log: pino({ level: 'silent' }) },
    );
    expect(answer).toBeInstanceOf(DOMException);
    expect((answer as DOMException).name).toBe('AbortError');
  });

  it('fans out a did label filter with several values the same way', async () => {
    rig.emulator.reset();
    const response = await gql(rig.gateway, `{
      metricData(source: "dt", metric: "connections", from: ${from}, to: ${to}, interval: "1h",
                 filters: [{ key: "did", values: ["${dids[4]}", "${dids[5]}"] }]) { label(key: "did") }
    }`);
    expect(response.data!.metricData).toEqual([{ label: String(dids[4]) }, { label: String(dids[5]) }]);
    expect(rig.emulator.count('/metricdata')).toBe(2);
  });
});
