import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { aggregate as computeLocally, type AggregateGroup, type AggregateSpec } from '../../src/core/aggregate.js';
import type { Series } from '../../src/core/series.js';
import { alignRange, autoStep } from '../../src/core/time.js';
import { startDynatraceEmulator, type DynatraceEmulator } from '../../src/emulators/dynatrace/index.js';
import type { Gateway } from '../../src/gateway.js';
import { DynatraceSource } from '../../src/sources/dynatrace/adapter.js';
import type { DynatraceSourceConfig } from '../../src/sources/dynatrace/config.js';
import type { AggregateQuery } from '../../src/sources/source.js';
import { GatewayMetrics } from '../../src/telemetry/metrics.js';
import { askEmulator, dynatraceSource, paramsOf } from '../helpers/dynatrace.js';
import { gql, startGateway } from '../helpers/gateway.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Monday 2024-01-08, 10:00 UTC: two hours from here are answered in one-minute slots. */
const T0 = Date.parse('2024-01-08T10:00:00Z');
const TWO_HOURS = { from: T0, to: T0 + 2 * HOUR };
const silentLog = pino({ level: 'silent' });
const ctx = { log: silentLog };

/**
 * The Dynatrace aggregate push-down, called on the adapter against the emulator over HTTPS. Each
 * answer is compared with what the gateway computes without it (src/core/aggregate.ts over the
 * same adapter's query() series, read as src/graphql/run-aggregate.ts reads them), and where it is
 * simple enough with numbers worked out from the emulator's own minute data.
 */
describe('Dynatrace aggregate push-down', () => {
  let emulator: DynatraceEmulator;
  let source: DynatraceSource;

  beforeAll(async () => {
    emulator = await startDynatraceEmulator();
    const config = validateConfig({ sources: [dynatraceSource(emulator, { retries: 0 })] }, 'test', {}).sources[0] as DynatraceSourceConfig;
    source = new DynatraceSource('dynatrace', config, { log: silentLog, metrics: new GatewayMetrics() });
  });
  beforeEach(() => emulator.server.clearFaults());
  afterAll(async () => {
    await source.close();
    await emulator.close();
  });

  /** As run-aggregate.ts builds it: without an interval, the raw read is widened to the gateway's automatic step. */
  function query(overrides: Partial<AggregateQuery>): AggregateQuery {
    const q: AggregateQuery = { metric: 'http_requests', fn: 'sum', groupBy: [], range: TWO_HOURS, filters: [], ...overrides };
    return { readRange: q.intervalMs !== undefined ? q.range : alignRange(q.range, autoStep(q.range)), ...q };
  }

  /** What the gateway computes when nothing is pushed down: its raw read of the source, through core aggregation. */
  async function local(q: AggregateQuery): Promise<AggregateGroup[]> {
    const [series] = await source.query([{ metrics: [q.metric], range: q.readRange ?? q.range, filters: q.filters, ...(q.params ? { params: q.params } : {}) }], ctx);
    if (series instanceof Error) throw series;
    const spec: AggregateSpec = { fn: q.fn, groupBy: q.groupBy, range: q.range };
    if (q.percentile !== undefined) spec.percentile = q.percentile;
    if (q.limit !== undefined) spec.limit = q.limit;
    if (q.intervalMs !== undefined) spec.intervalMs = q.intervalMs;
    return computeLocally(series as Series[], spec);
  }

  function expectSameGroups(pushed: AggregateGroup[] | undefined, computed: AggregateGroup[]): void {
    expect(pushed).toBeDefined();
    expect(pushed!.map((g) => [g.labels, g.others, g.seriesCount])).toEqual(computed.map((g) => [g.labels, g.others, g.seriesCount]));
    pushed!.forEach((group, i) => {
      const expected = computed[i]!;
      expectClose(group.value, expected.value);
      expect(group.buckets?.timestamps).toEqual(expected.buckets?.timestamps);
      group.buckets?.values.forEach((value, j) => expectClose(value, expected.buckets!.values[j]!));
    });
  }

  /** Sent to /metrics/query since `before`. */
  function selectorsSince(before: number): Array<{ selector: string; params: URLSearchParams }> {
    return emulator.queryCalls().slice(before).map((call) => {
      const params = paramsOf(call.rawPath);
      return { selector: params.get('metricSelector')!, params };
    });
  }

  /** The emulator's own minute values of a metric over [from, to), by series. */
  function minutes(key: string, from: number, to: number, keep: (dimensions: Readonly<Record<string, string>>) => boolean = () => true): number[][] {
    return emulator.catalogue.byKey
      .get(key)!
      .series.filter((series) => keep(series.dimensions))
      .map((series) => {
        const values: number[] = [];
        for (let minute = from / MINUTE; minute < to / MINUTE; minute++) {
          const value = series.minute(minute);
          if (value !== null) values.push(value);
        }
        return values;
      });
  }
  const total = (values: number[]) => values.reduce((a, b) => a + b, 0);

  it('sums a count metric in one call: the groups merged by :splitBy, one folded point per series to count them', async () => {
    const before = emulator.queryCalls().length;
    const groups = await source.aggregate(query({}), ctx);
    const perSeries = minutes('builtin:service.requestCount.total', TWO_HOURS.from, TWO_HOURS.to);
    expect(groups).toEqual([{ labels: {}, others: false, value: total(perSeries.flat()), seriesCount: perSeries.filter((values) => values.length > 0).length }]);
    const sent = selectorsSince(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.selector).toBe('builtin:service.requestCount.total:splitBy():sum,builtin:service.requestCount.total:fold');
    // The frame of the gateway's own read and no resolution: Dynatrace picks the same slots for both.
    expect(sent[0]!.params.get('from')).toBe(String(TWO_HOURS.from));
    expect(sent[0]!.params.get('to')).toBe(String(TWO_HOURS.to));
    expect(sent[0]!.params.has('resolution')).toBe(false);
    expectSameGroups(groups, await local(query({})));
  });

  it.each(['sum', 'avg', 'min', 'max', 'count'] as const)('computes %s as the gateway would: whole range, per group, with filters, per bucket', async (fn) => {
    const cases = [
      query({ fn }),
      query({ fn, metric: 'shop.requests.count', groupBy: ['customer_id'] }),
      query({
        fn,
        metric: 'shop.requests.count',
        groupBy: ['region', 'plan_tier'],
        filters: [{ key: 'plan_tier', values: ['free'], exclude: true }, { key: 'environment', values: ['production'], exclude: false }],
        intervalMs: 15 * MINUTE,
      }),
      // Neither end on a minute: the gateway reads a slightly wider range and keeps the minutes that start inside.
      query({ fn, metric: 'shop.requests.count', groupBy: ['plan_tier'], range: { from: T0 + 7_000, to: T0 + 90 * MINUTE + 33_000 } }),
      // Buckets no Dynatrace resolution could give: the gateway's own read has minutes, and so does this.
      query({ fn, metric: 'shop.requests.count', groupBy: ['environment'], range: { from: T0, to: T0 + 30 * MINUTE }, intervalMs: 90_000 }),
      // Microseconds to milliseconds, and a nightly maintenance hour of no data in some series.
      query({ fn, metric: 'cpu_time_ms', groupBy: ['dt.entity.service'], range: { from: Date.parse('2024-01-09T01:30:00Z'), to: Date.parse('2024-01-09T03:30:00Z') }, intervalMs: 30 * MINUTE }),
    ];
    for (const q of cases) {
      const before = emulator.queryCalls().length;
      expectSameGroups(await source.aggregate(q, ctx), await local(q));
      const { selector } = selectorsSince(before)[0]!;
      expect(selector.match(/:splitBy\([^)]*\):(sum|count|min|max)/g)).toEqual(fn === 'avg' ? [expect.stringMatching(/:sum$/), expect.stringMatching(/:count$/)] : [expect.stringMatching(new RegExp(`:${fn}$`))]);
      expect(selector.endsWith(':fold')).toBe(true);
    }
  });

  it('asks for sums and counts of each group to average, and filters as metricData does', async () => {
    const before = emulator.queryCalls().length;
    const q = query({
      fn: 'avg',
      metric: 'shop.requests.count',
      groupBy: ['customer_id'],
      filters: [{ key: 'region', values: ['eu-west', 'ap-south'], exclude: false }],
    });
    const groups = await source.aggregate(q, ctx);
    expect(selectorsSince(before)[0]!.selector).toBe(
      [
        'shop.requests.count:filter(or(eq("region","eu-west"),eq("region","ap-south"))):splitBy("customer_id"):sum',
        'shop.requests.count:filter(or(eq("region","eu-west"),eq("region","ap-south"))):splitBy("customer_id"):count',
        'shop.requests.count:filter(or(eq("region","eu-west"),eq("region","ap-south"))):fold',
      ].join(','),
    );
    const values = minutes('shop.requests.count', q.range.from, q.range.to, (d) => d.customer_id === 'customer_001' && d.region !== 'us-east').flat();
    expect(groups!.find((group) => group.labels.customer_id === 'customer_001')!.value).toBeCloseTo(total(values) / values.length, 9);
    expectSameGroups(groups, await local(q));
  });

  it('sums over days in the slots Dynatrace picks for the range, whole or bucketed, aligned or not', async () => {
    for (const q of [
      query({ metric: 'shop.requests.count', groupBy: ['service_name'], range: { from: T0 - 10 * HOUR, to: T0 + 7 * DAY - 10 * HOUR }, intervalMs: DAY }),
      // Neither end on a slot: the gateway keeps the slots that start inside the range, and so does this.
      query({ metric: 'cpu_time_ms', groupBy: ['dt.entity.service'], range: { from: T0 - 4 * HOUR + 2 * MINUTE + 7_000, to: T0 + 2 * DAY + 33 * MINUTE } }),
      query({ metric: 'error_count', range: { from: Date.parse('2024-01-05T00:00:00Z'), to: Date.parse('2024-01-08T00:00:00Z') }, intervalMs: 6 * HOUR }),
    ]) {
      const before = emulator.queryCalls().length;
      const groups = await source.aggregate(q, ctx);
      expectSameGroups(groups, await local(q));
      expect(groups!.length).toBeGreaterThan(0);
      expect(selectorsSince(before)[0]!.params.has('resolution')).toBe(false);
    }
  });

  it('keeps the top groups by value and merges the rest into "others", as the gateway would', async () => {
    for (const q of [
      query({ metric: 'shop.requests.count', groupBy: ['customer_id'], limit: 3 }),
      query({ fn: 'avg', metric: 'shop.requests.count', groupBy: ['customer_id', 'region'], limit: 4, intervalMs: 20 * MINUTE }),
      query({ fn: 'max', metric: 'http_requests', groupBy: ['dt.entity.service'], limit: 5 }),
      query({ fn: 'count', metric: 'shop.requests.count', groupBy: ['plan_tier'], limit: 10 }),
      query({ metric: 'shop.requests.count', limit: 2 }),
    ]) {
      expectSameGroups(await source.aggregate(q, ctx), await local(q));
    }
    const top = (await source.aggregate(query({ metric: 'shop.requests.count', groupBy: ['customer_id'], limit: 3 }), ctx))!;
    expect(top.map((group) => group.labels.customer_id ?? 'others')).toEqual(['customer_001', 'customer_002', 'customer_003', 'others']);
    expect(top[3]).toMatchObject({ labels: {}, others: true });
    expect(total(top.map((group) => group.value!))).toBe(total(minutes('shop.requests.count', TWO_HOURS.from, TWO_HOURS.to).flat()));
  });

  it('answers a filter that lists no values with no groups, as the gateway does, without asking', async () => {
    const before = emulator.queryCalls().length;
    const q = query({ filters: [{ key: 'dt.entity.service', values: [], exclude: false }] });
    expect(await source.aggregate(q, ctx)).toEqual([]);
    expect(await local(q)).toEqual([]);
    expect(emulator.queryCalls().length).toBe(before);
  });

  it('leaves to the gateway what Dynatrace cannot compute exactly, without asking for data', async () => {
    const before = emulator.queryCalls().length;
    const cases: Array<[string, AggregateQuery]> = [
      ['median (an estimate in Dynatrace)', query({ fn: 'median' })],
      ['percentile 95', query({ fn: 'percentile', percentile: 95 })],
      ['first', query({ fn: 'first' })],
      ['last', query({ fn: 'last' })],
      ['rate', query({ fn: 'rate' })],
      ['stddev', query({ fn: 'stddev' })],
      ['wavg', query({ fn: 'wavg', weightBy: '2' })],
      ['a gauge, whose minutes may summarise many samples', query({ metric: 'http_duration_ms', fn: 'avg' })],
      ['a gauge sum', query({ metric: 'builtin:service.errors.total.rate' })],
      ['an average over slots longer than a minute', query({ fn: 'avg', range: { from: T0, to: T0 + DAY } })],
      ['a maximum over slots longer than a minute', query({ fn: 'max', range: { from: T0, to: T0 + 3 * HOUR }, intervalMs: HOUR })],
      ['a dimension the metric does not have', query({ groupBy: ['customer_id'] })],
      ['dynatrace.aggregation', query({ params: { aggregation: 'sum' } })],
      ['dynatrace.splitBy', query({ params: { splitBy: ['dt.entity.service'] } })],
      ['origin EXPORTS', query({ range: { from: T0 - 10 * HOUR, to: T0 + 14 * HOUR }, intervalMs: DAY, params: { origin: 'EXPORTS' } })],
      ['an unknown metric (the gateway reports it)', query({ metric: 'builtin:service.requestCount.totl' })],
      ['a malformed dynatrace argument (the gateway reports it)', query({ params: { origin: 'SOMEWHERE' } })],
    ];
    for (const [why, q] of cases) expect(await source.aggregate(q, ctx), why).toBeUndefined();
    expect(emulator.queryCalls().length).toBe(before);

    // Why slots matter: over a day the gateway averages quarter-hour sums; Dynatrace's :avg averages minutes.
    const day = query({ fn: 'avg', range: { from: T0, to: T0 + DAY } });
    const minuteAverage = await askEmulator(
      emulator,
      `/api/v2/metrics/query?metricSelector=${encodeURIComponent('builtin:service.requestCount.total:splitBy():avg')}&from=${T0}&to=${T0 + DAY}&resolution=Inf`,
    );
    const gatewayAverage = (await local(day))[0]!.value!;
    expect(minuteAverage.body.result[0].data[0].values[0]).toBeLessThan(gatewayAverage / 5);
  });

  it('leaves to the gateway what ingested export files answer', async () => {
    const config = validateConfig({ sources: [dynatraceSource(emulator)] }, 'test', {}).sources[0] as DynatraceSourceConfig;
    const withExports = new DynatraceSource('dynatrace', config, { log: silentLog, metrics: new GatewayMetrics() });
    try {
      const first = Date.parse('2024-01-01T00:00:00Z');
      await withExports.ingestExport({
        timeframe: { start: new Date(first).toISOString(), end: new Date(first + 2 * DAY).toISOString() },
        metrics: [{ metricId: 'builtin:service.requestCount.total', data: [{ dimensions: { customer_id: 'customer_001' }, timestamps: [first, first + DAY], values: [500, 700] }] }],
      });
      const before = emulator.queryCalls().length;
      const covered = query({ range: { from: first, to: first + 2 * DAY }, intervalMs: DAY });
      expect(await withExports.aggregate(covered, ctx)).toBeUndefined();
      expect(emulator.queryCalls().length).toBe(before);
      // A day the files do not cover: the API answers the gateway's read, so the push-down may.
      const beyond = query({ range: { from: first + 2 * DAY, to: first + 3 * DAY }, intervalMs: DAY });
      expect(await withExports.aggregate(beyond, ctx)).toEqual(await local(beyond));
    } finally {
      await withExports.close();
    }
  });

  it('refuses a bad limit with the gateway\'s own words', async () => {
    await expect(source.aggregate(query({ groupBy: ['dt.entity.service'], limit: 0 }), ctx)).rejects.toMatchObject({ code: 'BAD_USER_INPUT', field: 'limit' });
  });

  /** Makes the next /metrics/query answer a hand-written one: a group statistic and the per-series fold. */
  function answerNext(resolution: string, seriesDimensionMap: Record<string, string> | null, extra: { warnings?: string[] } = {}): void {
    const end = T0 + 5 * MINUTE;
    emulator.server.inject({
      status: 200,
      body: {
        totalCount: 2,
        nextPageKey: null,
        resolution,
        result: [
          { metricId: 'statistic', data: [{ dimensionMap: {}, dimensions: [], timestamps: [end], values: [100] }], ...extra },
          { metricId: 'fold', data: [{ dimensionMap: seriesDimensionMap, dimensions: seriesDimensionMap ? Object.values(seriesDimensionMap) : null, timestamps: [end], values: [100] }] },
        ],
      },
      match: (request) => request.url.pathname === '/api/v2/metrics/query',
    });
  }
  const fiveMinutes = query({ fn: 'max', range: { from: T0, to: T0 + 5 * MINUTE } });

  it('uses minute statistics only when Dynatrace answered in one-minute slots', async () => {
    answerNext('1m', { 'dt.entity.service': 'SERVICE-1' });
    expect(await source.aggregate(fiveMinutes, ctx)).toEqual([{ labels: {}, others: false, value: 100, seriesCount: 1 }]);
    // Dynatrace may answer coarser slots than the hint asks for (older data is kept per five minutes and longer).
    answerNext('5m', { 'dt.entity.service': 'SERVICE-1' });
    expect(await source.aggregate(fiveMinutes, ctx)).toBeUndefined();
  });

  it('falls back when Dynatrace kept only its top tuples (a remainder series) or warns', async () => {
    answerNext('1m', null);
    expect(await source.aggregate(fiveMinutes, ctx)).toBeUndefined();
    answerNext('1m', { 'dt.entity.service': 'SERVICE-1' }, { warnings: ['The result was truncated'] });
    expect(await source.aggregate(fiveMinutes, ctx)).toBeUndefined();
    // A filter on a key the metric does not have: Dynatrace answers nothing with a warning, which only the gateway's path passes on.
    expect(await source.aggregate(query({ filters: [{ key: 'customer_id', values: ['customer_001'], exclude: false }] }), ctx)).toBeUndefined();
  });

  it('falls back when a series lacks a groupBy dimension: :splitBy leaves it out, the gateway would not', async () => {
    answerNext('1m', {});
    expect(await source.aggregate({ ...fiveMinutes, groupBy: ['dt.entity.service'] }, ctx)).toBeUndefined();
  });

  it('fails with the same errors as query() when Dynatrace fails', async () => {
    const onQuery = (request: { url: URL }) => request.url.pathname === '/api/v2/metrics/query';
    const failures = [
      { status: 503, body: { error: { code: 503, message: 'Service unavailable' } }, match: onQuery },
      { status: 429, body: { error: { code: 429, message: 'Too Many Requests' } }, headers: { 'retry-after': '3600' }, match: onQuery },
      { status: 401, body: { error: { code: 401, message: 'Token Authentication failed' } }, match: onQuery },
    ];
    for (const fault of failures) {
      emulator.server.inject(fault);
      const pushed = await source.aggregate(query({}), ctx).then(
        () => new Error('answered'),
        (error: Error) => error,
      );
      emulator.server.inject(fault);
      const [answered] = await source.query([{ metrics: ['http_requests'], range: TWO_HOURS, filters: [] }], ctx);
      expect(answered).toBeInstanceOf(Error);
      const failure = answered as Error & { code: string };
      expect(pushed.constructor).toBe(failure.constructor);
      expect(pushed).toMatchObject({ message: failure.message, code: failure.code, upstreamStatus: fault.status });
    }
  });

  it('leaves a 400 to the gateway: it may be about the transformations only the push-down sends', async () => {
    emulator.server.inject({
      status: 400,
      body: { error: { code: 400, message: 'Constraints violated.', constraintViolations: [{ path: 'metricSelector', message: 'nope', parameterLocation: 'QUERY' }] } },
      match: (request) => request.url.pathname === '/api/v2/metrics/query',
    });
    const before = emulator.queryCalls().length;
    expect(await source.aggregate(query({}), ctx)).toBeUndefined();
    expect(emulator.queryCalls().length - before).toBe(1);
  });
});

/**
 * The emulator computes the transformations the push-down relies on (and :sort/:limit, which it
 * does not use) the way the metric selector reference and the metrics FAQ describe them.
 */
describe('Dynatrace emulator transformations', () => {
  let emulator: DynatraceEmulator;
  beforeAll(async () => {
    emulator = await startDynatraceEmulator();
  });
  afterAll(() => emulator.close());

  const ask = (selector: string, extra = '') =>
    askEmulator(emulator, `/api/v2/metrics/query?metricSelector=${encodeURIComponent(selector)}&from=${T0}&to=${T0 + HOUR}${extra}`);

  it('allows any aggregation after :splitBy, and only the offered ones before it', async () => {
    expect((await ask('builtin:service.requestCount.total:max')).status).toBe(400);
    const merged = await ask('builtin:service.requestCount.total:splitBy():max', '&resolution=Inf');
    expect(merged.status).toBe(200);
    const perMinute = emulator.catalogue.byKey.get('builtin:service.requestCount.total')!.series.flatMap((series) =>
      Array.from({ length: 60 }, (_, i) => series.minute(T0 / MINUTE + i)).filter((value): value is number => value !== null),
    );
    expect(merged.body.result[0].data[0].values).toEqual([Math.max(...perMinute)]);
  });

  it('folds with the argument over the whole frame, or sums slot values after an aggregation', async () => {
    const slots = await ask('shop.request_duration:splitBy():avg', '&resolution=10m');
    const slotValues: number[] = slots.body.result[0].data[0].values;
    const afterAggregation = await ask('shop.request_duration:splitBy():avg:fold(max)', '&resolution=10m');
    expect(afterAggregation.body.result[0].data[0].values[0]).toBeCloseTo(slotValues.reduce((a, b) => a + b, 0), 6);
    const whole = await ask('shop.request_duration:splitBy():fold(max)', '&resolution=10m');
    const wholeInf = await ask('shop.request_duration:splitBy():max', '&resolution=Inf');
    expect(whole.body.result[0].data[0].values).toEqual(wholeInf.body.result[0].data[0].values);
    // An argument the metric does not offer falls back to the default (sum for a count).
    const unsupported = await ask('builtin:service.requestCount.total:fold(median)');
    const byDefault = await ask('builtin:service.requestCount.total:fold');
    expect(unsupported.status).toBe(200);
    expect(unsupported.body.result[0].data).toEqual(byDefault.body.result[0].data);
  });

  it('sorts by value or dimension and limits the series', async () => {
    const sums = await ask('shop.requests.count:splitBy("customer_id"):sort(value(sum,descending))', '&resolution=Inf');
    const values: number[] = sums.body.result[0].data.map((series: { values: number[] }) => series.values[0]);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const top = await ask('shop.requests.count:splitBy("customer_id"):sort(value(sum,descending)):limit(2)', '&resolution=Inf');
    expect(top.body.totalCount).toBe(2);
    expect(top.body.result[0].data).toEqual(sums.body.result[0].data.slice(0, 2));
    const byName = await ask('shop.requests.count:splitBy("customer_id"):sort(dimension("customer_id",descending)):limit(3)', '&resolution=Inf');
    expect(byName.body.result[0].data.map((series: { dimensionMap: { customer_id: string } }) => series.dimensionMap.customer_id)).toEqual([
      'customer_006', 'customer_005', 'customer_004',
    ]);
    expect((await ask('shop.requests.count:sort(value(sum,sideways))')).status).toBe(400);
  });

  it('leaves out of a :splitBy the series that lack one of its dimensions', async () => {
    const split = await ask('builtin:service.requestCount.total:splitBy("dt.entity.service")', '&resolution=Inf');
    expect(split.body.result[0].data).toHaveLength(emulator.catalogue.world.services.length);
  });
});

/** Query.aggregate through the gateway: pushed down to Dynatrace, or computed by the gateway when it cannot be. */
describe('Query.aggregate on a Dynatrace source', () => {
  let emulator: DynatraceEmulator;
  let gateway: Gateway;
  const from = new Date(T0).toISOString();
  const to = new Date(T0 + 2 * HOUR).toISOString();

  beforeAll(async () => {
    emulator = await startDynatraceEmulator();
    gateway = await startGateway({ sources: [dynatraceSource(emulator, { cacheTtl: false })] });
  });
  afterAll(async () => {
    await gateway.close();
    await emulator.close();
  });

  it('is pushed down, and gives what the gateway computes from the raw series of metricData', async () => {
    const before = emulator.queryCalls().length;
    const response = await gql(gateway, `{
      aggregate(source: "dynatrace", metric: "shop.requests.count", function: AVG, groupBy: ["customer_id"], limit: 3, interval: "30m",
                from: "${from}", to: "${to}", filters: [{ key: "environment", values: ["production"] }]) {
        labels { key value } others value seriesCount pushedDown buckets { timestamp value }
      }
      metricData(source: "dynatrace", metric: "shop.requests.count", from: "${from}", to: "${to}", filters: [{ key: "environment", values: ["production"] }]) {
        labels { key value } timestamps values
      }
    }`);
    expect(response.errors).toBeUndefined();
    const groups = response.data!.aggregate as Array<Record<string, any>>;
    expect(groups.every((group) => group.pushedDown === true)).toBe(true);
    const selectors = selectorsSince(emulator, before);
    expect(selectors.filter((selector) => selector.includes(':splitBy("customer_id"):sum'))).toHaveLength(1);

    const series: Series[] = (response.data!.metricData as Array<{ labels: Array<{ key: string; value: string }>; timestamps: number[]; values: Array<number | null> }>).map((s) => ({
      source: 'dynatrace',
      metric: 'shop.requests.count',
      labels: Object.fromEntries(s.labels.map((label) => [label.key, label.value])),
      timestamps: s.timestamps,
      values: s.values,
    }));
    const computed = computeLocally(series, { fn: 'avg', groupBy: ['customer_id'], limit: 3, intervalMs: 30 * MINUTE, range: TWO_HOURS });
    expect(groups.map((group) => [group.labels, group.others, group.seriesCount])).toEqual(
      computed.map((group) => [Object.entries(group.labels).map(([key, value]) => ({ key, value })), group.others, group.seriesCount]),
    );
    groups.forEach((group, i) => {
      expectClose(group.value, computed[i]!.value);
      expect(group.buckets.map((bucket: { timestamp: string }) => Date.parse(bucket.timestamp))).toEqual(computed[i]!.buckets!.timestamps);
      group.buckets.forEach((bucket: { value: number | null }, j: number) => expectClose(bucket.value, computed[i]!.buckets!.values[j]!));
    });
  });

  it('is computed by the gateway when Dynatrace cannot (PERCENTILE), from the same data', async () => {
    const before = emulator.queryCalls().length;
    const response = await gql(gateway, `{
      pushed: aggregate(source: "dynatrace", metric: "http_requests", function: MAX, groupBy: ["dt.entity.service"], from: "${from}", to: "${to}") {
        labels { key value } value seriesCount pushedDown
      }
      p95: aggregate(source: "dynatrace", metric: "http_requests", function: PERCENTILE, percentile: 95, from: "${from}", to: "${to}") { value pushedDown }
      p100: aggregate(source: "dynatrace", metric: "http_requests", function: PERCENTILE, percentile: 100, groupBy: ["dt.entity.service"], from: "${from}", to: "${to}") {
        labels { key value } value seriesCount pushedDown
      }
    }`);
    expect(response.errors).toBeUndefined();
    const selectors = selectorsSince(emulator, before);
    // One push-down call for MAX; one raw read for both percentiles (the same metricData query).
    expect(selectors).toEqual([
      'builtin:service.requestCount.total:splitBy("dt.entity.service"):max,builtin:service.requestCount.total:fold',
      'builtin:service.requestCount.total',
    ]);
    expect(response.data!.p95).toEqual([{ value: expect.any(Number), pushedDown: false }]);
    // The 100th percentile the gateway computes is the maximum Dynatrace computed.
    const pushed = response.data!.pushed as Array<{ pushedDown: boolean }>;
    const p100 = response.data!.p100 as Array<{ pushedDown: boolean }>;
    expect(pushed.every((group) => group.pushedDown)).toBe(true);
    expect(p100.every((group) => !group.pushedDown)).toBe(true);
    expect(pushed.map(({ pushedDown: _, ...rest }) => rest)).toEqual(p100.map(({ pushedDown: _, ...rest }) => rest));
  });

  it('fails only its own field, with the code metricData gets, when Dynatrace is down', async () => {
    emulator.server.inject({ status: 503, body: { error: { code: 503, message: 'Service unavailable' } }, times: 6, match: (request) => request.url.pathname === '/api/v2/metrics/query' });
    try {
      const response = await gql(gateway, `{
        aggregate(source: "dynatrace", metric: "http_requests", function: SUM, from: "${from}", to: "${to}") { value }
        sources { id }
      }`);
      expect(response.data!.aggregate).toBeNull();
      expect(response.data!.sources).toEqual([{ id: 'dynatrace' }]);
      expect(response.errors).toEqual([expect.objectContaining({ path: ['aggregate'], extensions: expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE', source: 'dynatrace', upstreamStatus: 503 }) })]);
    } finally {
      emulator.server.clearFaults();
    }
  });
});

function selectorsSince(emulator: DynatraceEmulator, before: number): string[] {
  return emulator.queryCalls().slice(before).map((call) => paramsOf(call.rawPath).get('metricSelector')!);
}

/** Equal, or both null; sums of the same numbers in another order may differ in the last bits. */
function expectClose(actual: number | null | undefined, expected: number | null): void {
  if (expected === null) {
    expect(actual).toBeNull();
    return;
  }
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}
