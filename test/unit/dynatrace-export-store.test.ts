import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { answerFromExports } from '../../src/sources/dynatrace/export-ingest/answer.js';
import { ExportIngestor } from '../../src/sources/dynatrace/export-ingest/ingestor.js';
import { uncovered } from '../../src/sources/dynatrace/export-ingest/store.js';
import { MetricMappings } from '../../src/sources/dynatrace/mappings.js';

const DAY = 86_400_000;
const JAN = (day: number) => Date.parse(`2024-01-${String(day).padStart(2, '0')}T00:00:00Z`);

/** An export document of request counts per customer, one value per day from `first`. */
function requests(first: number, perCustomer: Record<string, number[]>, days = Object.values(perCustomer)[0]!.length) {
  return {
    timeframe: { start: new Date(JAN(first)).toISOString(), end: new Date(JAN(first) + days * DAY).toISOString() },
    metrics: [
      {
        metricId: 'builtin:service.requestCount.total',
        data: Object.entries(perCustomer).map(([customer, values]) => ({
          dimensions: { customer_id: customer },
          timestamps: values.map((_, i) => JAN(first) + i * DAY),
          values,
        })),
      },
    ],
  };
}

function setup() {
  const mappings = MetricMappings.fromConfig(undefined, undefined);
  const ingestor = new ExportIngestor({
    source: 'dt',
    mappings,
    unitOf: async () => undefined,
    log: pino({ level: 'silent' }),
  });
  const ingest = async (name: string, document: unknown) => ingestor.ingest(await ingestor.prepare(name, 'file', document));
  const daily = (metric: string, from: number, to: number, customer?: string) =>
    answerFromExports(ingestor.store, 'dt', {
      metrics: [mappings.resolve(metric)],
      range: { from: JAN(from), to: JAN(to) },
      stepMs: DAY,
      filters: customer ? [{ key: 'customer_id', values: [customer], exclude: false }] : [],
    });
  return { ingestor, ingest, daily };
}

describe('dynatrace export store', () => {
  it('keeps usage per (metric, labels, day) under the mapped name', async () => {
    const { ingest, daily } = setup();
    const report = await ingest('day1.json', requests(1, { customer_001: [50000], customer_002: [30000], customer_003: [20000] }));
    expect(report).toMatchObject({ status: 'ingested', metrics: ['http_requests'], series: 3, dayRecords: 3 });
    const { series, warnings } = daily('http_requests', 1, 2);
    expect(warnings).toEqual([]);
    expect(series.map((s) => [s.labels.customer_id, s.values])).toEqual([
      ['customer_001', [50000]],
      ['customer_002', [30000]],
      ['customer_003', [20000]],
    ]);
    expect(series[0]).toMatchObject({ metric: 'http_requests', upstreamMetric: 'builtin:service.requestCount.total', unit: 'count', intervalMs: DAY });
  });

  it('applies documents in timeframe order whatever order they arrive in', async () => {
    const inOrder = setup();
    const reversed = setup();
    const older = requests(1, { customer_001: [100, 200, 300] });
    const correction = requests(2, { customer_001: [250] });
    await inOrder.ingest('older.json', older);
    await inOrder.ingest('correction.json', correction);
    await reversed.ingest('correction.json', correction);
    await reversed.ingest('older.json', older);
    for (const { daily } of [inOrder, reversed]) expect(daily('http_requests', 1, 4).series[0]!.values).toEqual([100, 250, 300]);
    expect(reversed.ingestor.store.documents().map((stored) => stored.doc.name)).toEqual(['older.json', 'correction.json']);
  });

  it('changes nothing when the same content comes again, under any name', async () => {
    const { ingestor, ingest, daily } = setup();
    const document = requests(1, { customer_001: [5] });
    await ingest('a.json', document);
    const version = ingestor.store.version();
    expect((await ingest('a.json', document)).status).toBe('unchanged');
    expect((await ingest('copy-of-a.json', JSON.parse(JSON.stringify(document)))).status).toBe('unchanged');
    expect(ingestor.store.version()).toBe(version);
    expect(ingestor.store.documents()).toHaveLength(1);
    expect(daily('http_requests', 1, 2).series[0]!.values).toEqual([5]);
  });

  it('replaces a document of the same name, dropping series the new version no longer has', async () => {
    const { ingestor, ingest, daily } = setup();
    await ingest('a.json', requests(1, { customer_001: [5], customer_002: [6] }));
    const version = ingestor.store.version();
    expect((await ingest('a.json', requests(1, { customer_001: [7] }))).status).toBe('replaced');
    expect(ingestor.store.version()).not.toBe(version);
    expect(daily('http_requests', 1, 2).series.map((s) => [s.labels.customer_id, s.values])).toEqual([['customer_001', [7]]]);
  });

  it('lets a later document take over its timeframe for the series it has, at any resolution', async () => {
    const { ingest, daily } = setup();
    await ingest('daily.json', requests(1, { customer_001: [1000, 1000] }));
    // The same day again, hourly: the day becomes the sum of its hours, not daily + hourly.
    const hourly = {
      timeframe: { start: '2024-01-02T00:00:00Z', end: '2024-01-03T00:00:00Z' },
      metrics: [{ metricId: 'builtin:service.requestCount.total', data: [{ dimensions: { customer_id: 'customer_001' }, timestamps: Array.from({ length: 24 }, (_, h) => JAN(2) + h * 3_600_000), values: Array.from({ length: 24 }, () => 10) }] }],
    };
    await ingest('hourly.json', hourly);
    expect(daily('http_requests', 1, 3).series[0]!.values).toEqual([1000, 240]);
  });

  it('works out a day that documents cover in parts from all their slots, in any arrival order', async () => {
    const HOUR = 3_600_000;
    const hourly = (fromHour: number, hours: number, value: number) => ({
      timeframe: { start: new Date(JAN(1) + fromHour * HOUR).toISOString(), end: new Date(JAN(1) + (fromHour + hours) * HOUR).toISOString() },
      metrics: [{ metricId: 'builtin:service.requestCount.total', data: [{ dimensions: { customer_id: 'c' }, timestamps: Array.from({ length: hours }, (_, h) => JAN(1) + (fromHour + h) * HOUR), values: Array.from({ length: hours }, () => value) }] }],
    });
    const documents: Array<[string, unknown]> = [['morning.json', hourly(0, 12, 10)], ['evening.json', hourly(12, 12, 20)], ['correction.json', hourly(6, 6, 0)]];
    for (const order of [[0, 1, 2], [2, 1, 0], [1, 2, 0]]) {
      const { ingest, daily } = setup();
      for (const index of order) await ingest(...documents[index]!);
      // 6 morning hours of 10, 6 corrected to 0, 12 evening hours of 20.
      expect(daily('http_requests', 1, 2).series[0]!.values).toEqual([300]);
    }
  });

  it('folds a day by the metric: sums for counts, means for durations (converted to ms)', async () => {
    const { ingest, daily } = setup();
    await ingest('durations.json', {
      timeframe: { start: '2024-01-01T00:00:00Z', end: '2024-01-02T00:00:00Z' },
      metrics: [{ metricId: 'builtin:service.response.time', data: [{ dimensions: {}, timestamps: [JAN(1), JAN(1) + 3_600_000, JAN(1) + 7_200_000], values: [100_000, null, 300_000] }] }],
    });
    const { series } = daily('http_duration_ms', 1, 2);
    expect(series[0]).toMatchObject({ unit: 'ms', values: [200] });
  });

  it('accepts the integration document keys that do not exist, under the real metric', async () => {
    const { ingest, daily } = setup();
    await ingest('errors.json', {
      timeframe: { start: '2024-01-01T00:00:00Z', end: '2024-01-02T00:00:00Z' },
      metrics: [{ metricId: 'builtin:service.errors.total', data: [{ dimensions: { team: 'payments' }, timestamps: [JAN(1)], values: [12] }] }],
    });
    expect(daily('error_count', 1, 2).series[0]).toMatchObject({ metric: 'error_count', upstreamMetric: 'builtin:service.errors.total.count', values: [12] });
  });

  it('says which days no document covers, and leaves them as gaps', async () => {
    const { ingestor, ingest, daily } = setup();
    await ingest('a.json', requests(1, { customer_001: [1, 2] }));
    await ingest('b.json', requests(5, { customer_001: [5] }));
    expect(uncovered(ingestor.store.view('http_requests')!.coverage, { from: JAN(1), to: JAN(7) })).toEqual([
      { from: JAN(3), to: JAN(5) },
      { from: JAN(6), to: JAN(7) },
    ]);
    const { series, warnings } = daily('http_requests', 1, 7);
    expect(series[0]!.values).toEqual([1, 2, null, null, 5, null]);
    expect(warnings[0]!.message).toBe('ingested exports do not cover 2024-01-03 to 2024-01-04, 2024-01-06 for http_requests (builtin:service.requestCount.total); those days are gaps');
  });

  it('refuses a unit it cannot know instead of guessing', async () => {
    const ingestor = new ExportIngestor({
      source: 'dt',
      mappings: MetricMappings.fromConfig(undefined, { 'calc:service.checkout_latency': 'checkout_latency_ms' }),
      unitOf: async () => undefined,
      log: pino({ level: 'silent' }),
    });
    const document = {
      timeframe: { start: '2024-01-01T00:00:00Z', end: '2024-01-02T00:00:00Z' },
      metrics: [{ metricId: 'calc:service.checkout_latency', data: [{ timestamps: [JAN(1)], values: [1] }] }],
    };
    await expect(ingestor.prepare('x.json', 'file', document)).rejects.toMatchObject({
      jsonPath: '$.metrics[0]',
      reason: expect.stringContaining("'checkout_latency_ms' promises MilliSecond values but the Dynatrace unit of its key is unknown"),
    });
    const stated = await ingestor.prepare('x.json', 'file', { ...document, metrics: [{ ...document.metrics[0], unit: 'Second' }] });
    expect(stated.usage!.metrics[0]!.series[0]).toMatchObject({ starts: [JAN(1)], values: [1000] });
  });
});
