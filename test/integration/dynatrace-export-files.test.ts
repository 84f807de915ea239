import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynatraceEmulator, type DynatraceEmulator } from '../../src/emulators/dynatrace/index.js';
import type { Gateway } from '../../src/gateway.js';
import { askEmulator, dynatraceSource, eventually } from '../helpers/dynatrace.js';
import { gql, startGateway } from '../helpers/gateway.js';

const DAY = 86_400_000;
const JAN = (day: number) => Date.parse(`2024-01-${String(day).padStart(2, '0')}T00:00:00Z`);
const iso = (ms: number) => new Date(ms).toISOString();

/** The export format, one value per day per customer from `first`. */
function exportDoc(first: number, metricId: string, perCustomer: Record<string, Array<number | null>>) {
  const days = Object.values(perCustomer)[0]!.length;
  return {
    timeframe: { start: iso(JAN(first)), end: iso(JAN(first) + days * DAY) },
    metrics: [
      {
        metricId,
        data: Object.entries(perCustomer).map(([customer, values]) => ({
          dimensions: { customer_id: customer, service: 'api-gateway' },
          timestamps: values.map((_, i) => JAN(first) + i * DAY),
          values,
        })),
      },
    ],
  };
}

const FILES: Record<string, unknown> = {
  // The integration document's worked example: $10,000/day split 50/30/20 by these counts.
  '2024-01-01-customers.json': {
    ...exportDoc(1, 'builtin:service.requestCount.total', { customer_001: [50000], customer_002: [30000], customer_003: [20000] }),
    metrics: [
      exportDoc(1, 'builtin:service.requestCount.total', { customer_001: [50000], customer_002: [30000], customer_003: [20000] }).metrics[0],
      exportDoc(1, 'builtin:service.response.time', { customer_001: [250000] }).metrics[0],
    ],
  },
  // Named so that name order and timeframe order disagree: z covers Jan 2-3, a corrects Jan 3.
  'z-two-days.json': exportDoc(2, 'builtin:service.requestCount.total', { customer_001: [1000, 1100] }),
  'a-correction.json': exportDoc(3, 'builtin:service.requestCount.total', { customer_001: [1200] }),
  // A saved /metrics/query answer for Jan 4: its timestamp is the END of the day slot.
  'saved-2024-01-04.json': {
    totalCount: 1,
    nextPageKey: null,
    resolution: '1d',
    result: [
      {
        metricId: 'builtin:service.requestCount.total:splitBy("customer_id","service")',
        dataPointCountRatio: 1e-7,
        dimensionCountRatio: 1e-5,
        data: [{ dimensions: ['customer_001', 'api-gateway'], dimensionMap: { customer_id: 'customer_001', service: 'api-gateway' }, timestamps: [JAN(5)], values: [900] }],
      },
    ],
  },
  'shifted.json': {
    timeframe: { start: '2024-01-10T06:00:00Z', end: '2024-01-11T06:00:00Z' },
    metrics: [{ metricId: 'builtin:service.errors.total', data: [{ dimensions: { team: 'payments' }, timestamps: [JAN(10) + 6 * 3_600_000], values: [3] }] }],
  },
  'broken.json': exportDoc(8, 'builtin:service.requestCount.total', { customer_001: [5] }),
};

describe('dynatrace export files', () => {
  let dir: string;
  let emulator: DynatraceEmulator;
  let gateway: Gateway;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dynatrace-exports-'));
    (FILES['broken.json'] as { metrics: Array<{ data: Array<{ values: unknown[] }> }> }).metrics[0]!.data[0]!.values[0] = '12';
    for (const [name, content] of Object.entries(FILES)) await writeFile(join(dir, name), JSON.stringify(content));
    await writeFile(join(dir, 'not-json.json'), '{"timeframe": ');
    await writeFile(join(dir, 'notes.txt'), 'not an export');
    emulator = await startDynatraceEmulator();
    gateway = await startGateway({
      sources: [
        { id: 'exports', kind: 'dynatrace', exportDir: dir },
        dynatraceSource(emulator, { exportDir: dir }),
      ],
    });
  });
  afterAll(async () => {
    await gateway.close();
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  const status = async (source = 'exports') =>
    (await gql(gateway, `{ dynatraceExports(source: "${source}") {
      documents { name origin format timeframe { from to } metrics series dayRecords notes }
      rejected { name origin path reason }
      problem
    } }`)).data!.dynatraceExports;

  const daily = async (source: string, metric: string, from: number, to: number, extra = '') => {
    const response = await gql(gateway, `{ metricData(source: "${source}", metric: "${metric}", from: "${iso(JAN(from))}", to: "${iso(JAN(to))}", interval: "1d" ${extra}) {
      metric upstreamMetric unit labels { key value } timestamps values } }`);
    return response as typeof response & { extensions?: { warnings?: Array<{ message: string }> } };
  };

  it('ingests the directory at start, oldest timeframe first, and reports refused files with path and reason', async () => {
    const { documents, rejected, problem } = await status();
    expect(problem).toBeNull();
    expect(documents.map((document: { name: string }) => document.name)).toEqual([
      '2024-01-01-customers.json', 'z-two-days.json', 'a-correction.json', 'saved-2024-01-04.json', 'shifted.json',
    ]);
    expect(documents[0]).toMatchObject({ origin: 'FILE', format: 'EXPORT', metrics: ['http_requests', 'http_duration_ms'], series: 4, dayRecords: 4 });
    expect(documents[3]).toMatchObject({ format: 'QUERY_RESPONSE', timeframe: { from: iso(JAN(4)), to: iso(JAN(5)) } });
    expect(documents[4].notes[0]).toContain('is not aligned to UTC days; 2024-01-10 and 2024-01-11 are only partly covered');
    expect(rejected).toEqual(
      expect.arrayContaining([
        { name: 'broken.json', origin: 'FILE', path: '$.metrics[0].data[0].values[0]', reason: 'must be a number or null (a gap); got "12"' },
        { name: 'not-json.json', origin: 'FILE', path: '$', reason: expect.stringMatching(/^is not valid JSON/) },
      ]),
    );
    expect(rejected).toHaveLength(2);
  });

  it('answers metricData from the day records, corrections and slot ends applied', async () => {
    const response = await daily('exports', 'http_requests', 1, 5, ', filters: [{ key: "customer_id", values: ["customer_001"] }]');
    expect(response.errors).toBeUndefined();
    expect(response.data!.metricData).toEqual([
      {
        metric: 'http_requests',
        upstreamMetric: 'builtin:service.requestCount.total',
        unit: 'count',
        labels: [{ key: 'customer_id', value: 'customer_001' }, { key: 'service', value: 'api-gateway' }],
        timestamps: [JAN(1), JAN(2), JAN(3), JAN(4)],
        values: [50000, 1000, 1200, 900],
      },
    ]);
    const duration = await daily('exports', 'http_duration_ms', 1, 2);
    expect(duration.data!.metricData[0]).toMatchObject({ unit: 'ms', values: [250] });
  });

  it('splits usage by a label for allocation', async () => {
    const response = await daily('exports', 'http_requests', 1, 2, ', dynatrace: { splitBy: ["customer_id"] }');
    expect(response.data!.metricData.map((series: { labels: Array<{ value: string }>; values: number[] }) => [series.labels[0]!.value, series.values[0]])).toEqual([
      ['customer_001', 50000],
      ['customer_002', 30000],
      ['customer_003', 20000],
    ]);
  });

  it('leaves days no file covers as gaps, with a warning', async () => {
    const response = await daily('exports', 'http_requests', 3, 7, ', filters: [{ key: "customer_id", values: ["customer_001"] }]');
    expect(response.data!.metricData[0].values).toEqual([1200, 900, null, null]);
    expect(response.extensions!.warnings).toEqual([
      { source: 'exports', metric: 'http_requests', message: 'ingested exports do not cover 2024-01-05 to 2024-01-06 for http_requests (builtin:service.requestCount.total); those days are gaps' },
    ]);
  });

  it('refuses what day records cannot answer on a source without API access', async () => {
    const hourly = await gql(gateway, '{ metricData(source: "exports", metric: "http_requests", from: "2024-01-01", to: "2024-01-02", interval: "1h") { values } }');
    expect(hourly.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'interval', source: 'exports' });
    expect(hourly.errors![0]!.message).toBe(
      'exports has no API configured (url, apiToken) and answers from export files only: export data is kept per UTC day; ask for an interval of whole days (1d, 7d) or none; got 1h',
    );
    const api = await gql(gateway, '{ metricData(source: "exports", metric: "http_requests", from: "2024-01-01", to: "2024-01-02", dynatrace: { origin: API }) { values } }');
    expect(api.errors![0]!.message).toMatch(/^exports has no API configured \(url, apiToken\); it answers from export files only, so origin API is not available \(ingested exports cover 2024-01-01 to 2024-01-11\)$/);
  });

  it('answers covered ranges from the files and the rest from the API when both are there', async () => {
    const before = emulator.queryCalls().length;
    const covered = await daily('dynatrace', 'http_requests', 1, 5, ', filters: [{ key: "customer_id", values: ["customer_001"] }]');
    expect(covered.data!.metricData[0].values).toEqual([50000, 1000, 1200, 900]);
    expect(emulator.queryCalls().length).toBe(before);

    const uncovered = await daily('dynatrace', 'http_requests', 4, 6, ', dynatrace: { splitBy: [] }');
    expect(emulator.queryCalls().length).toBe(before + 1);
    expect(uncovered.data!.metricData[0].labels).toEqual([]);
    expect(uncovered.data!.metricData[0].values[1]).toBeGreaterThan(100_000);

    const forced = await daily('dynatrace', 'http_requests', 1, 2, ', dynatrace: { origin: API, splitBy: [] }');
    expect(emulator.queryCalls().length).toBe(before + 2);
    const upstream = await askEmulator(emulator, `/api/v2/metrics/query?metricSelector=${encodeURIComponent('builtin:service.requestCount.total:splitBy()')}&from=${JAN(1)}&to=${JAN(2)}&resolution=1d`);
    expect(forced.data!.metricData[0].values).toEqual(upstream.body.result[0].data[0].values);
    expect(forced.data!.metricData[0].values[0]).not.toBe(100000);

    const refused = await daily('dynatrace', 'http_requests', 1, 2, ', dynatrace: { origin: EXPORTS, entitySelector: "type(SERVICE)" }');
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'dynatrace.entitySelector' });
    expect(refused.errors![0]!.message).toBe('origin EXPORTS: entitySelector and mzSelector select Dynatrace entities, which export files do not record');
  });

  it('picks up files written later, and a rewrite with the same content changes nothing', async () => {
    await writeFile(join(dir, 'later.json'), JSON.stringify(exportDoc(5, 'builtin:service.requestCount.total', { customer_001: [777] })));
    await writeFile(join(dir, 'z-two-days.json'), JSON.stringify(FILES['z-two-days.json']));
    const documents = await eventually(async () => {
      const { documents } = await status();
      return documents.some((document: { name: string }) => document.name === 'later.json') ? documents : undefined;
    }, 'later.json to be ingested');
    expect(documents.filter((document: { name: string }) => document.name === 'z-two-days.json')).toHaveLength(1);
    const response = await daily('exports', 'http_requests', 4, 6, ', filters: [{ key: "customer_id", values: ["customer_001"] }]');
    expect(response.data!.metricData[0].values).toEqual([900, 777]);
  });

  it('ingests a document sent by a client by the same rules, and never half of one', async () => {
    const ingest = (document: unknown, name?: string) =>
      gql(gateway, 'mutation ($document: JSON!, $name: String) { ingestDynatraceExport(source: "exports", document: $document, name: $name) { source name status format timeframe { from to } metrics series dayRecords notes } }', { document, name });
    const before = await daily('exports', 'http_requests', 20, 21, ', dynatrace: { origin: EXPORTS }');
    expect(before.data!.metricData).toEqual([]);

    const document = exportDoc(20, 'builtin:service.requestCount.total', { customer_001: [42], customer_002: [58] });
    const first = await ingest(document, 'client-jan-20');
    expect(first.data!.ingestDynatraceExport).toEqual({
      source: 'exports', name: 'client-jan-20', status: 'INGESTED', format: 'EXPORT',
      timeframe: { from: iso(JAN(20)), to: iso(JAN(21)) }, metrics: ['http_requests'], series: 2, dayRecords: 2, notes: [],
    });
    expect((await ingest(document, 'client-jan-20')).data!.ingestDynatraceExport.status).toBe('UNCHANGED');
    expect((await ingest(document)).data!.ingestDynatraceExport.status).toBe('UNCHANGED');
    // Asked again: the cache must not hand back the answer from before the document came.
    const after = await daily('exports', 'http_requests', 20, 21, ', dynatrace: { origin: EXPORTS }');
    expect(after.data!.metricData.map((series: { values: number[] }) => series.values[0])).toEqual([42, 58]);

    const replaced = await ingest(exportDoc(20, 'builtin:service.requestCount.total', { customer_001: [43] }), 'client-jan-20');
    expect(replaced.data!.ingestDynatraceExport.status).toBe('REPLACED');
    const corrected = await daily('exports', 'http_requests', 20, 21, ', dynatrace: { origin: EXPORTS }');
    expect(corrected.data!.metricData.map((series: { values: number[] }) => series.values[0])).toEqual([43]);

    const halfBad = exportDoc(22, 'builtin:service.requestCount.total', { customer_001: [1] });
    halfBad.metrics.push({ metricId: 'builtin:service.cpu.time', data: [{ dimensions: { customer_id: 'customer_001', service: 'x' }, timestamps: [JAN(23)], values: [1] }] });
    const refused = await ingest(halfBad, 'half-bad');
    expect(refused.data).toBeNull();
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', source: 'exports', field: 'document', jsonPath: '$.metrics[1].data[0].timestamps[0]' });
    expect(refused.errors![0]!.message).toMatch(/^\$\.metrics\[1\]\.data\[0\]\.timestamps\[0\]: 2024-01-23T00:00:00.000Z lies outside the timeframe/);
    const untouched = await daily('exports', 'http_requests', 22, 23, ', dynatrace: { origin: EXPORTS }');
    expect(untouched.data!.metricData).toEqual([]);
    expect((await status()).rejected).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'half-bad', origin: 'CLIENT', path: '$.metrics[1].data[0].timestamps[0]' })]));
  });
});
