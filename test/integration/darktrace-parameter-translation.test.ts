import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../helpers/gateway.js';
import { hoursAgo, startDarktraceRig, type DarktraceRig } from '../helpers/darktrace.js';

/**
 * Every metricData argument a Darktrace source takes, as the appliance receives it: the raw path
 * and query string the emulator recorded, byte for byte, in the order sent (and signed).
 */
describe('Darktrace parameters go upstream in the appliance\'s own form', () => {
  let rig: DarktraceRig;
  let datetimeRig: DarktraceRig;
  const from = hoursAgo(6);
  const to = hoursAgo(2);
  const iso = (ms: number) => new Date(ms).toISOString();
  let dids: number[];

  beforeAll(async () => {
    rig = await startDarktraceRig();
    datetimeRig = await startDarktraceRig({ timeFormat: 'datetime' });
    dids = rig.emulator.devices.map((device) => device.did);
  });
  afterAll(async () => {
    await rig.close();
    await datetimeRig.close();
  });

  async function sent(target: DarktraceRig, args: string, fields = 'metric values'): Promise<string[]> {
    target.emulator.reset();
    const response = await gql(target.gateway, `{ metricData(source: "dt", ${args}) { ${fields} } }`);
    expect(response.errors).toBeUndefined();
    return target.emulator.rawPaths('/metricdata');
  }

  it('sends every darktrace parameter, the range as starttime/endtime and the interval in seconds', async () => {
    const [did, ddid, odid] = dids;
    const paths = await sent(
      rig,
      `metric: "connections", from: "${iso(from)}", to: "${iso(to)}", interval: "5min",
       darktrace: { did: ${did}, ddid: ${ddid}, odid: ${odid}, port: 443, sourceport: 51000, destinationport: 8443,
                    protocol: "6", applicationprotocol: "HTTPS", breachtimes: true, fulldevicedetails: true }`,
    );
    expect(paths).toEqual([
      `/metricdata?metric=connections&starttime=${from}&endtime=${to}&interval=300&did=${did}&ddid=${ddid}&odid=${odid}` +
        '&port=443&sourceport=51000&destinationport=8443&protocol=6&applicationprotocol=HTTPS&breachtimes=true&fulldevicedetails=true',
    ]);
  });

  it('sends the range as from/to in YYYY-MM-DD HH:MM:SS (UTC) when the source is set to datetime', async () => {
    const paths = await sent(datetimeRig, `metric: "connections", from: ${from}, to: ${to}, interval: "1h"`);
    const text = (ms: number) => encodeURIComponent(new Date(ms).toISOString().slice(0, 19).replace('T', ' '));
    expect(paths).toEqual([`/metricdata?metric=connections&from=${text(from)}&to=${text(to)}&interval=3600`]);
    expect(paths[0]).toContain('%20');
  });

  it.each([
    ['"5min"', 300],
    ['"1hour"', 3600],
    ['"2m"', 120],
    ['"1d"', 86400],
    ['90', 90],
  ])('turns interval %s into interval=%i', async (interval, seconds) => {
    const [path] = await sent(rig, `metric: "connections", from: ${hoursAgo(48)}, to: ${to}, interval: ${interval}`);
    expect(new URL(path!, 'https://appliance').searchParams.get('interval')).toBe(String(seconds));
  });

  it('sends several metrics as metric1..N, never comma-joined', async () => {
    const [path] = await sent(rig, `metrics: ["connections", "dnsrequests", "failedconnections"], from: ${from}, to: ${to}, interval: "1h"`);
    expect(path).toBe(`/metricdata?metric1=connections&metric2=dnsrequests&metric3=failedconnections&starttime=${from}&endtime=${to}&interval=3600`);
  });

  it('resolves relative times once and aligns the window to the interval', async () => {
    const before = Date.now();
    const [path] = await sent(rig, 'metric: "connections", from: "now-3h", to: "now-1h", interval: "1h"');
    const after = Date.now();
    const params = new URL(path!, 'https://appliance').searchParams;
    const [start, end] = [Number(params.get('starttime')), Number(params.get('endtime'))];
    expect(start % 3_600_000).toBe(0);
    expect(end % 3_600_000).toBe(0);
    // Widened outwards to whole hours: it covers what was asked and at most one hour more on each side.
    expect(start).toBeLessThanOrEqual(before - 3 * 3_600_000);
    expect(start).toBeGreaterThan(after - 4 * 3_600_000);
    expect(end).toBeGreaterThanOrEqual(after - 3_600_000);
    expect(end).toBeLessThan(before);
  });

  it('leaves interval out when none is asked, and reports the appliance default of 60 s', async () => {
    rig.emulator.reset();
    const response = await gql(rig.gateway, `{ metricData(source: "dt", metric: "connections", from: "${iso(from)}", to: "${iso(from + 600_000)}") { interval timestamps } }`);
    expect(rig.emulator.rawPaths('/metricdata')[0]).not.toContain('interval=');
    expect(response.data!.metricData[0].interval).toBe('1m');
    expect(response.data!.metricData[0].timestamps).toHaveLength(10);
  });

  it('passes false booleans through as false', async () => {
    const [path] = await sent(rig, `metric: "connections", from: ${from}, to: ${to}, interval: "1h", darktrace: { breachtimes: false, fulldevicedetails: false }`);
    expect(path).toMatch(/&breachtimes=false&fulldevicedetails=false$/);
  });

  it('pushes generic label filters upstream as the matching parameters', async () => {
    const paths = await sent(
      rig,
      `metric: "connections", from: ${from}, to: ${to}, interval: "1h",
       filters: [{ key: "destinationport", values: ["443"] }, { key: "protocol", values: ["6"] }, { key: "did", values: ["${dids[3]}"] }]`,
      'labels { key value }',
    );
    expect(paths).toEqual([`/metricdata?metric=connections&starttime=${from}&endtime=${to}&interval=3600&did=${dids[3]}&destinationport=443&protocol=6`]);
  });

  it('labels each series with the filters that narrowed it', async () => {
    rig.emulator.reset();
    const response = await gql(rig.gateway, `{ metricData(source: "dt", metric: "connections", from: ${from}, to: ${to}, interval: "1h", darktrace: { did: ${dids[5]}, port: 22 }) { labels { key value } label(key: "port") } }`);
    expect(response.data!.metricData).toEqual([{ labels: [{ key: 'did', value: String(dids[5]) }, { key: 'port', value: '22' }], label: '22' }]);
  });
});
