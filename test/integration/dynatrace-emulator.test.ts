import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNATRACE_TOKENS, startDynatraceEmulator, type DynatraceEmulator } from '../../src/emulators/dynatrace/index.js';
import { EMULATOR_CERT } from '../../src/emulators/server.js';
import { askEmulator } from '../helpers/dynatrace.js';

const T0 = Date.parse('2024-01-08T00:00:00Z');
const HOUR = 3_600_000;
const query = (selector: string, extra = '') => `/api/v2/metrics/query?metricSelector=${encodeURIComponent(selector)}${extra}`;

/** The emulator holds to the API as research/upstreams.md §3 describes it. */
describe('dynatrace emulator', () => {
  let emulator: DynatraceEmulator;

  beforeAll(async () => {
    emulator = await startDynatraceEmulator();
  });
  afterAll(() => emulator.close());

  it('wants Authorization: Api-Token with the metrics.read scope', async () => {
    const agent = new Agent({ connect: { ca: EMULATOR_CERT } });
    const none = await request(`${emulator.url}/api/v2/metrics`, { dispatcher: agent });
    expect(none.statusCode).toBe(401);
    expect(await none.body.json()).toEqual({ error: { code: 401, message: 'Missing authorization parameter.' } });
    const bearer = await request(`${emulator.url}/api/v2/metrics`, { dispatcher: agent, headers: { authorization: `Bearer ${DYNATRACE_TOKENS.read}` } });
    expect(bearer.statusCode).toBe(401);
    await bearer.body.dump();
    const inQuery = await request(`${emulator.url}/api/v2/metrics?api-token=${DYNATRACE_TOKENS.read}`, { dispatcher: agent });
    expect(inQuery.statusCode).toBe(200);
    await inQuery.body.dump();
    const scope = await askEmulator(emulator, '/api/v2/metrics', DYNATRACE_TOKENS.noScope);
    expect(scope.status).toBe(403);
    expect(scope.body.error.message).toBe('Token is missing required scope. Use one of: metrics.read');
    await agent.close();
  });

  it('widens the time frame to whole slots and stamps points with slot ends', async () => {
    const answer = await askEmulator(emulator, query('builtin:service.requestCount.total:splitBy()', `&from=${T0 + HOUR / 2}&to=${T0 + 2.5 * HOUR}&resolution=1h`));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ totalCount: 1, nextPageKey: null, resolution: '1h' });
    expect(answer.body.result[0].metricId).toBe('builtin:service.requestCount.total:splitBy()');
    expect(answer.body.result[0].data[0].timestamps).toEqual([T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR]);
    expect(answer.body.result[0].data[0].dimensionMap).toEqual({});

    const inf = await askEmulator(emulator, query('builtin:service.requestCount.total:splitBy()', `&from=${T0}&to=${T0 + 3 * HOUR}&resolution=Inf`));
    expect(inf.body.resolution).toBe('Inf');
    expect(inf.body.result[0].data[0].timestamps).toEqual([T0 + 3 * HOUR]);
    expect(inf.body.result[0].data[0].values[0]).toBe(answer.body.result[0].data[0].values.reduce((a: number, b: number) => a + b, 0));

    const byDefault = await askEmulator(emulator, query('builtin:service.requestCount.total:splitBy()', `&from=${T0}&to=${T0 + 2 * HOUR}`));
    expect(byDefault.body.resolution).toBe('1m');
    expect(byDefault.body.result[0].data[0].timestamps).toHaveLength(120);
  });

  it('reports the real units: microseconds for response time, split by dt.entity.service', async () => {
    const descriptor = await askEmulator(emulator, '/api/v2/metrics/builtin:service.response.time');
    expect(descriptor.body).toMatchObject({ metricId: 'builtin:service.response.time', unit: 'MicroSecond', defaultAggregation: { type: 'avg' } });
    expect(descriptor.body.dimensionDefinitions.map((definition: { key: string }) => definition.key)).toEqual(['dt.entity.service']);
    const answer = await askEmulator(emulator, query('builtin:service.response.time', `&from=${T0}&to=${T0 + HOUR}&resolution=1h`));
    const values = answer.body.result[0].data.map((series: { values: number[] }) => series.values[0]);
    expect(values).toHaveLength(emulator.catalogue.world.services.length);
    for (const value of values) expect(value).toBeGreaterThan(10_000);
    expect((await askEmulator(emulator, '/api/v2/metrics/builtin:service.errors.total')).status).toBe(404);
  });

  it('answers gaps as null and keeps customer splits on the ingested metrics', async () => {
    const answer = await askEmulator(
      emulator,
      query('shop.requests.count:filter(eq("environment","staging")):splitBy("customer_id")', `&from=2024-01-05&to=2024-01-08&resolution=1d`),
    );
    expect(answer.body.result[0].data.map((series: { dimensionMap: { customer_id: string } }) => series.dimensionMap.customer_id).sort()).toEqual(['customer_001', 'customer_002']);
    for (const series of answer.body.result[0].data) expect(series.values.slice(1)).toEqual([null, null]);
  });

  it('expands the (a,b) shorthand and refuses more than ten metrics', async () => {
    const shorthand = await askEmulator(emulator, query('builtin:service.requestCount.(total,server):splitBy()', `&from=${T0}&to=${T0 + HOUR}&resolution=1h`));
    expect(shorthand.body.result.map((result: { metricId: string }) => result.metricId)).toEqual([
      'builtin:service.requestCount.total:splitBy()', 'builtin:service.requestCount.server:splitBy()',
    ]);
    const eleven = Array.from({ length: 11 }, () => 'builtin:service.requestCount.total').join(',');
    const refused = await askEmulator(emulator, query(eleven, `&from=${T0}&to=${T0 + HOUR}`));
    expect(refused.status).toBe(400);
    expect(refused.body.error.constraintViolations[0]).toMatchObject({ path: 'metricSelector', parameterLocation: 'QUERY' });
  });

  it('answers unknown metrics 404, empty frames and bad selectors 400, CSV 406', async () => {
    expect((await askEmulator(emulator, query('builtin:service.errors.total', `&from=${T0}&to=${T0 + HOUR}`))).status).toBe(404);
    const empty = await askEmulator(emulator, query('builtin:service.requestCount.total', `&from=${T0}&to=${T0}`));
    expect(empty.status).toBe(400);
    expect(empty.body.error.constraintViolations[0].path).toBe('from');
    expect((await askEmulator(emulator, query('builtin:service.requestCount.total:filter(eq("a"))', `&from=${T0}&to=${T0 + HOUR}`))).status).toBe(400);
    const agent = new Agent({ connect: { ca: EMULATOR_CERT } });
    const csv = await request(`${emulator.url}${query('builtin:service.requestCount.total')}`, {
      dispatcher: agent,
      headers: { authorization: `Api-Token ${DYNATRACE_TOKENS.read}`, accept: 'text/csv; header=present' },
    });
    expect(csv.statusCode).toBe(406);
    await csv.body.dump();
    await agent.close();
  });

  it('sends X-RateLimit headers, reset in microseconds, and 429 with Retry-After when the budget is spent', async () => {
    emulator.setRateLimit({ limit: 2, windowMs: 3_600_000 });
    try {
      const first = await askEmulator(emulator, '/api/v2/metrics?pageSize=1');
      expect(first.headers['x-ratelimit-limit']).toBe('2');
      expect(first.headers['x-ratelimit-remaining']).toBe('1');
      const resetMicros = Number(first.headers['x-ratelimit-reset']);
      expect(resetMicros).toBeGreaterThan(Date.now() * 1000);
      expect(resetMicros).toBeLessThanOrEqual((Date.now() + 3_600_000) * 1000);
      await askEmulator(emulator, '/api/v2/metrics?pageSize=1');
      const limited = await askEmulator(emulator, '/api/v2/metrics?pageSize=1');
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({ error: { code: 429, message: 'Too Many Requests' } });
      expect(limited.headers['x-ratelimit-remaining']).toBe('0');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      emulator.setRateLimit({ limit: 100_000 });
    }
  });
});
