import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_TOKENS, DarktraceEmulator } from '../../src/emulators/darktrace/emulator.js';
import type { Gateway } from '../../src/gateway.js';
import { EMULATOR_CA_FILE, hoursAgo } from '../helpers/darktrace.js';
import { gql, startGateway } from '../helpers/gateway.js';

/**
 * `extensions.cost` on answers, and on answers the whole-response cache sends again: a kept
 * response carries the cost of the execution that built it, which is the cost of the points it
 * holds (the same bytes go out).
 */
describe('extensions.cost', () => {
  let emulator: DarktraceEmulator;
  let gateway: Gateway;

  beforeAll(async () => {
    emulator = await DarktraceEmulator.start();
    gateway = await startGateway({
      sources: [{ id: 'dt', kind: 'darktrace', url: emulator.url, ...EMULATOR_TOKENS, caFile: EMULATOR_CA_FILE, cacheTtl: { open: '1m', closed: '1h' } } as never],
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await emulator?.close();
  });

  it('reports estimated and actual points, and a response sent again from the cache carries the same cost', async () => {
    const did = emulator.devices[1]!.did;
    // 24 whole hours, two devices: 2 series x 25 one-hour buckets estimated (the aligned range may take one more).
    const query = `{ panel: metricData(source: "dt", metric: "connections", from: ${hoursAgo(30)}, to: ${hoursAgo(6)}, interval: "1h",
      darktrace: { devices: ["${did}", "${emulator.devices[2]!.did}"] }) { values } }`;
    const hits = () => gateway.metrics.count(gateway.metrics.responseCacheLookups, { result: 'hit' });
    const first = await gql(gateway, query);
    expect(first.errors).toBeUndefined();
    const points = first.data!.panel.reduce((sum: number, series: { values: unknown[] }) => sum + series.values.length, 0);
    expect(first.data!.panel).toHaveLength(2);
    const cost = (first as any).extensions.cost;
    expect(cost).toMatchObject({ unit: 'points', actual: points, max: 500_000, result: 'COST_OK', fields: { panel: { actual: points, max: 500_000 } } });
    expect(cost.estimated).toBeGreaterThanOrEqual(points);
    expect(cost.estimated).toBeLessThanOrEqual(2 * 26);

    const before = await hits();
    const again = await gql(gateway, query);
    expect(await hits()).toBe(before + 1);
    expect((again as any).extensions.cost).toEqual(cost);
    expect(again.data).toEqual(first.data);
  });

  it('counts a point sent as a Point object ten times a point in columns, wherever a fragment selects it', async () => {
    const did = emulator.devices[1]!.did;
    const ask = (selection: string) =>
      gql(gateway, `{ panel: metricData(source: "dt", metric: "connections", from: ${hoursAgo(30)}, to: ${hoursAgo(6)}, interval: "1h",
        darktrace: { devices: ["${did}"] }) { ${selection} } }${selection === '...P' ? ' fragment P on Series { points { timestamp value } }' : ''}`);
    const columns = await ask('timestamps values');
    expect(columns.errors).toBeUndefined();
    const points = columns.data!.panel[0].values.length;
    expect((columns as any).extensions.cost.actual).toBe(points);
    for (const selection of ['points { value }', '... on Series { pts: points { timestamp } }', '...P']) {
      const objects = await ask(selection);
      expect(objects.errors, selection).toBeUndefined();
      const cost = (objects as any).extensions.cost;
      expect(cost.estimated, selection).toBe(10 * (columns as any).extensions.cost.estimated);
      expect(cost.actual, selection).toBe(10 * points);
    }
  });

  it('is absent where no field reads points', async () => {
    const response = await gql(gateway, '{ sources { id } }');
    expect(response.errors).toBeUndefined();
    expect((response as any).extensions?.cost).toBeUndefined();
  });
});
