import { describe, expect, it } from 'vitest';
import { parseExport } from '../../src/sources/dynatrace/export-ingest/parse.js';
import { ExportDocumentError } from '../../src/sources/dynatrace/export-ingest/problem.js';

const JAN1 = Date.parse('2024-01-01T00:00:00Z');
const DAY = 86_400_000;

const exportDoc = (metrics: unknown[], timeframe: unknown = { start: '2024-01-01T00:00:00Z', end: '2024-01-02T00:00:00Z' }) =>
  JSON.stringify({ timeframe, metrics });

function refusal(text: string): { path: string; reason: string } {
  try {
    parseExport(text);
  } catch (error) {
    if (error instanceof ExportDocumentError) return { path: error.jsonPath, reason: error.reason };
    throw error;
  }
  throw new Error('the document was accepted');
}

describe('dynatrace export documents', () => {
  it('reads the export format: labels from dimensions, timestamps as slot starts', () => {
    const parsed = parseExport(
      exportDoc([
        {
          metricId: 'builtin:service.requestCount.total',
          data: [
            { dimensions: { customer_id: 'customer_001', service: 'api-gateway' }, timestamps: [JAN1], values: [50000] },
            { dimensions: { customer_id: 'customer_002', service: 'api-gateway' }, timestamps: [JAN1], values: [null] },
          ],
        },
      ]),
    );
    expect(parsed.format).toBe('export');
    expect(parsed.timeframe).toEqual({ from: JAN1, to: JAN1 + DAY });
    expect(parsed.notes).toEqual([]);
    expect(parsed.metrics).toEqual([
      {
        key: 'builtin:service.requestCount.total',
        path: '$.metrics[0]',
        series: [
          { path: '$.metrics[0].data[0]', labels: { customer_id: 'customer_001', service: 'api-gateway' }, points: [[JAN1, 50000]] },
          { path: '$.metrics[0].data[1]', labels: { customer_id: 'customer_002', service: 'api-gateway' }, points: [[JAN1, null]] },
        ],
      },
    ]);
  });

  it('reads a saved /metrics/query answer: dimensionMap labels, slot ends moved back to starts', () => {
    const parsed = parseExport(
      JSON.stringify({
        totalCount: 2,
        nextPageKey: null,
        resolution: '1h',
        result: [
          {
            metricId: 'builtin:service.response.time:splitBy("dt.entity.service"):avg',
            data: [{ dimensions: ['SERVICE-1'], dimensionMap: { 'dt.entity.service': 'SERVICE-1' }, timestamps: [JAN1 + 3_600_000, JAN1 + 7_200_000], values: [1200, null] }],
          },
          { metricId: 'shop.requests.count:filter(eq("customer_id","x"))', data: [], warnings: ['The dimension key `x` has been referenced, but the metric has no such key.'] },
        ],
      }),
    );
    expect(parsed.format).toBe('query-response');
    expect(parsed.timeframe).toEqual({ from: JAN1, to: JAN1 + 7_200_000 });
    expect(parsed.metrics.map((metric) => metric.key)).toEqual(['builtin:service.response.time', 'shop.requests.count']);
    expect(parsed.metrics[0]!.series[0]!.points).toEqual([[JAN1, 1200], [JAN1 + 3_600_000, null]]);
    expect(parsed.notes).toContain('Dynatrace warned about shop.requests.count:filter(eq("customer_id","x")): The dimension key `x` has been referenced, but the metric has no such key.');
    expect(parsed.notes.some((note) => note.includes('not aligned to UTC days'))).toBe(true);
  });

  it('reports a timeframe that is not aligned to UTC days without moving anything', () => {
    const parsed = parseExport(
      exportDoc([{ metricId: 'x.y', data: [{ dimensions: {}, timestamps: [JAN1 + 6 * 3_600_000], values: [1] }] }], { start: '2024-01-01T06:00:00Z', end: '2024-01-02T06:00:00Z' }),
    );
    expect(parsed.timeframe).toEqual({ from: JAN1 + 6 * 3_600_000, to: JAN1 + DAY + 6 * 3_600_000 });
    expect(parsed.notes).toEqual([
      'timeframe 2024-01-01T06:00:00.000Z to 2024-01-02T06:00:00.000Z is not aligned to UTC days; 2024-01-01 and 2024-01-02 are only partly covered by this document, and no value was moved to another day',
    ]);
    expect(parsed.metrics[0]!.series[0]!.points).toEqual([[JAN1 + 6 * 3_600_000, 1]]);
  });

  it('treats a time with an offset as the UTC instant it names', () => {
    const parsed = parseExport(exportDoc([], { start: '2024-01-01T01:00:00+01:00', end: 1704153600000 }));
    expect(parsed.timeframe).toEqual({ from: JAN1, to: JAN1 + DAY });
    expect(parsed.notes).toEqual([]);
  });

  it.each([
    ['not JSON', '{"timeframe":', '$', /^is not valid JSON/],
    ['neither format', '{"data": []}', '$', /is neither an export document .* nor a saved \/api\/v2\/metrics\/query answer/],
    ['a list at the root', '[]', '$', /must be an export object; got a list of 0/],
    ['a relative timeframe', exportDoc([], { start: 'now-1d', end: 'now' }), '$.timeframe.start', /not relative to now; got "now-1d"/],
    ['an empty timeframe', exportDoc([], { start: '2024-01-02', end: '2024-01-01' }), '$.timeframe', /end must be after start/],
    ['a string value', exportDoc([{ metricId: 'a.b', data: [{ dimensions: {}, timestamps: [JAN1, JAN1 + 1], values: [1, '12'] }] }]), '$.metrics[0].data[0].values[1]', /must be a number or null \(a gap\); got "12"/],
    ['unequal lengths', exportDoc([{ metricId: 'a.b', data: [{ timestamps: [JAN1], values: [] }] }]), '$.metrics[0].data[0]', /same length; got 1 timestamps and 0 values/],
    ['seconds for milliseconds', exportDoc([{ metricId: 'a.b', data: [{ timestamps: [1.5], values: [1] }] }]), '$.metrics[0].data[0].timestamps[0]', /must be epoch milliseconds/],
    ['time going backwards', exportDoc([{ metricId: 'a.b', data: [{ timestamps: [JAN1 + 2, JAN1 + 1], values: [1, 2] }] }]), '$.metrics[0].data[0].timestamps[1]', /must be later than the timestamp before it/],
    ['a slot end as timestamp', exportDoc([{ metricId: 'a.b', data: [{ timestamps: [JAN1 + DAY], values: [1] }] }]), '$.metrics[0].data[0].timestamps[0]', /lies outside the timeframe .* export timestamps mark the start of each slot/],
    ['dimensions without keys', exportDoc([{ metricId: 'a.b', data: [{ dimensions: ['x'], timestamps: [JAN1], values: [1] }] }]), '$.metrics[0].data[0].dimensions', /is a list of values without their keys/],
    ['a repeated series', exportDoc([{ metricId: 'a.b', data: [{ dimensions: { k: 'v' }, timestamps: [JAN1], values: [1] }, { dimensions: { k: 'v' }, timestamps: [JAN1], values: [2] }] }]), '$.metrics[0].data[1]', /repeats the dimensions of \$\.metrics\[0\]\.data\[0\]/],
    ['a missing metricId', exportDoc([{ data: [] }]), '$.metrics[0].metricId', /must be a Dynatrace metric key/],
    ['resolution Inf', JSON.stringify({ resolution: 'Inf', result: [] }), '$.resolution', /is Inf: one value for the whole query timeframe/],
    ['weekly slots', JSON.stringify({ resolution: '1w', result: [] }), '$.resolution', /must be the slot size the answer used, from 1m to 1d/],
    ['7h slots', JSON.stringify({ resolution: '7h', result: [] }), '$.resolution', /must divide a day/],
    ['a query answer without keys', JSON.stringify({ resolution: '1d', result: [{ metricId: 'a.b', data: [{ dimensions: ['x'], timestamps: [JAN1], values: [1] }] }] }), '$.result[0].data[0].dimensionMap', /is missing/],
  ])('refuses %s with the JSON path and the reason', (_, text, path, reason) => {
    const refused = refusal(text);
    expect(refused.path).toBe(path);
    expect(refused.reason).toMatch(reason);
  });

  it("keeps Dynatrace's remainder series under its own label", () => {
    const parsed = parseExport(JSON.stringify({ resolution: '1d', result: [{ metricId: 'a.b', data: [{ dimensionMap: null, dimensions: null, timestamps: [JAN1 + DAY], values: [7] }] }] }));
    expect(parsed.metrics[0]!.series[0]!.labels).toEqual({ 'dt.remainder': 'true' });
  });
});
