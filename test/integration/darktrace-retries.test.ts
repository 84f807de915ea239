import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../helpers/gateway.js';
import { hoursAgo, startDarktraceRig, type DarktraceRig } from '../helpers/darktrace.js';

/**
 * Reads are retried after 429, 5xx and dropped connections, with a fresh signature each time.
 * Retry-After is honoured when the wait fits in the source's deadline (timeoutMs); when it does
 * not, the client hears at once how long the appliance asked to wait.
 */
describe('Darktrace retries', () => {
  const QUERY = `{ metricData(source: "dt", metric: "connections", from: ${hoursAgo(4)}, to: ${hoursAgo(1)}, interval: "1h") { values } }`;
  const onMetricData = { match: (request: { url: URL }) => request.url.pathname === '/metricdata' };
  let rig: DarktraceRig;

  beforeAll(async () => {
    rig = await startDarktraceRig({ timeoutMs: 5000, retries: 2 });
    await gql(rig.gateway, '{ metrics(source: "dt") { name } }');
  });
  afterAll(() => rig.close());

  it('waits as long as Retry-After says, then succeeds', async () => {
    rig.emulator.reset();
    rig.emulator.inject({ status: 429, headers: { 'retry-after': '1' }, body: { error: 'Too Many Requests' }, ...onMetricData });
    const response = await gql(rig.gateway, QUERY);
    expect(response.errors).toBeUndefined();
    expect(response.data!.metricData[0].values).toHaveLength(3);
    const [first, second] = rig.emulator.requests.filter((request) => request.url.pathname === '/metricdata');
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(950);
    // Same query, signed anew (a later DTAPI-Date) for the second attempt, which the appliance accepts.
    expect(second!.rawPath).toBe(first!.rawPath);
    expect(second!.headers['dtapi-date']).not.toBe(first!.headers['dtapi-date']);
    expect(second!.headers['dtapi-signature']).not.toBe(first!.headers['dtapi-signature']);
    expect(rig.emulator.signatureLog.at(-1)).toEqual({ rawPath: second!.rawPath, outcome: 'decoded' });
  });

  it('answers UPSTREAM_RATE_LIMITED with retryAfterMs at once when Retry-After is past the deadline', async () => {
    rig.emulator.reset();
    rig.emulator.inject({ status: 429, headers: { 'retry-after': '120' }, ...onMetricData });
    const response = await gql(rig.gateway, QUERY);
    expect(response.data).toEqual({ metricData: null });
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', source: 'dt', upstreamStatus: 429, retryAfterMs: 120_000 });
    expect(response.errors![0]!.message).toMatch(/asks to wait 120000 ms, longer than the request may take/);
    expect(rig.emulator.count('/metricdata')).toBe(1);
  });

  it.each([500, 502, 503, 504])('retries a passing %i and returns the data', async (status) => {
    rig.emulator.reset();
    rig.emulator.inject({ status, times: 2, ...onMetricData });
    const response = await gql(rig.gateway, QUERY);
    expect(response.errors).toBeUndefined();
    expect(rig.emulator.count('/metricdata')).toBe(3);
  });

  it('retries a connection reset', async () => {
    rig.emulator.reset();
    rig.emulator.inject({ reset: true, ...onMetricData });
    const response = await gql(rig.gateway, QUERY);
    expect(response.errors).toBeUndefined();
    expect(rig.emulator.count('/metricdata')).toBe(2);
  });

  it('does not retry a 400', async () => {
    rig.emulator.reset();
    rig.emulator.inject({ status: 400, body: { error: 'INPUT ERROR' }, ...onMetricData });
    const response = await gql(rig.gateway, QUERY);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_BAD_REQUEST', upstreamStatus: 400 });
    expect(rig.emulator.count('/metricdata')).toBe(1);
  });

  it('gives up with GATEWAY_TIMEOUT when the appliance is slower than the deadline', async () => {
    const slow = await startDarktraceRig({ timeoutMs: 300, retries: 0 });
    try {
      await gql(slow.gateway, '{ metrics(source: "dt") { name } }');
      slow.emulator.inject({ latencyMs: 2000, ...onMetricData });
      const response = await gql(slow.gateway, QUERY);
      expect(response.errors![0]!.extensions).toMatchObject({ code: 'GATEWAY_TIMEOUT', source: 'dt' });
    } finally {
      await slow.close();
    }
  });
});
