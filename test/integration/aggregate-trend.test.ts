import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { gql, startGateway } from '../helpers/gateway.js';

/**
 * Query.aggregate and Query.trend through a real gateway, computed in the gateway from the native
 * collector's raw points. Every point is tracked with an explicit timestamp, so each answer is a
 * number worked out by hand below.
 */

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** A whole hour three hours ago: in the past, inside the collector's retention, on every boundary up to an hour. */
const B = Math.floor((Date.now() - 3 * HOUR) / HOUR) * HOUR;
const at = (ms: number) => new Date(B + ms).toISOString();

interface Track { name: string; value: number; type?: 'COUNTER' | 'GAUGE'; labels?: Record<string, string>; timestamp: number }

const gauge = (name: string, labels: Record<string, string>, points: Array<[number, number]>): Track[] =>
  points.map(([offset, value]) => ({ name, value, labels, timestamp: B + offset }));

const POINTS: Track[] = [
  // Gauges on three hosts in two regions, with minute 2 empty everywhere and minute 4 only on c.
  ...gauge('agg_latency_ms', { host: 'a', region: 'eu' }, [[0, 10], [MINUTE, 20], [90 * SECOND, 25], [3 * MINUTE, 40], [5 * MINUTE, 60]]),
  ...gauge('agg_latency_ms', { host: 'b', region: 'eu' }, [[0, 1], [MINUTE, 2], [3 * MINUTE, 4]]),
  ...gauge('agg_latency_ms', { host: 'c', region: 'us' }, [[0, 100], [4 * MINUTE, 500]]),
  // 1..10 in shuffled order, ten seconds apart.
  ...gauge('agg_response_ms', { host: 'a' }, [7, 3, 10, 1, 5, 9, 2, 8, 6, 4].map((value, i) => [i * 10 * SECOND, value] as [number, number])),
  // A counter pushed as increments 5, 10, 15, 20 one minute apart: running totals 5, 15, 30, 50.
  ...[5, 10, 15, 20].map((value, i) => ({ name: 'agg_requests_total', type: 'COUNTER' as const, value, labels: { host: 'a' }, timestamp: B + i * MINUTE })),
  // Prices weighted by quantities with the same labels and timestamps.
  ...gauge('agg_price', { host: 'a' }, [[0, 10], [MINUTE, 20]]),
  ...gauge('agg_price', { host: 'b' }, [[0, 30]]),
  ...gauge('agg_qty', { host: 'a' }, [[0, 1], [MINUTE, 3]]),
  ...gauge('agg_qty', { host: 'b' }, [[0, 2]]),
  // Five hosts for a top two: sums 50, 40, 30, 20, 15.
  ...[50, 40, 30, 20, 10].flatMap((value, i) => gauge('agg_bytes', { host: `h${i + 1}` }, [[0, value]])),
  ...gauge('agg_bytes', { host: 'h5' }, [[MINUTE, 5]]),
  // Twenty minutes per region: eu climbs by one a minute with a spike at minute 15, us holds at 50.
  ...Array.from({ length: 20 }, (_, i) => gauge('agg_temp', { region: 'eu' }, [[i * MINUTE, i === 15 ? 100 : 10 + i]])).flat(),
  ...Array.from({ length: 20 }, (_, i) => gauge('agg_temp', { region: 'us' }, [[i * MINUTE, 50]])).flat(),
  // A clean line 1, 2, ..., 10.
  ...Array.from({ length: 10 }, (_, i) => gauge('agg_line', {}, [[i * MINUTE, i + 1]])).flat(),
];

const GROUP = 'labels { key value } value seriesCount others pushedDown buckets { timestamp value }';

describe('Query.aggregate and Query.trend on the native collector', () => {
  let gateway: Gateway;

  beforeAll(async () => {
    gateway = await startGateway();
    const tracked = await gql(gateway, 'mutation ($inputs: [TrackMetricInput!]!) { trackMetrics(inputs: $inputs) { failed results { error } } }', { inputs: POINTS });
    expect(tracked.errors).toBeUndefined();
    expect(tracked.data!.trackMetrics.results.filter((r: { error: string | null }) => r.error)).toEqual([]);
  });
  afterAll(() => gateway.close());

  async function aggregate(args: string, fields = GROUP) {
    const response = await gql(gateway, `{ aggregate(source: "native", ${args}) { ${fields} } }`);
    expect(response.errors).toBeUndefined();
    return response.data!.aggregate as Array<Record<string, any>>;
  }
  const labels = (group: { labels: Array<{ key: string; value: string }> }) => Object.fromEntries(group.labels.map((l) => [l.key, l.value]));
  const buckets = (values: Array<number | null>) => values.map((value, i) => ({ timestamp: at(i * MINUTE), value }));
  const range = (minutes: number, fromMinute = 0) => `from: "${at(fromMinute * MINUTE)}", to: "${at(minutes * MINUTE)}"`;

  describe('aggregate', () => {
    it('gives one value over the whole range without groupBy', async () => {
      expect(await aggregate(`metric: "agg_latency_ms", function: SUM, ${range(6)}`)).toEqual([
        { labels: [], value: 762, seriesCount: 3, others: false, pushedDown: false, buckets: null },
      ]);
    });

    it('gives one value per group with groupBy', async () => {
      const byRegion = await aggregate(`metric: "agg_latency_ms", function: SUM, groupBy: ["region"], ${range(6)}`);
      expect(byRegion.map((g) => [labels(g as any), g.value, g.seriesCount])).toEqual([[{ region: 'eu' }, 162, 2], [{ region: 'us' }, 600, 1]]);
      const byHost = await aggregate(`metric: "agg_latency_ms", function: AVG, groupBy: ["host"], ${range(6)}`, 'label(key: "host") value');
      expect(byHost).toEqual([{ label: 'a', value: 31 }, { label: 'b', value: 7 / 3 }, { label: 'c', value: 300 }]);
    });

    it('gives UTC-aligned interval buckets with null for the gaps (count 0)', async () => {
      const [sum] = await aggregate(`metric: "agg_latency_ms", function: SUM, interval: "1m", ${range(6)}`);
      expect(sum!.value).toBe(762);
      expect(sum!.buckets).toEqual(buckets([111, 47, null, 44, 500, 60]));
      const [count] = await aggregate(`metric: "agg_latency_ms", function: COUNT, interval: "1m", ${range(6)}`);
      expect(count!.buckets).toEqual(buckets([3, 3, 0, 2, 1, 1]));
      const max = await aggregate(`metric: "agg_latency_ms", function: MAX, interval: "1m", groupBy: ["region"], ${range(6)}`);
      expect(max.map((g) => g.buckets)).toEqual([buckets([10, 25, null, 40, null, 60]), buckets([100, null, null, null, 500, null])]);
    });

    it('widens a range off the interval boundaries to whole buckets', async () => {
      const [sum] = await aggregate(`metric: "agg_latency_ms", function: SUM, interval: "2m", from: "${at(30 * SECOND)}", to: "${at(3 * MINUTE + 1)}"`);
      expect(sum!.buckets).toEqual([
        { timestamp: at(0), value: 111 + 47 },
        { timestamp: at(2 * MINUTE), value: 44 },
      ]);
    });

    it('gives any percentile, interpolated between ranks', async () => {
      const [p95] = await aggregate(`metric: "agg_response_ms", function: PERCENTILE, percentile: 95, ${range(2)}`);
      // Ten values 1..10: rank 0.95 * 9 = 8.55, between 9 and 10.
      expect(p95!.value).toBeCloseTo(9.55, 9);
      const [median] = await aggregate(`metric: "agg_response_ms", function: MEDIAN, ${range(2)}`);
      expect(median!.value).toBe(5.5);
      const [p0] = await aggregate(`metric: "agg_response_ms", function: PERCENTILE, percentile: 0, interval: "1m", ${range(2)}`);
      // Seconds 0..50 hold 7, 3, 10, 1, 5, 9; seconds 60..90 hold 2, 8, 6, 4.
      expect(p0!.buckets).toEqual(buckets([1, 2]));
    });

    it('gives a counter\'s rate per second from its increments, using the total before the range', async () => {
      const [rate] = await aggregate(`metric: "agg_requests_total", function: RATE, interval: "1m", ${range(4)}`);
      expect(rate!.value).toBeCloseTo(50 / 240, 12);
      expect(rate!.buckets.map((b: { value: number }) => b.value)).toEqual([5 / 60, 10 / 60, 15 / 60, 20 / 60]);
      // From minute 1 the running total before the range (5) is the base: increments 10, 15, 20.
      const [later] = await aggregate(`metric: "agg_requests_total", function: RATE, ${range(4, 1)}`);
      expect(later!.value).toBeCloseTo(45 / 180, 12);
      const [increase] = await aggregate(`metric: "agg_requests_total", function: SUM, ${range(4)}`);
      expect(increase!.value).toBe(50);
    });

    it('gives a weighted average by a weight metric and by a number', async () => {
      const [whole] = await aggregate(`metric: "agg_price", function: WAVG, weightBy: "agg_qty", ${range(2)}`);
      expect(whole!.value).toBeCloseTo(130 / 6, 12);
      const byHost = await aggregate(`metric: "agg_price", function: WAVG, weightBy: "agg_qty", groupBy: ["host"], ${range(2)}`, 'label(key: "host") value');
      expect(byHost).toEqual([{ label: 'a', value: 17.5 }, { label: 'b', value: 30 }]);
      const [constant] = await aggregate(`metric: "agg_price", function: WAVG, weightBy: "2", ${range(2)}`);
      expect(constant!.value).toBe(20);
    });

    it('keeps the top groups by value and merges the rest into one others group', async () => {
      const groups = await aggregate(`metric: "agg_bytes", function: SUM, groupBy: ["host"], limit: 2, interval: "1m", ${range(2)}`);
      expect(groups).toEqual([
        { labels: [{ key: 'host', value: 'h1' }], value: 50, seriesCount: 1, others: false, pushedDown: false, buckets: buckets([50, null]) },
        { labels: [{ key: 'host', value: 'h2' }], value: 40, seriesCount: 1, others: false, pushedDown: false, buckets: buckets([40, null]) },
        { labels: [], value: 65, seriesCount: 3, others: true, pushedDown: false, buckets: buckets([60, 5]) },
      ]);
    });

    it('answers a metric with no data in the range with no groups', async () => {
      expect(await aggregate(`metric: "agg_latency_ms", function: SUM, ${range(60, 30)}`)).toEqual([]);
    });
  });

  describe('trend', () => {
    const TREND = `labels { key value } direction changePercent slopePerHour first last min max mean points interval
      series { timestamp value } anomalies { timestamp value expected score } forecast { timestamp value lower upper }`;
    async function trend(args: string) {
      const response = await gql(gateway, `{ trend(source: "native", ${args}) { ${TREND} } }`);
      expect(response.errors).toBeUndefined();
      return response.data!.trend as Array<Record<string, any>>;
    }

    it('describes each group: direction, change, anomalies and forecast', async () => {
      const [eu, us] = await trend(`metric: "agg_temp", groupBy: ["region"], interval: "1m", forecastIntervals: 3, ${range(20)}`);
      expect(eu).toMatchObject({
        labels: [{ key: 'region', value: 'eu' }], direction: 'INCREASING', changePercent: 190,
        first: 10, last: 29, min: 10, max: 100, points: 20, interval: '1m',
      });
      expect(eu!.slopePerHour).toBeGreaterThan(0);
      expect(eu!.series).toHaveLength(20);
      expect(eu!.series[15]).toEqual({ timestamp: at(15 * MINUTE), value: 100 });
      // Against minutes 0..14 (10..24; the default window of 30 takes all): median 17, MAD 4.
      expect(eu!.anomalies).toHaveLength(1);
      expect(eu!.anomalies[0]).toMatchObject({ timestamp: at(15 * MINUTE), value: 100, expected: 17 });
      expect(eu!.anomalies[0].score).toBeCloseTo(83 / (4 * 1.4826), 6);
      expect(eu!.forecast.map((f: { timestamp: string }) => f.timestamp)).toEqual([at(20 * MINUTE), at(21 * MINUTE), at(22 * MINUTE)]);
      for (const f of eu!.forecast) expect(f.lower <= f.value && f.value <= f.upper).toBe(true);

      expect(us).toMatchObject({
        labels: [{ key: 'region', value: 'us' }], direction: 'STABLE', changePercent: 0, slopePerHour: 0,
        first: 50, last: 50, min: 50, max: 50, mean: 50, points: 20, anomalies: [],
      });
      expect(us!.forecast).toEqual([20, 21, 22].map((m) => ({ timestamp: at(m * MINUTE), value: 50, lower: 50, upper: 50 })));
    });

    it('combines a counter\'s series by summing its increments per bucket', async () => {
      const [requests] = await trend(`metric: "agg_requests_total", interval: "1m", ${range(4)}`);
      expect(requests!.series.map((p: { value: number }) => p.value)).toEqual([5, 10, 15, 20]);
      expect(requests).toMatchObject({ first: 5, last: 20, changePercent: 300, direction: 'INCREASING', slopePerHour: 5 * 60 });
    });

    it('forecasts a line from after the last bucket, over empty buckets at the end of the range', async () => {
      const [line] = await trend(`metric: "agg_line", interval: "1m", forecastIntervals: 2, ${range(12)}`);
      expect(line!.series.slice(-3).map((p: { value: number | null }) => p.value)).toEqual([10, null, null]);
      expect(line!.forecast.map((f: { timestamp: string }) => f.timestamp)).toEqual([at(12 * MINUTE), at(13 * MINUTE)]);
      expect(line!.forecast[0].value).toBeCloseTo(13, 6);
      expect(line!.forecast[1].value).toBeCloseTo(14, 6);
      expect(line!.forecast[1].upper - line!.forecast[1].lower).toBeLessThan(1e-6);
    });

    it('follows stableBand and anomalyThreshold', async () => {
      const [eu] = await trend(`metric: "agg_temp", filters: [{ key: "region", values: ["eu"] }], interval: "1m", stableBand: 200, anomalyThreshold: 50, ${range(20)}`);
      expect(eu).toMatchObject({ direction: 'STABLE', changePercent: 190, anomalies: [] });
    });
  });

  describe('bad input gets BAD_USER_INPUT with a message that restates the contract', () => {
    it.each([
      ['percentile above 100', 'aggregate', 'metric: "agg_response_ms", function: PERCENTILE, percentile: 101', 'percentile must be between 0 and 100; got 101'],
      ['percentile below 0', 'aggregate', 'metric: "agg_response_ms", function: PERCENTILE, percentile: -5', 'percentile must be between 0 and 100; got -5'],
      ['PERCENTILE without percentile', 'aggregate', 'metric: "agg_response_ms", function: PERCENTILE', 'percentile is required with function PERCENTILE (0..100, e.g. 95)'],
      ['WAVG without weightBy', 'aggregate', 'metric: "agg_price", function: WAVG', 'function WAVG needs weightBy: a weight metric of the same source, or a number'],
      ['WAVG with a blank weightBy', 'aggregate', 'metric: "agg_price", function: WAVG, weightBy: "  "', 'function WAVG needs weightBy: a weight metric of the same source, or a number'],
      ['limit 0', 'aggregate', 'metric: "agg_bytes", function: SUM, groupBy: ["host"], limit: 0', 'limit must be a positive whole number; got 0'],
      ['combine WAVG', 'trend', 'metric: "agg_temp", combine: WAVG', 'combine takes SUM, AVG, MIN, MAX, COUNT, FIRST, LAST, MEDIAN, RATE or STDDEV; got WAVG'],
      ['forecastIntervals -1', 'trend', 'metric: "agg_temp", forecastIntervals: -1', 'forecastIntervals must be between 0 and 1000; got -1'],
    ])('%s', async (_, field, args, message) => {
      const response = await gql(gateway, `{ ${field}(source: "native", ${args}, ${range(20)}) { labels { key } } }`);
      expect(response.status).toBe(200);
      expect(response.data).toEqual({ [field]: null });
      expect(response.errors).toHaveLength(1);
      expect(response.errors![0]!.message).toBe(message);
      expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', source: 'native' });
    });
  });

  // graphql-js refuses these before any resolver runs; the input-error plugin makes them BAD_USER_INPUT.
  describe('an unknown function is refused as bad input, naming the value, the argument and the accepted functions', () => {
    it('given as a literal', async () => {
      const response = await gql(gateway, '{ aggregate(source: "native", metric: "agg_latency_ms", function: P95) { value } }');
      expect(response.status).toBe(400);
      expect(response.data).toBeUndefined();
      expect(response.errors).toHaveLength(1);
      expect(response.errors![0]!.message).toMatch(/Value "P95" does not exist in "AggregateFunction" enum/);
      expect(response.errors![0]!.message).toMatch(/Accepted: SUM, AVG, .*PERCENTILE/);
      expect(response.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'function' });
    });

    it('given in a variable', async () => {
      const response = await gql(gateway, 'query ($fn: AggregateFunction!) { aggregate(source: "native", metric: "agg_latency_ms", function: $fn) { value } }', { fn: 'p95' });
      expect(response.status).toBe(400);
      expect(response.data).toBeUndefined();
      expect(response.errors![0]!.message).toMatch(/Variable "\$fn" got invalid value "p95"; Value "p95" does not exist in "AggregateFunction" enum/);
      expect(response.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'function' });
    });
  });
});
