import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EMULATOR_TOKENS, DarktraceEmulator } from '../../src/emulators/darktrace/emulator.js';
import type { Gateway } from '../../src/gateway.js';
import { startArgusGateway, window, type ArgusSetup } from '../helpers/argus.js';
import { read, track } from '../helpers/collector.js';
import { EMULATOR_CA_FILE } from '../helpers/darktrace.js';
import { gql, startGateway } from '../helpers/gateway.js';
import { rawSse } from '../helpers/streams.js';

/**
 * Demand control against the queries that froze or killed the gateway (issue 21): points sized
 * from range / interval are estimated before any source is asked and refused over the budget,
 * with a message that says how to fit; answers carry `extensions.cost`.
 */
describe('point explosion', () => {
  let emulator: DarktraceEmulator;
  let gateway: Gateway;
  const FIELD_BUDGET = 500_000;

  beforeAll(async () => {
    emulator = await DarktraceEmulator.start();
    gateway = await startGateway({
      sources: [{ id: 'native', kind: 'native' }, { id: 'dt', kind: 'darktrace', url: emulator.url, ...EMULATOR_TOKENS, caFile: EMULATOR_CA_FILE } as never],
    });
    const stored = await track(gateway, '/metrics/track/batch', ['a', 'b', 'c'].map((host) => ({ name: 'cpu', value: 1, labels: { host } })));
    expect(stored.body.failed).toBe(0);
  });
  afterAll(async () => {
    await gateway?.close();
    await emulator?.close();
  });

  const refusals: Array<[what: string, query: string]> = [
    ['metricData at 1s over a year', '{ metricData(source: "native", metric: "cpu", from: "now-1y", interval: "1s") { values } }'],
    ['metricData at 1ms over a year', '{ metricData(source: "native", metric: "cpu", from: "now-1y", interval: "1ms") { points { timestamp value } } }'],
    ['trend at 1s over a year', '{ trend(source: "native", metric: "cpu", from: "now-1y", interval: "1s") { direction } }'],
    ['aggregate at 1s over 30 days', '{ aggregate(source: "native", metric: "cpu", function: AVG, groupBy: ["host"], from: "now-30d", interval: "1s") { value } }'],
    ['Darktrace metricData at 1s over 30 days', '{ metricData(source: "dt", metric: "connections", from: "now-30d", interval: "1s") { values } }'],
    ['Darktrace trend at 1s over 30 days', '{ trend(source: "dt", metric: "connections", from: "now-30d", interval: "1s") { direction } }'],
  ];

  it.each(refusals)('refuses %s before any source is asked, with BAD_USER_INPUT naming the budget and an interval that fits', async (_, query) => {
    emulator.reset();
    const response = await gql(gateway, query);
    expect(response.status).toBe(200);
    expect(response.errors).toHaveLength(1);
    const [error] = response.errors!;
    expect(error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', cost: { budget: 'limits.demand.maxPointsPerField', max: FIELD_BUDGET } });
    expect(error!.extensions!.cost.estimated).toBeGreaterThan(FIELD_BUDGET);
    expect(error!.message).toMatch(/would (build|count) about \d+ points .*limits\.demand\.maxPointsPerField is 500000\. To fit, use an interval of at least \w+ or a shorter range/);
    expect((response as any).extensions.cost).toMatchObject({ estimated: 0, actual: 0, result: 'COST_ESTIMATED_TOO_EXPENSIVE', fields: {} });
    expect(emulator.count('/metricdata')).toBe(0);
    // The process is still serving.
    expect((await read(gateway, '/health')).status).toBe(200);
  });

  it('answers at the interval the refusal suggests, with the estimate and the actual count in extensions.cost', async () => {
    const asked = (interval: string) => `{ metricData(source: "native", metric: "cpu", from: "now-1y", interval: "${interval}") { values } }`;
    const refused = await gql(gateway, asked('1m'));
    // docs/demand-control.md shows this query and this refusal.
    const manual = readFileSync(new URL('../../docs/demand-control.md', import.meta.url), 'utf8');
    expect(manual).toContain(asked('1m'));
    const shown = JSON.parse(/```json\n([\s\S]*?)```/.exec(manual)![1]!);
    // A year at 1m is 525,600 or 525,601 buckets, as `now` falls on a minute boundary or not.
    const anyYear = (value: unknown) =>
      JSON.parse(JSON.stringify(value), (_, item: unknown) =>
        item === 1_576_800 || item === 1_576_803 ? '3N' : typeof item === 'string' ? item.replace(/\b52560[01]\b/g, 'N').replace(/\b157680[03]\b/g, '3N') : item,
      );
    expect(anyYear({ errors: refused.errors, data: refused.data })).toEqual(anyYear(shown));
    const suggested = refused.errors![0]!.extensions!.cost.suggestedInterval as string;
    // Three series over a year within 500,000 points: 5m (3 x 105,121) is the smallest round step.
    expect(suggested).toBe('5m');
    const answered = await gql(gateway, asked(suggested));
    expect(answered.errors).toBeUndefined();
    const points = answered.data!.metricData.reduce((sum: number, series: { values: unknown[] }) => sum + series.values.length, 0);
    expect(answered.data!.metricData).toHaveLength(3);
    expect((answered as any).extensions.cost).toEqual({
      unit: 'points',
      estimated: points,
      actual: points,
      max: 500_000,
      result: 'COST_OK',
      fields: { metricData: { estimated: points, actual: points, max: FIELD_BUDGET } },
    });
  });
});

describe('demand budgets set small', () => {
  let setup: ArgusSetup;
  const demand = { maxPointsPerField: 1000, maxPointsPerRequest: 1500 };

  beforeAll(async () => {
    setup = await startArgusGateway({ config: { limits: { demand } as never } });
    const stored = await track(setup.gateway, '/metrics/track/batch', [
      { name: 'busy', value: 1 },
      ...['acme', 'globex', 'initech'].map((customer) => ({ name: 'usage', type: 'counter', value: 5, labels: { customer } })),
    ]);
    expect(stored.body.failed).toBe(0);
  });
  afterAll(() => setup?.close());

  it('adds aliased fields up against the per-request budget: the field that goes over is refused, the other answers', async () => {
    // 16 hours at 1m is 961 points: each alias fits the field budget, both do not fit the request's.
    const field = (alias: string) => `${alias}: metricData(source: "native", metric: "busy", from: "now-16h", interval: "1m") { values }`;
    const response = await gql(setup.gateway, `{ ${field('first')} ${field('second')} }`);
    expect(response.errors).toHaveLength(1);
    const [error] = response.errors!;
    expect(error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', cost: { budget: 'limits.demand.maxPointsPerRequest', max: 1500 } });
    expect(error!.message).toMatch(/already taken by other fields of this request\)\. To fit, use an interval of at least 5m/);
    const answered = error!.path![0] === 'first' ? 'second' : 'first';
    expect(response.data![answered]).toHaveLength(1);
    expect(response.data![error!.path![0] as string]).toBeNull();
    expect((response as any).extensions.cost).toMatchObject({ result: 'COST_ESTIMATED_TOO_EXPENSIVE', max: 1500 });
  });

  it('counts series it can know: the native store\'s matching series, before asking', async () => {
    // One series at 1m over 16h fits; three (one per customer) do not.
    const asked = (metric: string) => `{ metricData(source: "native", metric: "${metric}", from: "now-16h", interval: "1m") { values } }`;
    expect((await gql(setup.gateway, asked('busy'))).errors).toBeUndefined();
    const refused = await gql(setup.gateway, asked('usage'));
    expect(refused.errors![0]!.message).toMatch(/^metricData would build about \d+ points \(3 series x \d+ points over 16h at 1m\)/);
    expect(refused.errors![0]!.extensions!.cost.suggestedInterval).toBe('5m');
  });

  it('counts the groups an aggregation answers with, and the resampled series a trend reads', async () => {
    const ask = (field: string) => gql(setup.gateway, `{ ${field}(source: "native", metric: "usage", from: "now-16h", interval: "1m"${field === 'aggregate' ? ', function: SUM' : ''}) { labels { key value } } }`);
    // No groupBy: one group of 962 points (buckets and the whole-range value) out of three series.
    const whole = await ask('aggregate');
    expect(whole.errors).toBeUndefined();
    expect((whole as any).extensions.cost.estimated).toBeLessThanOrEqual(962);
    const perCustomer = await gql(setup.gateway, '{ aggregate(source: "native", metric: "usage", function: SUM, groupBy: ["customer"], from: "now-16h", interval: "1m") { value } }');
    expect(perCustomer.errors![0]!.message).toMatch(/^aggregate would build about \d+ points \(3 series x 96\d points over 16h at 1m\)/);
    // A trend answers one group too, but reads every series at the interval first.
    const trend = await ask('trend');
    expect(trend.errors![0]!.message).toMatch(/^trend would build about \d+ points \(3 series x 96\d points over 16h at 1m\)/);
  });

  it('refuses an allocation over more days than fit, saying a shorter range helps', async () => {
    const response = await gql(setup.gateway, `{ allocation(input: { source: "native", metric: "usage", amount: "100", segmentBy: "customer",
      strategy: PROPORTIONAL_ON, from: "now-365d/d", to: "now/d" }) { total } }`);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from', cost: { budget: 'limits.demand.maxPointsPerField' } });
    expect(response.errors![0]!.message).toMatch(/To fit, use a shorter range or filters that match fewer series$/);
  });

  it('refuses a stream whose backfill would not fit', async () => {
    // Raw native series hold at most maxPointsPerSeries (1,000) points: one fits, three do not.
    const open = (metric: string) => rawSse(`${setup.gateway.url}/graphql`, `subscription { metricStream(source: "native", metric: "${metric}", backfill: "1d") { backfill } }`);
    const refused = await open('usage');
    await refused.ended;
    expect(refused.text()).toMatch(/"code":"BAD_USER_INPUT","field":"backfill"/);
    expect(refused.text()).toMatch(/metricStream would build about 3000 points \(3 series x 1000 points over 1d of raw points\); limits\.demand\.maxPointsPerField is 1000/);
    const streaming = await open('busy');
    await vi.waitFor(() => expect(streaming.text()).toMatch(/"backfill":true/), { timeout: 10_000 });
    streaming.abort();
    await streaming.ended;
  });

  it('refuses an Argus query before Argus is asked', async () => {
    setup.argus.server.resetCount();
    const { from, to } = window(16);
    const query = `{ metricData(source: "argus", metric: "netstats.packages", from: "${from}", to: "${to}", interval: "30s") { values } }`;
    const response = await gql(setup.gateway, query);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', source: 'argus', cost: { estimated: 1920, suggestedInterval: '1m' } });
    expect(setup.argus.server.count()).toBe(0);
  });

  it('refuses an answer with more points than its field budget when the estimate could not know the series (the hard guard)', async () => {
    // Argus cannot count series before it is asked: one per metric is assumed, and it answers with one per key.
    const { from, to } = window(16);
    const response = await gql(setup.gateway, `{ metricData(source: "argus", metric: "netstats.packages", from: "${from}", to: "${to}", interval: "1m") { values } }`);
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.message).toMatch(/^metricData: the answer holds \d+ points, more than estimated \(960\); limits\.demand\.maxPointsPerField is 1000/);
    expect((response as any).extensions.cost).toMatchObject({ result: 'COST_ACTUAL_TOO_EXPENSIVE' });
  });
});
