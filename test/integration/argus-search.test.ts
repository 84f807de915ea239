import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../helpers/gateway.js';
import { ARGUS_NOW, HOUR, bodies, startArgusGateway, storedRecords, window, type ArgusSetup } from '../helpers/argus.js';

const SEARCH = '/metrics/v1/metric/netstats/search';

/** metricData on an Argus source: what is sent to the search endpoint and what comes back as series. */
describe('Argus search behind metricData', () => {
  let setup: ArgusSetup;
  beforeAll(async () => {
    setup = await startArgusGateway();
  });
  afterAll(() => setup.close());

  const range = window(1);

  it('sends the range, every record (limit 0) and the API key; records become one series per key values and value', async () => {
    setup.argus.server.resetCount();
    const response = await gql(setup.gateway, `{
      metricData(source: "argus", metric: "netstats", from: "${range.from}", to: "${range.to}") {
        source metric upstreamMetric unit labels { key value } timestamps values
      }
    }`);
    expect(response.errors).toBeUndefined();
    const [request] = setup.argus.server.requests;
    expect(request!.method).toBe('POST');
    expect(request!.rawPath).toBe(SEARCH);
    expect(request!.headers['argus-api-key']).toBe('argus-demo-key');
    expect(JSON.parse(request!.body)).toEqual({ startTimestamp: range.fromMs, endTimestamp: range.toMs - 1, limit: 0 });

    const series = response.data!.metricData as Array<Record<string, any>>;
    // 4 customers x 3 addresses x 3 VLANs, each with packages and frames.
    expect(series).toHaveLength(72);
    const records = storedRecords(setup.argus, 'netstats', range.fromMs, range.toMs);
    const first = series.find((s) => s.metric === 'netstats.packages' && s.labels.some((l: any) => l.key === 'ipAddress' && l.value === '10.2.1.3'))!;
    expect(first).toMatchObject({ source: 'argus', upstreamMetric: 'netstats', unit: 'packets' });
    expect(first.labels).toEqual([
      { key: 'customer', value: 'globex' },
      { key: 'ipAddress', value: '10.2.1.3' },
      { key: 'vlan', value: '20' },
    ]);
    const own = records.filter((record) => record.keys.ipAddress === '10.2.1.3');
    expect(first.timestamps).toEqual(own.map((record) => record.timestamp));
    expect(first.values).toEqual(own.map((record) => record.values.packages));
  });

  it('passes keys, customer, subCriteria, sortBy, limit and offset as given', async () => {
    setup.argus.server.resetCount();
    const response = await gql(setup.gateway, `{
      metricData(source: "argus", metric: "netstats.frames", from: "${range.from}", to: "${range.to}",
        argus: { keys: { vlan: 30 }, customer: ["initech", "umbrella"], subCriteria: [{ keys: { ipAddress: "10.3.2.1" } }, { keys: { ipAddress: "10.4.2.2" } }],
                 sortBy: ["-frames"], limit: 20, offset: 2 }) {
        labels { key value } values
      }
    }`);
    expect(response.errors).toBeUndefined();
    expect(bodies(setup.argus, SEARCH)).toEqual([
      {
        startTimestamp: range.fromMs,
        endTimestamp: range.toMs - 1,
        limit: 20,
        offset: 2,
        keys: { vlan: 30 },
        customer: ['initech', 'umbrella'],
        subCriteria: [{ keys: { ipAddress: '10.3.2.1' } }, { keys: { ipAddress: '10.4.2.2' } }],
        sortBy: ['-frames'],
      },
    ]);
    // Records 3..22 of the 24 that match, biggest frames first, grouped back into two series.
    const matching = storedRecords(setup.argus, 'netstats', range.fromMs, range.toMs)
      .filter((record) => ['10.3.2.1', '10.4.2.2'].includes(record.keys.ipAddress as string))
      .sort((a, b) => b.values.frames! - a.values.frames! || a.timestamp - b.timestamp)
      .slice(2, 22);
    const got = (response.data!.metricData as Array<{ values: number[] }>).flatMap((s) => s.values).sort((a, b) => a - b);
    expect(got).toEqual(matching.map((record) => record.values.frames!).sort((a, b) => a - b));
  });

  it('pushes filters Argus can apply into the search and applies the rest itself', async () => {
    setup.argus.server.resetCount();
    const response = await gql(setup.gateway, `{
      metricData(source: "argus", metric: "netstats.packages", from: "${range.from}", to: "${range.to}", filters: [
        { key: "customer", values: ["acme"] }, { key: "vlan", values: ["20"] },
        { key: "ipAddress", values: ["10.1.1.2"], exclude: true }
      ]) { labels { key value } }
    }`);
    expect(bodies(setup.argus, SEARCH)[0]).toMatchObject({ customer: ['acme'], keys: { vlan: 20 } });
    expect(bodies(setup.argus, SEARCH)[0]).not.toHaveProperty('ipAddress');
    const addresses = (response.data!.metricData as Array<{ labels: Array<{ key: string; value: string }> }>).map((s) => s.labels.find((l) => l.key === 'ipAddress')!.value);
    expect(addresses).toEqual(['10.1.1.1', '10.1.1.3']);
  });

  it('resamples onto the interval with each value default function (sum for counts, avg and max for the sensors)', async () => {
    const hours = window(2);
    const response = await gql(setup.gateway, `{
      packages: metricData(source: "argus", metric: "netstats.packages", from: "${hours.from}", to: "${hours.to}", interval: "1h",
        filters: [{ key: "ipAddress", values: ["10.1.0.1"] }]) { interval timestamps values }
      sensors: metricData(source: "argus", metrics: ["sensorload.eventsPerSecond", "sensorload.cpuPercent"], from: "${hours.from}", to: "${hours.to}", interval: "1h",
        filters: [{ key: "sensor", values: ["acme-sensor-1"] }]) { metric timestamps values }
    }`);
    expect(response.errors).toBeUndefined();
    const stored = (shortName: string, hour: number) =>
      storedRecords(setup.argus, shortName, ARGUS_NOW - (2 - hour) * HOUR, ARGUS_NOW - (1 - hour) * HOUR);
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    const packages = [0, 1].map((hour) => sum(stored('netstats', hour).filter((r) => r.keys.ipAddress === '10.1.0.1').map((r) => r.values.packages!)));
    expect(response.data!.packages).toEqual([{ interval: '1h', timestamps: [hours.fromMs, hours.fromMs + HOUR], values: packages }]);
    const sensor = (hour: number) => stored('sensorload', hour).filter((r) => r.keys.sensor === 'acme-sensor-1');
    const [events, cpu] = response.data!.sensors as Array<{ metric: string; values: number[] }>;
    expect(events!.metric).toBe('sensorload.eventsPerSecond');
    expect(events!.values[0]).toBeCloseTo(sum(sensor(0).map((r) => r.values.eventsPerSecond!)) / 12, 9);
    expect(cpu!.metric).toBe('sensorload.cpuPercent');
    expect(cpu!.values).toEqual([0, 1].map((hour) => Math.max(...sensor(hour).map((r) => r.values.cpuPercent!))));
  });

  it('sends one search for several fields that need the same records', async () => {
    setup.argus.server.resetCount();
    const response = await gql(setup.gateway, `{
      a: metricData(source: "argus", metric: "netstats.packages", from: "${range.from}", to: "${range.to}") { metric }
      b: metricData(source: "argus", metric: "netstats.frames", from: "${range.from}", to: "${range.to}") { metric }
      c: metricData(source: "argus", metrics: ["netstats.frames", "sensorload"], from: "${range.from}", to: "${range.to}") { metric }
    }`);
    expect(response.errors).toBeUndefined();
    expect(setup.argus.server.count(SEARCH)).toBe(1);
    expect(setup.argus.server.count('/metrics/v1/metric/sensorload/search')).toBe(1);
    expect(new Set((response.data!.c as Array<{ metric: string }>).map((s) => s.metric))).toEqual(
      new Set(['netstats.frames', 'sensorload.eventsPerSecond', 'sensorload.cpuPercent']),
    );
  });

  it('answers a global descriptor without customer labels', async () => {
    const day = window(6);
    const response = await gql(setup.gateway, `{
      metricData(source: "argus", metric: "threatfeed", from: "${day.from}", to: "${day.to}") { labels { key value } values }
    }`);
    const series = response.data!.metricData as Array<{ labels: Array<{ key: string; value: string }>; values: number[] }>;
    expect(series.map((s) => s.labels)).toEqual([[{ key: 'feed', value: 'abuse.ch' }], [{ key: 'feed', value: 'mnemonic-intel' }], [{ key: 'feed', value: 'spamhaus' }]]);
    expect(series[0]!.values).toHaveLength(6);
  });

  it('lists the configured descriptors and each of their values in metrics discovery', async () => {
    const response = await gql(setup.gateway, '{ metrics(source: "argus") { source name upstreamName unit description } }');
    const names = (response.data!.metrics as Array<{ name: string }>).map((metric) => metric.name);
    expect(names).toEqual([
      'netstats', 'netstats.packages', 'netstats.frames',
      'sensorload', 'sensorload.eventsPerSecond', 'sensorload.cpuPercent',
      'threatfeed', 'threatfeed.indicators',
    ]);
    expect((response.data!.metrics as Array<Record<string, unknown>>)[1]).toEqual({
      source: 'argus',
      name: 'netstats.packages',
      upstreamName: 'netstats',
      unit: 'packets',
      description: 'packages of Argus descriptor netstats, per customer, by ipAddress (ip), vlan (integer); default function sum',
    });
    const search = await gql(setup.gateway, '{ metrics(source: "argus", search: "global") { name } }');
    expect(search.data!.metrics).toEqual([{ name: 'threatfeed' }, { name: 'threatfeed.indicators' }]);
  });

  it('reports the source healthy after a one-record search', async () => {
    setup.argus.server.resetCount();
    const response = await gql(setup.gateway, '{ sources { id kind healthy message } }');
    expect(response.data!.sources).toContainEqual({ id: 'argus', kind: 'ARGUS', healthy: true, message: '3 descriptor(s) configured; API key accepted' });
    expect(bodies(setup.argus, SEARCH)[0]).toMatchObject({ limit: 1 });
  });
});

describe('Argus search with the cache on', () => {
  let setup: ArgusSetup;
  beforeAll(async () => {
    setup = await startArgusGateway({ source: { cacheTtl: { open: '1m', closed: '1h' } } });
  });
  afterAll(() => setup.close());

  it('answers a repeated closed window from the cache', async () => {
    const range = window(3, 2);
    const query = `{ metricData(source: "argus", metric: "netstats.packages", from: "${range.from}", to: "${range.to}", argus: { customer: ["acme"] }) { values } }`;
    const first = await gql(setup.gateway, query);
    const second = await gql(setup.gateway, query);
    expect(second.data).toEqual(first.data);
    expect(setup.argus.server.count(SEARCH)).toBe(1);
  });
});
