import { pino } from 'pino';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DarktraceEmulator, EMULATOR_TOKENS } from '../../src/emulators/darktrace/emulator.js';
import { EMULATOR_CERT } from '../../src/emulators/server.js';
import { DarktraceClient } from '../../src/sources/darktrace/client.js';
import type { QueryParam } from '../../src/sources/darktrace/params.js';
import { signedHeaders } from '../../src/sources/darktrace/sign.js';
import { hoursAgo } from '../helpers/darktrace.js';

/**
 * The emulator holds clients to the real appliance's rules (research/upstreams.md §1.3, §1.6), so
 * a gateway that slips into the SDK's habits fails in tests instead of against a customer's box.
 */
describe('the Darktrace emulator enforces the real /metricdata contract', () => {
  let emulator: DarktraceEmulator;
  let client: DarktraceClient;
  const range: QueryParam[] = [['starttime', String(hoursAgo(3))], ['endtime', String(hoursAgo(1))]];

  beforeAll(async () => {
    emulator = await DarktraceEmulator.start();
    client = new DarktraceClient({ source: 'dt', url: emulator.url, credentials: EMULATOR_TOKENS, ca: EMULATOR_CERT, retries: 0, log: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await client.close();
    await emulator.close();
  });

  const refusal = (params: QueryParam[]) => client.get('/metricdata', params).then(
    () => { throw new Error('expected the emulator to refuse'); },
    (error: Error & { upstreamStatus?: number }) => ({ status: error.upstreamStatus, message: error.message }),
  );

  it.each<[string, QueryParam[], RegExp]>([
    ['a comma-joined metric (the SDK habit)', [['metric', 'connections,dnsrequests'], ...range], /one metric per parameter; use metric1, metric2/],
    ['the devices parameter', [['metric', 'connections'], ...range, ['devices', '100,101']], /devices is not a \/metricdata parameter/],
    ['a lone starttime', [['metric', 'connections'], ['starttime', String(hoursAgo(3))]], /must be specified in pairs: starttime and endtime/],
    ['a lone from', [['metric', 'connections'], ['from', '2026-01-01 00:00:00']], /must be specified in pairs: from and to/],
    ['mixed time forms', [['metric', 'connections'], ['starttime', String(hoursAgo(3))], ['to', '2026-01-01 00:00:00']], /starttime\/endtime or from\/to, not both/],
    ['from/to in ISO form', [['metric', 'connections'], ['from', '2026-01-01T00:00:00Z'], ['to', '2026-01-02T00:00:00Z']], /must be YYYY-MM-DD HH:MM:SS/],
    ['an interval like 5min', [['metric', 'connections'], ...range, ['interval', '5min']], /interval must be a whole number of seconds; got '5min'/],
    ['Python booleans', [['metric', 'connections'], ...range, ['breachtimes', 'True']], /breachtimes must be true or false; got 'True'/],
    ['an unknown metric', [['metric', 'nosuchmetric'], ...range], /unknown metric nosuchmetric/],
    ['an unknown device', [['metric', 'connections'], ...range, ['did', '99999']], /no device with did 99999/],
    ['an unknown parameter', [['metric', 'connections'], ...range, ['responsedata', 'metric']], /unknown parameter responsedata/],
  ])('refuses %s with 400 INPUT ERROR', async (_, params, message) => {
    const { status, message: text } = await refusal(params);
    expect(status).toBe(400);
    expect(text).toMatch(/INPUT ERROR/);
    expect(text).toMatch(message);
  });

  it('accepts metric1..N and answers one element per metric, in order', async () => {
    const body = await client.get<Array<{ metric: string }>>('/metricdata', [['metric1', 'dnsrequests'], ['metric2', 'connections'], ...range, ['interval', '3600']]);
    expect(body.map((item) => item.metric)).toEqual(['dnsrequests', 'connections']);
  });

  it('can be told to take Python booleans and to leave unknown metrics out, where the real behaviour is unknown', async () => {
    emulator.settings.capitalBooleans = 'accept';
    emulator.settings.unknownMetric = 'empty';
    try {
      const body = await client.get<Array<{ metric: string; breachtimes?: unknown[] }>>('/metricdata', [['metric1', 'connections'], ['metric2', 'nosuchmetric'], ...range, ['breachtimes', 'True']]);
      expect(body.map((item) => item.metric)).toEqual(['connections']);
      expect(body[0]!.breachtimes).toEqual(expect.any(Array));
    } finally {
      emulator.settings.capitalBooleans = 'reject';
      emulator.settings.unknownMetric = 'error';
    }
  });

  it('serves /metrics in the portal shape, trimmed by responsedata, and /metrics/{mlid}', async () => {
    const all = await client.get<Array<Record<string, unknown>>>('/metrics', []);
    expect(all[4]).toEqual({ mlid: 5, name: 'datatransfervolume', label: 'Data Transfer', units: 'bytes', filtertypes: expect.any(Array), unitsinterval: 3600, lengthscale: 999999999 });
    expect(await client.get('/metrics', [['responsedata', 'mlid,name']])).toContainEqual({ mlid: 1, name: 'connections' });
    expect(await client.get('/metrics/2', [])).toMatchObject({ mlid: 2, name: 'externalconnections' });
    expect((await client.get('/metrics/999', []).catch((error: Error & { upstreamStatus?: number }) => error.upstreamStatus))).toBe(400);
  });

  it('rejects unsigned requests and stale dates with 401 API SIGNATURE ERROR', async () => {
    expect(await rawGet(emulator.url, '/metrics', {})).toEqual({ status: 401, body: '{"error":"API SIGNATURE ERROR"}' });
    expect(emulator.signatureLog.at(-1)!.outcome).toMatch(/missing DTAPI-Token/);
    const stale = signedHeaders(EMULATOR_TOKENS, '/metrics', new Date(Date.now() - 31 * 60_000));
    expect(await rawGet(emulator.url, '/metrics', stale)).toEqual({ status: 401, body: '{"error":"API SIGNATURE ERROR"}' });
    expect(emulator.signatureLog.at(-1)!.outcome).toMatch(/more than 30 minutes/);
    const fresh = signedHeaders(EMULATOR_TOKENS, '/metrics', new Date());
    expect((await rawGet(emulator.url, '/metrics', fresh)).status).toBe(200);
  });
});

/** A GET with hand-made headers, for requests the gateway's client would never send. */
async function rawGet(base: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const agent = new Agent({ connect: { ca: EMULATOR_CERT } });
  try {
    const response = await request(`${base}${path}`, { headers, dispatcher: agent });
    return { status: response.statusCode, body: await response.body.text() };
  } finally {
    await agent.close();
  }
}
