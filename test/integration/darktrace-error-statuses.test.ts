import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_TOKENS } from '../../src/emulators/darktrace/emulator.js';
import { gql } from '../helpers/gateway.js';
import { hoursAgo, startDarktraceRig, type DarktraceRig } from '../helpers/darktrace.js';

/**
 * What each upstream failure looks like to a client: the field is null, and its error carries the
 * gateway code, the source and the appliance's HTTP status. Real causes where the emulator has
 * them (bad signature, missing permission, wrong path), injected answers for the rest.
 */
describe('Darktrace upstream errors become GraphQL errors with the upstream status', () => {
  const QUERY = `{ metricData(source: "dt", metric: "connections", from: ${hoursAgo(4)}, to: ${hoursAgo(1)}, interval: "1h") { values } }`;
  let rig: DarktraceRig;

  beforeAll(async () => {
    // Breaker off: every injected status must reach the status mapping (resilience.test.ts covers the breaker).
    rig = await startDarktraceRig({ retries: 2, circuitBreaker: false });
  });
  afterAll(() => rig.close());

  async function failure(target: DarktraceRig) {
    const response = await gql(target.gateway, QUERY);
    expect(response.data).toEqual({ metricData: null });
    expect(response.errors).toHaveLength(1);
    return response.errors![0]!;
  }

  it.each([
    [400, { error: 'INPUT ERROR', response: 'Invalid metric' }, 'UPSTREAM_BAD_REQUEST', /dt refused the request \(HTTP 400\): INPUT ERROR: Invalid metric/],
    [404, { error: 'Not Found' }, 'UPSTREAM_NOT_FOUND', /dt has no such resource \(HTTP 404\): Not Found/],
    [422, { error: 'Unprocessable' }, 'UPSTREAM_BAD_REQUEST', /dt refused the request \(HTTP 422\)/],
  ])('HTTP %i from /metricdata is %s, not retried', async (status, body, code, message) => {
    rig.emulator.reset();
    rig.emulator.inject({ status, body, times: 5, match: (request) => request.url.pathname === '/metricdata' });
    const error = await failure(rig);
    rig.emulator.clearFaults();
    expect(error.extensions).toMatchObject({ code, source: 'dt', upstreamStatus: status });
    expect(error.message).toMatch(message);
    expect(rig.emulator.count('/metricdata')).toBe(1);
  });

  it.each([
    [429, 'UPSTREAM_RATE_LIMITED', /dt is rate limiting the gateway \(HTTP 429\)/],
    [500, 'UPSTREAM_UNAVAILABLE', /dt failed \(HTTP 500\)/],
    [502, 'UPSTREAM_UNAVAILABLE', /dt failed \(HTTP 502\)/],
    [503, 'UPSTREAM_UNAVAILABLE', /dt failed \(HTTP 503\)/],
    [504, 'UPSTREAM_UNAVAILABLE', /dt failed \(HTTP 504\)/],
  ])('HTTP %i that persists through the retries is %s', async (status, code, message) => {
    rig.emulator.reset();
    rig.emulator.inject({ status, times: 10, match: (request) => request.url.pathname === '/metricdata' });
    const error = await failure(rig);
    rig.emulator.clearFaults();
    expect(error.extensions).toMatchObject({ code, source: 'dt', upstreamStatus: status });
    expect(error.message).toMatch(message);
    expect(rig.emulator.count('/metricdata')).toBe(3);
  });

  it('a wrong private token is UPSTREAM_AUTH_FAILED with 401 API SIGNATURE ERROR', async () => {
    const wrong = await startDarktraceRig({ privateToken: 'not-the-private-token' });
    try {
      const error = await failure(wrong);
      expect(error.extensions).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', source: 'dt', upstreamStatus: 401 });
      expect(error.message).toMatch(/dt rejected the request signature \(HTTP 401: API SIGNATURE ERROR\); check publicToken and privateToken/);
      expect(error.message).not.toContain('not-the-private-token');
      expect(wrong.emulator.signatureLog.at(-1)!.outcome).toMatch(/signature does not match/);
    } finally {
      await wrong.close();
    }
  });

  it('the 400 API SIGNATURE ERROR that SDK users see is an auth failure too, not bad input', async () => {
    const observed = await startDarktraceRig({ privateToken: 'not-the-private-token' }, { settings: { signatureFailureStatus: 400 } });
    try {
      const error = await failure(observed);
      expect(error.extensions).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', upstreamStatus: 400 });
      expect(error.message).toMatch(/API SIGNATURE ERROR/);
    } finally {
      await observed.close();
    }
  });

  it('a token without the Visualizer permission is UPSTREAM_AUTH_FAILED with 403', async () => {
    const limited = await startDarktraceRig({}, { tokens: [{ ...EMULATOR_TOKENS, permissions: ['models'] }] });
    try {
      const error = await failure(limited);
      expect(error.extensions).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', source: 'dt', upstreamStatus: 403 });
      expect(error.message).toMatch(/\/metricdata needs Visualizer/);
    } finally {
      await limited.close();
    }
  });

  it('a url with a path the appliance does not have is UPSTREAM_NOT_FOUND with 404', async () => {
    const misplaced = await startDarktraceRig({ url: `${rig.emulator.url}/api` });
    try {
      const error = await failure(misplaced);
      expect(error.extensions).toMatchObject({ code: 'UPSTREAM_NOT_FOUND', source: 'dt', upstreamStatus: 404 });
      expect(rig.emulator.requests.at(-1)!.rawPath).toMatch(/^\/api\/metricdata\?metric=connections&/);
    } finally {
      await misplaced.close();
    }
  });
});
