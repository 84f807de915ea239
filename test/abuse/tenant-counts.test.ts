import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { read, track } from '../helpers/collector.js';
import { gql, startGateway } from '../helpers/gateway.js';
import { sha, as } from '../helpers/api-keys.js';

/**
 * What a tenant learns about the collector counts its own series only: /metrics/stats and
 * `sources { message }` once counted every tenant's, telling each tenant how busy the others are.
 */

const KEYS = { acme: 'acme-counts-key', globex: 'globex-counts-key' };

describe('tenant-scoped counts', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway({
      auth: {
        apiKeys: [
          { id: 'acme', sha256: sha(KEYS.acme), tenant: 'acme' },
          { id: 'globex', sha256: sha(KEYS.globex), tenant: 'globex' },
        ],
      },
    });
    // acme: 2 series of one metric, 3 points; globex: 5 series of 2 metrics, 5 points.
    const now = Date.now();
    const batch = (items: Array<[string, string]>) => items.map(([name, host], i) => ({ name, value: i + 1, labels: { host }, timestamp: new Date(now - i).toISOString() }));
    expect((await track(gateway, '/metrics/track/batch', [...batch([['orders', 'a'], ['orders', 'b']]), { name: 'orders', value: 9, labels: { host: 'a' } }], as(KEYS.acme))).status).toBe(200);
    const globex = batch([['jobs', '1'], ['jobs', '2'], ['jobs', '3'], ['queue', '1'], ['queue', '2']]);
    expect((await track(gateway, '/metrics/track/batch', globex, as(KEYS.globex))).status).toBe(200);
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('/metrics/stats counts the caller tenant’s series, points and metrics only', async () => {
    const acme = (await read(gateway, '/metrics/stats', { headers: as(KEYS.acme) })).body;
    expect(acme.collector).toMatchObject({ total_series: 2, total_points: 3, active_series: 2 });
    expect(acme.aggregator).toMatchObject({ total_aggregated_series: 2, total_aggregated_metrics: 1 });
    const globex = (await read(gateway, '/metrics/stats', { headers: as(KEYS.globex) })).body;
    expect(globex.collector).toMatchObject({ total_series: 5, total_points: 5 });
    expect(globex.aggregator).toMatchObject({ total_aggregated_metrics: 2 });
  });

  it('/metrics/stats leaves out the store-wide running totals for a tenant', async () => {
    const acme = (await read(gateway, '/metrics/stats', { headers: as(KEYS.acme) })).body;
    expect(acme.collector).toMatchObject({ collected_points: null, dropped_points: null, dropped_by_reason: null, last_collection: null });
  });

  it('sources { message } counts the caller tenant’s series only', async () => {
    const message = async (key: string) => (await gql(gateway, '{ sources { id message } }', undefined, as(key))).data!.sources[0].message;
    expect(await message(KEYS.acme)).toBe('2 series, 3 points of this tenant in memory');
    expect(await message(KEYS.globex)).toBe('5 series, 5 points of this tenant in memory');
  });
});
