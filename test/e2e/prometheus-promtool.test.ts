import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { deleteKeys, read, track, uniquePrefix } from '../helpers/collector.js';
import { startGateway } from '../helpers/gateway.js';

/**
 * Prometheus's own checker on the live scrape: `promtool check metrics` parses the text exposition
 * and lints it (HELP on every family, `_total` on counters and only on counters, no `_sum`/`_count`
 * or `le`/`quantile` outside histograms and summaries, no duplicate families). It must report
 * nothing, for raw and aggregated scrapes, from either store.
 *
 * promtool comes with Debian's prometheus package; .ci/run installs it. Without it this file
 * fails: a check that cannot run is not a check that passed.
 */

const HOUR = 3_600_000;

function promtool(text: string): { status: number | null; output: string } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (result.error) {
    throw new Error(
      `promtool is needed for this test and could not run (${(result.error as NodeJS.ErrnoException).code ?? result.error.message}); install it with: apt-get install -y prometheus`,
    );
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

/** Every kind of pushed metric, awkward label values included. */
function pushes(windowStart: number): unknown[] {
  return [
    ...[1, 2, 3].map((value) => ({ name: 'orders', type: 'counter', value, service: 'shop', tenant_id: 'acme', help: 'Orders placed' })),
    { name: 'api_requests_total', type: 'counter', value: 1, service: 'gateway-service', labels: { service: 'gateway', endpoint: '/api/v1/x' } },
    { name: 'queue_depth', value: 7, labels: { queue: 'a "b" \\ c\nd' } },
    ...[0.003, 0.04, 0.3, 20].map((value) => ({ name: 'request_duration_seconds', type: 'histogram', value, labels: { route: '/a' } })),
    ...[1, 2, 3, 4, 5].map((value) => ({ name: 'payload_bytes', type: 'summary', value, help: 'Payload size\nper request' })),
    // In the last complete window of an hour-long aggregation window, for the aggregated scrape.
    { name: 'batch_jobs', type: 'counter', value: 2, service: 'w', timestamp: windowStart + 60_000 },
    { name: 'batch_jobs', type: 'counter', value: 3, service: 'w', timestamp: windowStart + 120_000 },
    { name: 'room_temperature_celsius', value: 21.5, timestamp: windowStart + 60_000 },
  ];
}

describe('promtool check metrics on the live scrape', () => {
  let windowStart: number;
  beforeAll(async () => {
    if (Date.now() % HOUR > HOUR - 10_000) await new Promise((resolve) => setTimeout(resolve, 11_000));
    windowStart = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
  });

  it('has promtool to run', () => {
    expect(promtool('').status).toBe(0);
  });

  describe('memory store', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await startGateway({ sources: [{ id: 'native', kind: 'native', aggregationWindow: '1h', retention: '3h' }] });
      const response = await track(gateway, '/metrics/track/batch', pushes(windowStart));
      expect(response.body.failed).toBe(0);
      // Some traffic, so the operational families have samples too.
      await read(gateway, '/metrics/series');
      await read(gateway, '/metrics/nope');
    });
    afterAll(() => gateway.close());

    it('reports nothing on the raw scrape', async () => {
      const scrape = await read(gateway, '/metrics?format=prometheus');
      expect(scrape.body).toContain('request_duration_seconds_bucket{route="/a",le="+Inf"} 4');
      expect(promtool(scrape.body)).toEqual({ status: 0, output: '' });
    });

    it('reports nothing on the aggregated scrape', async () => {
      const scrape = await read(gateway, '/metrics?format=prometheus&aggregated=true');
      expect(scrape.body).toMatch(/^batch_jobs_increase\{service="w"\} 5$/m);
      expect(promtool(scrape.body)).toEqual({ status: 0, output: '' });
    });

    it('would report a broken exposition (the check can fail)', () => {
      const broken = promtool('# HELP x_total x\n# TYPE x_total gauge\nx_total 1\nx_total 2\n');
      expect(broken.status).not.toBe(0);
      expect(broken.output).not.toBe('');
    });
  });

  describe('redis store and several native sources', () => {
    const prefix = uniquePrefix('promtool');
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await startGateway({
        redis: { url: inject('redisUrl'), keyPrefix: prefix },
        sources: [
          { id: 'native', kind: 'native', store: 'redis', aggregationWindow: '1h', retention: '3h' },
          { id: 'lab', kind: 'native' },
        ],
      });
      const response = await track(gateway, '/metrics/track/batch?source=native', pushes(windowStart));
      expect(response.body.failed).toBe(0);
    });
    afterAll(async () => {
      await gateway.close();
      await deleteKeys(inject('redisUrl'), prefix);
    });

    it('reports nothing on any of the scrapes', async () => {
      for (const path of ['/metrics', '/metrics?source=native', '/metrics?source=native&aggregated=true', '/metrics?source=lab']) {
        const scrape = await read(gateway, path);
        expect(scrape.status, path).toBe(200);
        expect(promtool(scrape.body), path).toEqual({ status: 0, output: '' });
      }
      expect((await read(gateway, '/metrics?source=native')).body).toMatch(/^orders_total\{service="shop",tenant_id="acme"\} 6$/m);
    });
  });
});
