import { describe, expect, it } from 'vitest';
import { DescriptorCatalog } from '../../src/sources/argus/descriptors.js';
import { readRecord, recordsToSeries, type RecordView } from '../../src/sources/argus/records.js';

const catalog = new DescriptorCatalog('argus', [
  { shortName: 'netstats', keys: [{ name: 'ipAddress', type: 'ip' }, { name: 'vlan', type: 'integer' }], values: ['packages', 'frames'], defaultFunctions: { packages: 'sum' }, units: { packages: 'packets' }, global: false },
  { shortName: 'sensorload', keys: [{ name: 'sensor', type: undefined }], values: ['cpuPercent'], defaultFunctions: { cpuPercent: 'avg' }, global: false },
  { shortName: 'threatfeed', keys: [{ name: 'feed', type: undefined }], values: ['indicators'], global: true },
]);
const range = { from: 0, to: 600_000 };

function record(timestamp: number, customer: string | undefined, keys: Record<string, string>, values: Record<string, number | null>): RecordView {
  return { timestamp, ...(customer ? { customer } : {}), keys, values };
}

describe('Argus records as series', () => {
  it('reads both published shapes: maps (as submitted) and [{name, value}] lists (as aggregated)', () => {
    const fromMaps = readRecord({ timestamp: 1, customer: { id: 101, shortName: 'acme', name: 'Acme' }, keys: { vlan: 10 }, values: { packages: 5 } }, 'argus');
    const fromLists = readRecord({ timestamp: 1, customer: 'acme', keys: [{ name: 'vlan', value: 10 }], values: [{ name: 'packages', value: 5 }] }, 'argus');
    expect(fromMaps).toEqual({ timestamp: 1, customer: 'acme', keys: { vlan: '10' }, values: { packages: 5 } });
    expect(fromLists).toEqual(fromMaps);
    expect(readRecord({ timestamp: 1, customer: 101, keys: {}, values: { packages: 'x' } }, 'argus')).toEqual({ timestamp: 1, customer: '101', keys: {}, values: { packages: null } });
  });

  it('refuses a record without a timestamp as the upstream fault it is', () => {
    expect(() => readRecord({ keys: {}, values: {} }, 'argus')).toThrow(/argus answered with a metric record the gateway cannot read/);
  });

  it('makes one series per customer and key values, per value field, named descriptor.value', () => {
    const records = [
      record(0, 'acme', { ipAddress: '10.0.0.1', vlan: '10' }, { packages: 1, frames: 2 }),
      record(0, 'globex', { ipAddress: '10.0.0.1', vlan: '10' }, { packages: 3, frames: 4 }),
      record(300_000, 'acme', { ipAddress: '10.0.0.1', vlan: '10' }, { packages: 5, frames: 6 }),
    ];
    const series = recordsToSeries(records, catalog.resolve('netstats'), { source: 'argus', range, filters: [] });
    expect(series.map((s) => [s.metric, s.labels, s.timestamps, s.values, s.unit])).toEqual([
      ['netstats.packages', { customer: 'acme', ipAddress: '10.0.0.1', vlan: '10' }, [0, 300_000], [1, 5], 'packets'],
      ['netstats.frames', { customer: 'acme', ipAddress: '10.0.0.1', vlan: '10' }, [0, 300_000], [2, 6], undefined],
      ['netstats.packages', { customer: 'globex', ipAddress: '10.0.0.1', vlan: '10' }, [0], [3], 'packets'],
      ['netstats.frames', { customer: 'globex', ipAddress: '10.0.0.1', vlan: '10' }, [0], [4], undefined],
    ]);
    expect(series.every((s) => s.upstreamMetric === 'netstats' && s.source === 'argus')).toBe(true);
  });

  it('combines records that share a timestamp with the value default function, keeps missing values as gaps', () => {
    const records = [
      record(0, 'acme', { sensor: 's1' }, { cpuPercent: 10 }),
      record(0, 'acme', { sensor: 's1' }, { cpuPercent: 30 }),
      record(60_000, 'acme', { sensor: 's1' }, { cpuPercent: null }),
    ];
    const [series] = recordsToSeries(records, catalog.resolve('sensorload'), { source: 'argus', range, filters: [] });
    expect(series!.timestamps).toEqual([0, 60_000]);
    expect(series!.values).toEqual([20, null]);
  });

  it('resamples with the default function over every record of a bucket (an average stays an average)', () => {
    const records = [
      record(0, 'acme', { sensor: 's1' }, { cpuPercent: 10 }),
      record(0, 'acme', { sensor: 's1' }, { cpuPercent: 20 }),
      record(60_000, 'acme', { sensor: 's1' }, { cpuPercent: 60 }),
      record(400_000, 'acme', { sensor: 's1' }, { cpuPercent: 5 }),
    ];
    const [avg] = recordsToSeries(records, catalog.resolve('sensorload'), { source: 'argus', range, intervalMs: 300_000, filters: [] });
    expect(avg).toMatchObject({ intervalMs: 300_000, timestamps: [0, 300_000], values: [30, 5] });
    const sums = recordsToSeries(
      [record(0, 'acme', { ipAddress: 'a', vlan: '1' }, { packages: 1 }), record(60_000, 'acme', { ipAddress: 'a', vlan: '1' }, { packages: 2 })],
      catalog.resolve('netstats.packages'),
      { source: 'argus', range, intervalMs: 300_000, filters: [] },
    );
    expect(sums).toHaveLength(1);
    expect(sums[0]).toMatchObject({ metric: 'netstats.packages', timestamps: [0, 300_000], values: [3, null] });
  });

  it('applies the filters Argus could not, and gives global descriptors no customer label', () => {
    const records = [
      record(0, undefined, { feed: 'spamhaus' }, { indicators: 7 }),
      record(0, undefined, { feed: 'abuse.ch' }, { indicators: 9 }),
    ];
    const series = recordsToSeries(records, catalog.resolve('threatfeed'), {
      source: 'argus',
      range,
      filters: [{ key: 'feed', values: ['spamhaus'], exclude: true }],
    });
    expect(series.map((s) => s.labels)).toEqual([{ feed: 'abuse.ch' }]);
  });
});
