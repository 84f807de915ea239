import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../helpers/gateway.js';
import { hoursAgo, startDarktraceRig, type DarktraceRig } from '../helpers/darktrace.js';

/** A dashboard's aliased fields on one Darktrace window become one /metricdata call. */
describe('Darktrace batching', () => {
  let rig: DarktraceRig;
  const from = hoursAgo(12);
  const to = hoursAgo(0);

  beforeAll(async () => {
    rig = await startDarktraceRig();
    // Warm the metric list so the counts below are about /metricdata only.
    await gql(rig.gateway, '{ metrics(source: "dt") { name } }');
  });
  afterAll(() => rig.close());

  it('sends N aliased fields on the same window and filters as one call with metric1..N', async () => {
    rig.emulator.reset();
    const window = `from: ${from}, to: ${to}, interval: "1h"`;
    const response = await gql(rig.gateway, `{
      conns: metricData(source: "dt", metric: "connections", ${window}) { metric unit values inbound outbound }
      bytes: metricData(source: "dt", metric: "datatransfervolume", ${window}) { metric unit values }
      dns: metricData(source: "dt", metric: "dnsrequests", ${window}) { metric values }
      both: metricData(source: "dt", metrics: ["failedconnections", "connections"], ${window}) { metric values }
    }`);
    expect(response.errors).toBeUndefined();
    expect(rig.emulator.count('/metricdata')).toBe(1);
    expect(rig.emulator.rawPaths('/metricdata')).toEqual([
      `/metricdata?metric1=connections&metric2=datatransfervolume&metric3=dnsrequests&metric4=failedconnections&starttime=${from}&endtime=${to}&interval=3600`,
    ]);

    const data = response.data!;
    expect(data.conns.map((s: { metric: string }) => s.metric)).toEqual(['connections']);
    expect(data.bytes[0]).toMatchObject({ metric: 'datatransfervolume', unit: 'bytes' });
    expect(data.both.map((s: { metric: string }) => s.metric)).toEqual(['failedconnections', 'connections']);
    expect(data.both[1].values).toEqual(data.conns[0].values);
    expect(data.conns[0].values).toHaveLength(12);
    // value is size, which is in + out; both parts are kept.
    data.conns[0].values.forEach((value: number, i: number) => {
      expect(value).toBe(data.conns[0].inbound[i] + data.conns[0].outbound[i]);
    });
  });

  it('makes separate calls for fields whose window, interval or filters differ', async () => {
    rig.emulator.reset();
    await gql(rig.gateway, `{
      a: metricData(source: "dt", metric: "connections", from: ${from}, to: ${to}, interval: "1h") { metric }
      b: metricData(source: "dt", metric: "dnsrequests", from: ${from}, to: ${to}, interval: "1h") { metric }
      c: metricData(source: "dt", metric: "connections", from: ${from}, to: ${to}, interval: "30m") { metric }
      d: metricData(source: "dt", metric: "connections", from: ${from}, to: ${to}, interval: "1h", darktrace: { port: 443 }) { metric }
    }`);
    const paths = rig.emulator.rawPaths('/metricdata').sort();
    expect(paths).toHaveLength(3);
    expect(paths).toContain(`/metricdata?metric1=connections&metric2=dnsrequests&starttime=${from}&endtime=${to}&interval=3600`);
    expect(paths).toContain(`/metricdata?metric=connections&starttime=${from}&endtime=${to}&interval=1800`);
    expect(paths).toContain(`/metricdata?metric=connections&starttime=${from}&endtime=${to}&interval=3600&port=443`);
  });

  it('fails only the field with bad input and still sends the others in one call', async () => {
    rig.emulator.reset();
    const response = await gql(rig.gateway, `{
      good: metricData(source: "dt", metric: "connections", from: ${from}, to: ${to}, interval: "1h") { metric }
      bad: metricData(source: "dt", metric: "connections", from: ${from}, to: ${to}, interval: "1h", darktrace: { port: 70000 }) { metric }
      alsoGood: metricData(source: "dt", metric: "dnsrequests", from: ${from}, to: ${to}, interval: "1h") { metric }
    }`);
    expect(response.data).toEqual({ good: [{ metric: 'connections' }], bad: null, alsoGood: [{ metric: 'dnsrequests' }] });
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]).toMatchObject({ path: ['bad'], extensions: { code: 'BAD_USER_INPUT', source: 'dt' } });
    expect(rig.emulator.count('/metricdata')).toBe(1);
  });
});
