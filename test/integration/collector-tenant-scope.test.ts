import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCollectorApi } from '../../src/http/collector-routes.js';
import { NativeSource } from '../../src/sources/native/adapter.js';
import { MemoryNativeStore } from '../../src/sources/native/memory-store.js';
import { SourceRegistry } from '../../src/sources/source.js';
import { GatewayMetrics } from '../../src/telemetry/metrics.js';
import { read, track } from '../helpers/collector.js';

/**
 * The collector API with requests bound to tenants (what authentication will provide): a bound
 * client writes only its own tenant and reads nothing of another. Served over real HTTP by yoga
 * with the plugin alone; the header below stands in for a credential.
 */

describe('the collector API scoped to a tenant', () => {
  let server: Server;
  let api: { url: string };
  const as = (tenant: string) => ({ 'x-test-tenant': tenant });

  beforeAll(async () => {
    const registry = new SourceRegistry([new NativeSource('native', new MemoryNativeStore({ sweepEveryMs: 0 }))]);
    const yoga = createYoga({
      schema: createSchema({ typeDefs: 'type Query { ok: Boolean }' }),
      logging: false,
      plugins: [useCollectorApi({ registry, metrics: new GatewayMetrics(), log: pino({ level: 'silent' }), tenantOf: (request) => request.headers.get('x-test-tenant') ?? undefined })],
    });
    server = createServer(yoga);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    await track(api, '/metrics/track', { name: 'orders', value: 1 }, as('acme'));
    await track(api, '/metrics/track', { name: 'orders', value: 2, tenant_id: 'globex' });
    await track(api, '/metrics/track', { name: 'globex_secret', value: 3, tenant_id: 'globex' });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('stores a bound write under its tenant and refuses one for another tenant', async () => {
    const refused = await track(api, '/metrics/track', { name: 'orders', value: 9, tenant_id: 'globex' }, as('acme'));
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ detail: 'tenant_id "globex" is not the tenant this client may write for (\'acme\')', code: 'FORBIDDEN', field: 'tenant_id' });
    const all = (await read(api, '/metrics/series?name=orders')).body.series.map((s: { tenant_id: string; latest_value: number }) => [s.tenant_id, s.latest_value]);
    expect(all.sort()).toEqual([['acme', 1], ['globex', 2]]);
  });

  it("shows a bound client its own series only, whatever it asks for", async () => {
    const own = await read(api, '/metrics/series', { headers: as('acme') });
    expect(own.body.series.map((s: { name: string; tenant_id: string }) => `${s.name}/${s.tenant_id}`)).toEqual(['orders/acme']);
    expect((await read(api, '/metrics/series?tenant_id=globex', { headers: as('acme') })).body).toMatchObject({ series: [], total: 0 });
    expect((await read(api, '/metrics/trends/globex_secret', { headers: as('acme') })).status).toBe(404);
    expect((await read(api, '/metrics/trends/globex_secret')).status).toBe(200);
  });

  it('gives a bound client a scrape of its own series and nothing else', async () => {
    const scrape = (await read(api, '/metrics', { headers: as('acme') })).body as string;
    expect(scrape).toMatch(/^orders\{tenant_id="acme"\} 1$/m);
    expect(scrape).not.toContain('globex');
    expect(scrape).not.toContain('metrics_collected_total');
    expect(scrape).not.toContain('gateway_');
  });
});
