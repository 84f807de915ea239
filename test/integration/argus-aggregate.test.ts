import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregate as computeLocally, type AggregateGroup, type AggregateSpec } from '../../src/core/aggregate.js';
import { BadUserInputError } from '../../src/core/errors.js';
import { labelsKey, type Labels, type Series } from '../../src/core/series.js';
import { validateConfig } from '../../src/config/load.js';
import { argusFaults, startArgusEmulator, type ArgusEmulator } from '../../src/emulators/argus/index.js';
import { argusSourceFor } from '../../src/emulators/argus/source-config.js';
import type { ArgusSource } from '../../src/sources/argus/adapter.js';
import type { ArgusSourceConfig } from '../../src/sources/argus/config.js';
import { createArgusSource } from '../../src/sources/argus/create.js';
import type { AggregateQuery } from '../../src/sources/source.js';
import { GatewayMetrics } from '../../src/telemetry/metrics.js';
import { gql } from '../helpers/gateway.js';
import { ARGUS_NOW, HOUR, bodies, silentLog, startArgusGateway, storedRecords, window, type ArgusSetup } from '../helpers/argus.js';

const AGGREGATE = '/metrics/v1/metric/netstats/aggregate';
const ctx = { log: silentLog };
const lastHour = { from: ARGUS_NOW - HOUR, to: ARGUS_NOW };
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/**
 * The Argus aggregate push-down, called on the adapter against the emulator over HTTPS. Every
 * answer is checked against numbers worked out from the emulator's records, and against the
 * gateway's own aggregation of the same source's search results: both ways must agree.
 */
describe('Argus aggregate push-down', () => {
  let argus: ArgusEmulator;
  let source: ArgusSource;

  beforeAll(async () => {
    argus = await startArgusEmulator({ now: ARGUS_NOW });
    const config = validateConfig({ sources: [argusSourceFor(argus.url)] }, 'test', {}).sources[0] as ArgusSourceConfig;
    source = createArgusSource(config, { log: silentLog, metrics: new GatewayMetrics() });
  });
  afterAll(async () => {
    await source.close();
    await argus.close();
  });

  function query(overrides: Partial<AggregateQuery>): AggregateQuery {
    return { metric: 'netstats.packages', fn: 'sum', groupBy: [], range: lastHour, filters: [], ...overrides };
  }

  /** What the gateway computes when nothing is pushed down: raw search series through core aggregation. */
  async function local(q: AggregateQuery): Promise<AggregateGroup[]> {
    const base = { range: q.range, filters: q.filters, ...(q.params ? { params: q.params } : {}) };
    const [series] = (await source.query([{ ...base, metrics: [q.metric] }], ctx)) as Series[][];
    const spec: AggregateSpec = { fn: q.fn, groupBy: q.groupBy, range: q.range };
    if (q.limit !== undefined) spec.limit = q.limit;
    if (q.intervalMs !== undefined) spec.intervalMs = q.intervalMs;
    if (q.fn === 'wavg') {
      const [weights] = (await source.query([{ ...base, metrics: [q.weightBy!] }], ctx)) as Series[][];
      const table = new Map<string, number>();
      for (const s of weights!) s.timestamps.forEach((t, i) => table.set(`${labelsKey(s.labels)}@${t}`, s.values[i]!));
      spec.weight = (labels: Labels, t: number) => table.get(`${labelsKey(labels)}@${t}`);
    }
    return computeLocally(series!, spec);
  }

  function expectSameGroups(pushed: AggregateGroup[] | undefined, computed: AggregateGroup[]): void {
    expect(pushed).toBeDefined();
    expect(pushed!.map((g) => [g.labels, g.others, g.seriesCount])).toEqual(computed.map((g) => [g.labels, g.others, g.seriesCount]));
    pushed!.forEach((group, i) => {
      const expected = computed[i]!;
      if (expected.value === null) expect(group.value).toBeNull();
      else expect(group.value).toBeCloseTo(expected.value, 6);
      expect(group.buckets?.timestamps).toEqual(expected.buckets?.timestamps);
      group.buckets?.values.forEach((value, j) => {
        const want = expected.buckets!.values[j]!;
        if (want === null) expect(value).toBeNull();
        else expect(value).toBeCloseTo(want, 6);
      });
    });
  }

  it('sums per customer with the customer as a grouping flag, counting the series of each group', async () => {
    argus.server.resetCount();
    const groups = await source.aggregate(query({ groupBy: ['customer'] }), ctx);
    const records = storedRecords(argus, 'netstats', lastHour.from, lastHour.to);
    expect(groups).toEqual(
      ['acme', 'globex', 'initech', 'umbrella'].map((customer) => ({
        labels: { customer },
        others: false,
        value: sum(records.filter((r) => r.customer!.shortName === customer).map((r) => r.values.packages!)),
        seriesCount: 9,
      })),
    );
    const [main, perSeries] = bodies(argus, AGGREGATE);
    expect(main).toEqual({
      values: [{ name: 'packages', aggregationFunction: 'sum' }],
      resolution: 0,
      resolutionUnit: 'milliseconds',
      startTimestamp: lastHour.from,
      endTimestamp: lastHour.to - 1,
      includeOthers: false,
      groupByCustomer: true,
    });
    expect(perSeries).toMatchObject({ groupBy: [{ key: 'ipAddress', limit: 10_000 }, { key: 'vlan', limit: 10_000 }], groupByCustomer: true });
  });

  it.each(['sum', 'avg', 'min', 'max'] as const)('computes %s as the gateway would, over the whole range and per bucket', async (fn) => {
    for (const q of [query({ fn }), query({ fn, groupBy: ['vlan'], intervalMs: 15 * 60_000 }), query({ fn, metric: 'sensorload.cpuPercent', groupBy: ['customer'], range: { from: ARGUS_NOW - 6 * HOUR, to: ARGUS_NOW }, intervalMs: HOUR })]) {
      expectSameGroups(await source.aggregate(q, ctx), await local(q));
    }
  });

  it('derives resolution and unit from the interval; averages take a second, unbucketed request', async () => {
    argus.server.resetCount();
    const groups = await source.aggregate(query({ fn: 'avg', groupBy: ['customer', 'ipAddress', 'vlan'], intervalMs: 30 * 60_000, filters: [{ key: 'customer', values: ['acme'], exclude: false }] }), ctx);
    const sent = bodies(argus, AGGREGATE);
    expect(sent.map((body) => [body.resolution, body.resolutionUnit])).toEqual([[30, 'minutes'], [0, 'milliseconds']]);
    expect(sent[0]).toMatchObject({ customer: ['acme'], groupBy: [{ key: 'ipAddress' }, { key: 'vlan' }], groupByCustomer: true });
    expect(groups).toHaveLength(9);
    const one = groups!.find((g) => g.labels.ipAddress === '10.1.2.3')!;
    const records = storedRecords(argus, 'netstats', lastHour.from, lastHour.to).filter((r) => r.keys.ipAddress === '10.1.2.3');
    expect(one.value).toBeCloseTo(sum(records.map((r) => r.values.packages!)) / records.length, 9);
    expect(one.buckets!.timestamps).toEqual([lastHour.from, lastHour.from + 30 * 60_000]);
    expect(one.buckets!.values[1]).toBeCloseTo(sum(records.slice(6).map((r) => r.values.packages!)) / 6, 9);
    expect(one.seriesCount).toBe(1);
  });

  it('weighs wavg by another value of the record, named as a metric, as the gateway would', async () => {
    argus.server.resetCount();
    const q = query({ fn: 'wavg', weightBy: 'netstats.frames', groupBy: ['vlan'] });
    const groups = await source.aggregate(q, ctx);
    expect(bodies(argus, AGGREGATE)[0]!.values).toEqual([{ name: 'packages', aggregationFunction: 'wavg', valueAsWeight: 'frames' }]);
    const records = storedRecords(argus, 'netstats', lastHour.from, lastHour.to).filter((r) => r.keys.vlan === 10);
    expect(groups![0]!.value).toBeCloseTo(sum(records.map((r) => r.values.packages! * r.values.frames!)) / sum(records.map((r) => r.values.frames!)), 9);
    expectSameGroups(groups, await local(q));
  });

  it('refuses WAVG without a weight before anything is sent', async () => {
    argus.server.resetCount();
    await expect(source.aggregate(query({ fn: 'wavg' }), ctx)).rejects.toThrow(BadUserInputError);
    await expect(source.aggregate(query({ fn: 'wavg', weightBy: '  ' }), ctx)).rejects.toMatchObject({ field: 'weightBy', code: 'BAD_USER_INPUT' });
    expect(argus.server.count()).toBe(0);
  });

  it('keeps the top groups by value and merges the rest into "others", as the gateway would', async () => {
    for (const q of [
      query({ groupBy: ['ipAddress'], limit: 3 }),
      query({ fn: 'max', groupBy: ['customer', 'vlan'], limit: 5, intervalMs: 20 * 60_000 }),
      query({ fn: 'wavg', weightBy: 'frames', groupBy: ['ipAddress'], limit: 4, intervalMs: 30 * 60_000 }),
      query({ fn: 'min', groupBy: ['customer'], limit: 10 }),
    ]) {
      const pushed = await source.aggregate(q, ctx);
      const computed = await local(q.fn === 'wavg' ? { ...q, weightBy: 'netstats.frames' } : q);
      expectSameGroups(pushed, computed);
    }
    const top = await source.aggregate(query({ groupBy: ['ipAddress'], limit: 3 }), ctx);
    expect(top).toHaveLength(4);
    expect(top![3]).toMatchObject({ labels: {}, others: true, seriesCount: 33 });
    const total = sum(storedRecords(argus, 'netstats', lastHour.from, lastHour.to).map((r) => r.values.packages!));
    expect(sum(top!.map((g) => g.value!))).toBe(total);
  });

  it('leaves an average with an "others" group to the gateway: Argus gives no record counts to merge averages', async () => {
    argus.server.resetCount();
    expect(await source.aggregate(query({ fn: 'avg', groupBy: ['ipAddress'], limit: 3 }), ctx)).toBeUndefined();
    // Within the limit there is nothing to merge, and Argus's averages stand.
    const within = query({ fn: 'avg', groupBy: ['customer'], limit: 4 });
    expectSameGroups(await source.aggregate(within, ctx), await local(within));
  });

  it('passes customers, keys and subCriteria, and aggregates global metrics without customers', async () => {
    argus.server.resetCount();
    const params = { customer: ['globex', 'initech'], keys: { vlan: 20 }, subCriteria: [{ keys: { ipAddress: '10.2.1.1' }, exclude: true, required: true }] };
    const [group] = (await source.aggregate(query({ params }), ctx))!;
    expect(bodies(argus, AGGREGATE)[0]).toMatchObject(params);
    const records = storedRecords(argus, 'netstats', lastHour.from, lastHour.to).filter(
      (r) => ['globex', 'initech'].includes(r.customer!.shortName) && r.keys.vlan === 20 && r.keys.ipAddress !== '10.2.1.1',
    );
    expect(group).toMatchObject({ labels: {}, value: sum(records.map((r) => r.values.packages!)), seriesCount: 5 });

    argus.server.resetCount();
    const day = { from: ARGUS_NOW - 24 * HOUR, to: ARGUS_NOW };
    const feeds = await source.aggregate(query({ metric: 'threatfeed.indicators', groupBy: ['feed'], range: day, intervalMs: 6 * HOUR }), ctx);
    const sent = bodies(argus, '/metrics/v1/metric/threatfeed/aggregate');
    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toHaveProperty('groupByCustomer');
    expect(sent[0]).not.toHaveProperty('customer');
    expect(sent[0]).toMatchObject({ resolution: 6, resolutionUnit: 'hours', groupBy: [{ key: 'feed', limit: 10_000 }] });
    const spamhaus = storedRecords(argus, 'threatfeed', day.from, day.to).filter((r) => r.keys.feed === 'spamhaus');
    expect(feeds!.find((g) => g.labels.feed === 'spamhaus')).toMatchObject({ value: sum(spamhaus.map((r) => r.values.indicators!)), seriesCount: 1 });
    expect(feeds!.find((g) => g.labels.feed === 'spamhaus')!.buckets!.values).toHaveLength(4);
  });

  it('leaves to the gateway what Argus cannot compute, without sending anything', async () => {
    argus.server.resetCount();
    expect(await source.aggregate(query({ fn: 'median' }), ctx)).toBeUndefined();
    expect(await source.aggregate(query({ fn: 'wavg', weightBy: '3' }), ctx)).toBeUndefined();
    expect(await source.aggregate(query({ filters: [{ key: 'vlan', values: ['10'], exclude: true }] }), ctx)).toBeUndefined();
    expect(argus.server.count()).toBe(0);
  });

  it('names the gateway argument when Argus refuses a field of the aggregate', async () => {
    argus.server.inject({
      status: 412,
      body: { responseCode: 412, limit: 0, offset: 0, count: 0, size: 0, metaData: {}, data: null, messages: [{ type: 'FIELD_ERROR', field: 'values[0].valueAsWeight', message: 'weight must be positive' }] },
    });
    await expect(source.aggregate(query({ fn: 'wavg', weightBy: 'frames' }), ctx)).rejects.toMatchObject({
      code: 'UPSTREAM_BAD_REQUEST',
      field: 'weightBy',
      message: 'argus refused the request (HTTP 412): FIELD_ERROR (values[0].valueAsWeight): weight must be positive',
    });
  });
});

/** Query.aggregate through the gateway: pushed down to Argus, or computed by the gateway when Argus cannot. */
describe('Query.aggregate on an Argus source', () => {
  let setup: ArgusSetup;
  beforeAll(async () => {
    setup = await startArgusGateway();
  });
  afterAll(() => setup.close());
  const range = window(1);

  it('is pushed down and answers per group and bucket', async () => {
    setup.argus.server.resetCount();
    const calls = () => setup.gateway.metrics.count(setup.gateway.metrics.upstreamCalls, { source: 'argus', outcome: 'ok' });
    const callsBefore = await calls();
    const response = await gql(setup.gateway, `{
      aggregate(source: "argus", metric: "netstats.packages", function: SUM, groupBy: ["customer"], limit: 2, interval: "30m",
                from: "${range.from}", to: "${range.to}") {
        labels { key value } others value seriesCount pushedDown buckets { timestamp value }
      }
    }`);
    expect(response.errors).toBeUndefined();
    const groups = response.data!.aggregate as Array<Record<string, any>>;
    expect(groups.map((g) => [g.labels, g.others, g.seriesCount, g.pushedDown])).toEqual([
      [[{ key: 'customer', value: 'umbrella' }], false, 9, true],
      [[{ key: 'customer', value: 'initech' }], false, 9, true],
      [[], true, 18, true],
    ]);
    expect(groups[0]!.buckets.map((b: any) => b.timestamp)).toEqual([range.from, new Date(range.fromMs + 30 * 60_000).toISOString()]);
    expect(setup.argus.server.count(AGGREGATE)).toBe(2);
    expect(setup.argus.server.count('/metrics/v1/metric/netstats/search')).toBe(0);
    // The push-down is one call into the adapter in the gateway's upstream metrics.
    expect(await calls()).toBe(callsBefore + 1);
  });

  it('is computed by the gateway from search results when Argus cannot (MEDIAN)', async () => {
    setup.argus.server.resetCount();
    const response = await gql(setup.gateway, `{
      aggregate(source: "argus", metric: "netstats.packages", function: MEDIAN, groupBy: ["vlan"], from: "${range.from}", to: "${range.to}") {
        labels { key value } value pushedDown
      }
    }`);
    expect(response.errors).toBeUndefined();
    expect(setup.argus.server.count(AGGREGATE)).toBe(0);
    expect(setup.argus.server.count('/metrics/v1/metric/netstats/search')).toBe(1);
    const groups = response.data!.aggregate as Array<{ value: number; pushedDown: boolean }>;
    expect(groups.every((g) => g.pushedDown === false)).toBe(true);
    const vlan10 = storedRecords(setup.argus, 'netstats', range.fromMs, range.toMs).filter((r) => r.keys.vlan === 10).map((r) => r.values.packages!).sort((a, b) => a - b);
    expect(vlan10).toHaveLength(144);
    expect(groups[0]!.value).toBe((vlan10[71]! + vlan10[72]!) / 2);
  });

  it('refuses WAVG without weightBy before calling Argus', async () => {
    setup.argus.server.resetCount();
    const response = await gql(setup.gateway, `{ aggregate(source: "argus", metric: "netstats.packages", function: WAVG, from: "${range.from}", to: "${range.to}") { value } }`);
    expect(response.data).toEqual({ aggregate: null });
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'weightBy' });
    expect(setup.argus.server.count()).toBe(0);
  });

  it('fails only its own field when Argus is down', async () => {
    // Two aggregate requests (groups and series counts), each tried three times.
    setup.argus.server.inject(argusFaults.unavailable({ times: 6, match: (request) => request.url.pathname === AGGREGATE }));
    const response = await gql(setup.gateway, `{
      aggregate(source: "argus", metric: "netstats.packages", function: SUM, from: "${range.from}", to: "${range.to}") { value }
      metricData(source: "argus", metric: "sensorload.cpuPercent", from: "${range.from}", to: "${range.to}", argus: { customer: ["acme"] }) { metric }
    }`);
    expect(response.data!.aggregate).toBeNull();
    expect(response.errors).toEqual([expect.objectContaining({ path: ['aggregate'], extensions: { code: 'UPSTREAM_UNAVAILABLE', source: 'argus', upstreamStatus: 503 } })]);
    expect(response.data!.metricData).toHaveLength(2);
    setup.argus.server.clearFaults();
  });
});
