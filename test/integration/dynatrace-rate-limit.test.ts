import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDynatraceEmulator, type DynatraceEmulator } from '../../src/emulators/dynatrace/index.js';
import type { Gateway } from '../../src/gateway.js';
import { dynatraceSource } from '../helpers/dynatrace.js';
import { gql, startGateway } from '../helpers/gateway.js';

const TOO_MANY = { error: { code: 429, message: 'Too Many Requests' } };

describe('dynatrace rate limiting', () => {
  let emulator: DynatraceEmulator;
  let gateway: Gateway;
  let day = 1;
  /** A query no earlier test asked, so nothing comes from cache. */
  const freshQuery = () => {
    day++;
    const from = `2024-02-${String(day).padStart(2, '0')}`;
    const to = `2024-02-${String(day + 1).padStart(2, '0')}`;
    return `{ metricData(source: "dynatrace", metric: "http_requests", from: "${from}", to: "${to}", interval: "1d", dynatrace: { splitBy: [] }) { values } }`;
  };

  beforeAll(async () => {
    emulator = await startDynatraceEmulator();
    gateway = await startGateway({ sources: [dynatraceSource(emulator, { timeoutMs: 5000 })] });
  });
  beforeEach(() => {
    emulator.server.clearFaults();
    emulator.setRateLimit({ limit: 100_000 });
  });
  afterAll(async () => {
    await gateway.close();
    await emulator.close();
  });

  it('waits as long as Retry-After says, then answers', async () => {
    emulator.server.inject({ status: 429, body: TOO_MANY, headers: { 'retry-after': '1' }, match: (request) => request.url.pathname === '/api/v2/metrics/query' });
    const before = emulator.queryCalls().length;
    const response = await gql(gateway, freshQuery());
    expect(response.errors).toBeUndefined();
    expect(response.data!.metricData[0].values[0]).toBeGreaterThan(0);
    const [limited, retried] = emulator.queryCalls().slice(before);
    expect(retried).toBeDefined();
    expect(retried!.rawPath).toBe(limited!.rawPath);
    expect(retried!.receivedAt - limited!.receivedAt).toBeGreaterThanOrEqual(1000);
  });

  it('without Retry-After, waits until X-RateLimit-Reset (epoch microseconds)', async () => {
    const resetMs = Date.now() + 700;
    emulator.server.inject({
      status: 429,
      body: TOO_MANY,
      headers: { 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetMs * 1000) },
      match: (request) => request.url.pathname === '/api/v2/metrics/query',
    });
    const before = emulator.queryCalls().length;
    const response = await gql(gateway, freshQuery());
    expect(response.errors).toBeUndefined();
    const calls = emulator.queryCalls().slice(before);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.receivedAt).toBeGreaterThanOrEqual(resetMs);
  });

  it('reports UPSTREAM_RATE_LIMITED with the wait when the reset lies beyond the deadline', async () => {
    const resetMs = Date.now() + 120_000;
    emulator.server.inject({
      status: 429,
      body: TOO_MANY,
      headers: { 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetMs * 1000) },
      match: (request) => request.url.pathname === '/api/v2/metrics/query',
    });
    const before = emulator.queryCalls().length;
    const response = await gql(gateway, freshQuery());
    expect(response.data!.metricData).toBeNull();
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', source: 'dynatrace', upstreamStatus: 429 });
    const retryAfterMs = response.errors![0]!.extensions!.retryAfterMs as number;
    expect(retryAfterMs).toBeGreaterThan(110_000);
    expect(retryAfterMs).toBeLessThanOrEqual(120_000);
    expect(response.errors![0]!.message).toContain('Too Many Requests');
    expect(emulator.queryCalls().length - before).toBe(1);
  });

  it("meets the emulator's own per-token budget and says when to come back", async () => {
    emulator.setRateLimit({ limit: 1, windowMs: 3_600_000 });
    const first = await gql(gateway, freshQuery());
    const second = await gql(gateway, freshQuery());
    expect(first.errors).toBeUndefined();
    expect(second.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', retryAfterMs: expect.any(Number) });
  });
});
