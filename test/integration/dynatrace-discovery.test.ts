import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynatraceEmulator, type DynatraceEmulator } from '../../src/emulators/dynatrace/index.js';
import type { Gateway } from '../../src/gateway.js';
import { askEmulator, dynatraceSource, paramsOf } from '../helpers/dynatrace.js';
import { gql, startGateway } from '../helpers/gateway.js';

describe('dynatrace metric discovery', () => {
  let emulator: DynatraceEmulator;
  let gateway: Gateway;

  beforeAll(async () => {
    // Pages of 7 (the real API clamps at 500) so the catalogue takes several pages.
    emulator = await startDynatraceEmulator({ pageSizeLimit: 7 });
    gateway = await startGateway({ sources: [dynatraceSource(emulator, { customMappings: { 'shop.cpu_time': 'customer_cpu_time_ms' } })] });
  });
  afterAll(async () => {
    await gateway.close();
    await emulator.close();
  });

  it('reads every page, sending nextPageKey alone after the first, and lists mapped names', async () => {
    const before = emulator.listCalls().length;
    const response = await gql(gateway, '{ metrics(source: "dynatrace") { source name upstreamName unit description } }');
    expect(response.errors).toBeUndefined();

    const calls = emulator.listCalls().slice(before);
    const total = emulator.catalogue.metrics.length;
    expect(calls).toHaveLength(Math.ceil(total / 7));
    expect([...paramsOf(calls[0]!.rawPath).keys()].sort()).toEqual(['fields', 'pageSize']);
    for (const call of calls.slice(1)) expect([...paramsOf(call.rawPath).keys()]).toEqual(['nextPageKey']);

    const listed = response.data!.metrics as Array<Record<string, string | null>>;
    expect(listed).toHaveLength(total);
    expect(listed.find((entry) => entry.name === 'http_duration_ms')).toEqual({
      source: 'dynatrace',
      name: 'http_duration_ms',
      upstreamName: 'builtin:service.response.time',
      unit: 'ms',
      description: 'Response time: The time the service took to respond, in microseconds.',
    });
    expect(listed.find((entry) => entry.name === 'customer_cpu_time_ms')).toMatchObject({ upstreamName: 'shop.cpu_time', unit: 'ms' });
    expect(listed.find((entry) => entry.name === 'builtin:host.cpu.usage')).toMatchObject({ upstreamName: null, unit: 'percent' });
    // The keys that do not exist are not invented.
    expect(listed.some((entry) => entry.upstreamName === 'builtin:service.errors.total')).toBe(false);
  });

  it('serves the catalogue from memory until it expires, and searches it', async () => {
    const before = emulator.listCalls().length;
    const response = await gql(gateway, '{ metrics(source: "dynatrace", search: "key request") { name upstreamName } }');
    expect(emulator.listCalls().length).toBe(before);
    expect(response.data!.metrics.map((entry: { name: string }) => entry.name)).toEqual([
      'builtin:service.keyRequest.count.client', 'builtin:service.keyRequest.count.server', 'key_requests',
    ]);
  });

  it('follows the API rule that nextPageKey comes alone (the emulator refuses otherwise)', async () => {
    const first = await askEmulator(emulator, '/api/v2/metrics?pageSize=2');
    expect(first.body.nextPageKey).toEqual(expect.any(String));
    const mixed = await askEmulator(emulator, `/api/v2/metrics?nextPageKey=${encodeURIComponent(first.body.nextPageKey)}&pageSize=2`);
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.constraintViolations[0]).toMatchObject({ path: 'nextPageKey', parameterLocation: 'QUERY' });
    const alone = await askEmulator(emulator, `/api/v2/metrics?nextPageKey=${encodeURIComponent(first.body.nextPageKey)}`);
    expect(alone.status).toBe(200);
    expect(alone.body.metrics.map((metric: { metricId: string }) => metric.metricId)).toEqual(
      emulator.catalogue.metrics.slice(2, 4).map((metric) => metric.descriptor.metricId),
    );
  });
});
