import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../helpers/gateway.js';
import { hoursAgo, startDarktraceRig, type DarktraceRig } from '../helpers/darktrace.js';

/** Query.metrics reads the appliance's /metrics (names, labels, units), once per descriptorsTtl. */
describe('Darktrace metric discovery', () => {
  let rig: DarktraceRig;

  beforeAll(async () => {
    rig = await startDarktraceRig({ descriptorsTtl: '1h' });
  });
  afterAll(() => rig.close());

  it('lists the appliance metrics with their units and labels, read once and then cached', async () => {
    rig.emulator.reset();
    const response = await gql(rig.gateway, '{ metrics(source: "dt") { source name unit description } }');
    expect(response.errors).toBeUndefined();
    const metrics = response.data!.metrics as Array<{ name: string; unit: string | null; description: string }>;
    expect(metrics.map((metric) => metric.name)).toEqual([
      'activeconnections', 'anomalyscore', 'connections', 'datatransfervolume', 'dnsrequests',
      'externalclientdatatransfervolume', 'externalconnections', 'failedconnections', 'internalconnections',
    ]);
    expect(metrics.find((metric) => metric.name === 'externalclientdatatransfervolume')).toEqual({
      source: 'dt', name: 'externalclientdatatransfervolume', unit: 'bytes', description: 'External Data Volume as a Client',
    });
    expect(metrics.find((metric) => metric.name === 'connections')!.unit).toBeNull();

    await gql(rig.gateway, '{ metrics(source: "dt", search: "external") { name } }');
    await gql(rig.gateway, `{ metricData(source: "dt", metric: "datatransfervolume", from: ${hoursAgo(2)}, to: ${hoursAgo(1)}, interval: "1h") { unit } }`);
    expect(rig.emulator.count('/metrics')).toBe(1);
  });

  it('searches names and labels', async () => {
    const response = await gql(rig.gateway, '{ metrics(source: "dt", search: "data volume") { name } }');
    expect(response.data!.metrics).toEqual([{ name: 'externalclientdatatransfervolume' }]);
  });

  it('puts the unit on the series', async () => {
    const response = await gql(rig.gateway, `{ metricData(source: "dt", metrics: ["datatransfervolume", "anomalyscore", "connections"], from: ${hoursAgo(2)}, to: ${hoursAgo(1)}, interval: "1h") { metric unit } }`);
    expect(response.data!.metricData).toEqual([
      { metric: 'datatransfervolume', unit: 'bytes' },
      { metric: 'anomalyscore', unit: '%' },
      { metric: 'connections', unit: null },
    ]);
  });

  it('refuses a metric the appliance does not have before asking /metricdata, suggesting close names', async () => {
    rig.emulator.reset();
    const response = await gql(rig.gateway, `{ metricData(source: "dt", metric: "conections", from: ${hoursAgo(2)}, to: ${hoursAgo(1)}) { values } }`);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', source: 'dt', field: 'metric' });
    expect(response.errors![0]!.message).toBe(`dt has no metric 'conections'; Query.metrics(source: "dt") lists the 9 it has; did you mean connections?`);
    expect(rig.emulator.count('/metricdata')).toBe(0);
  });

  it('still queries, without units, when /metrics cannot be read', async () => {
    const fresh = await startDarktraceRig();
    try {
      fresh.emulator.inject({ status: 503, times: 10, match: (request) => request.url.pathname === '/metrics' });
      const query = `{ metricData(source: "dt", metric: "datatransfervolume", from: ${hoursAgo(2)}, to: ${hoursAgo(1)}, interval: "1h") { unit values } }`;
      const response = await gql(fresh.gateway, query);
      expect(response.errors).toBeUndefined();
      expect(response.data!.metricData).toEqual([{ unit: null, values: [expect.any(Number)] }]);
      expect(fresh.emulator.count('/metrics')).toBe(3);
      // The failure is remembered for a while: the next query does not wait on /metrics again.
      await gql(fresh.gateway, query);
      expect(fresh.emulator.count('/metrics')).toBe(3);
      expect(fresh.emulator.count('/metricdata')).toBe(2);
    } finally {
      await fresh.close();
    }
  });
});
