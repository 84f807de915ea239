import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDynatraceEmulator, type DynatraceEmulator } from '../../src/emulators/dynatrace/index.js';
import type { Gateway } from '../../src/gateway.js';
import { dynatraceSource } from '../helpers/dynatrace.js';
import { gql, startGateway } from '../helpers/gateway.js';

/**
 * Metric discovery is shared: one catalogue read serves every request that asks while it runs,
 * bound by the source's own timeout per call, however long its pages take together. A request
 * waiting for it leaves at its own deadline with GATEWAY_TIMEOUT; the read goes on and fills the
 * cache for the requests after it.
 *
 * Pages of 3 with 500 ms each make the read of the emulator's 30 metrics take some 5 s, well past
 * the request deadline plus the same again for a busy machine; each page is within the source's
 * derived timeout (1200 ms), so the read itself succeeds.
 */
const DEADLINE_MS = 1500;
const DUE_MS = DEADLINE_MS * 2;
const PAGE_SIZE = 3;
const PAGE_LATENCY_MS = 500;

describe('a request waiting on a long shared discovery read', () => {
  let emulator: DynatraceEmulator;
  let gateway: Gateway;
  let pages: number;

  beforeAll(async () => {
    emulator = await startDynatraceEmulator({ pageSizeLimit: PAGE_SIZE, latencyMs: PAGE_LATENCY_MS });
    pages = Math.ceil(emulator.catalogue.metrics.length / PAGE_SIZE);
    expect(pages * PAGE_LATENCY_MS).toBeGreaterThan(DUE_MS);
    gateway = await startGateway({ requestDeadlineMs: DEADLINE_MS, sources: [{ id: 'native', kind: 'native' }, dynatraceSource(emulator)] });
    await gql(gateway, 'mutation { trackMetric(source: "native", input: { name: "uptime_ratio", value: 0.5 }) { success } }');
  });
  afterAll(async () => {
    await gateway.close();
    await emulator.close();
  });

  it('leaves at its deadline; the read finishes for the requests after it', async () => {
    const query = '{ listed: metrics(source: "dynatrace") { name } native: metricData(source: "native", metric: "uptime_ratio", from: "now-1h") { values } }';
    const started = performance.now();
    const first = await gql(gateway, query);
    expect(performance.now() - started).toBeLessThan(DUE_MS);
    expect(first.data).toEqual({ listed: null, native: [{ values: [0.5] }] });
    expect(first.errors).toHaveLength(1);
    expect(first.errors![0]).toMatchObject({
      path: ['listed'],
      message: 'dynatrace did not answer within the request deadline (requestDeadlineMs: 1500)',
      extensions: { code: 'GATEWAY_TIMEOUT', source: 'dynatrace' },
    });

    // The read the first request left goes on to its last page...
    await vi.waitFor(() => expect(emulator.listCalls()).toHaveLength(pages), { timeout: pages * PAGE_LATENCY_MS * 4, interval: 50 });
    // ...and what it read serves the next request, with no new read.
    const next = await gql(gateway, '{ metrics(source: "dynatrace") { name } }');
    expect(next.errors).toBeUndefined();
    expect(next.data!.metrics).toHaveLength(emulator.catalogue.metrics.length);
    expect(emulator.listCalls()).toHaveLength(pages);
  });
});
