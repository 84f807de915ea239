import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_TOKENS, DarktraceEmulator } from '../../src/emulators/darktrace/emulator.js';
import type { Gateway } from '../../src/gateway.js';
import { startArgusGateway, window } from '../helpers/argus.js';
import { EMULATOR_CA_FILE, hoursAgo } from '../helpers/darktrace.js';
import { gql, startGateway } from '../helpers/gateway.js';
import { sleep } from '../../src/core/sleep.js';

const KEYS = { acme: 'key-acme-0123456789', globex: 'key-globex-0123456789' };
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Whole responses kept in process (src/graphql/use-response-cache.ts), against a real Darktrace
 * emulator: what is kept, for how long, and what never is.
 */
describe('whole-response cache', () => {
  let emulator: DarktraceEmulator;
  const gateways: Gateway[] = [];
  const start = async (source: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const gateway = await startGateway({
      sources: [
        { id: 'dt', kind: 'darktrace', url: emulator.url, ...EMULATOR_TOKENS, caFile: EMULATOR_CA_FILE, ...source } as never,
        { id: 'native', kind: 'native' },
      ],
      ...extra,
    });
    gateways.push(gateway);
    return gateway;
  };
  const hits = (gateway: Gateway) => gateway.metrics.count(gateway.metrics.responseCacheLookups, { result: 'hit' });
  const post = async (gateway: Gateway, query: string, variables?: object, headers: Record<string, string> = {}) => {
    const response = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  };
  const panel = (did: number, fields = 'metric values') =>
    `{ metricData(source: "dt", metric: "connections", from: ${hoursAgo(30)}, to: ${hoursAgo(6)}, interval: "1h", darktrace: { did: ${did} }) { ${fields} } }`;

  beforeAll(async () => {
    emulator = await DarktraceEmulator.start();
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.close()));
    await emulator.close();
  });

  it('sends a repeated dashboard query as the kept bytes, without executing it again', async () => {
    const gateway = await start({ cacheTtl: { open: '1m', closed: '1h' } });
    const query = panel(emulator.devices[1]!.did);
    emulator.reset();
    const first = await post(gateway, query);
    const lookups = await gateway.metrics.count(gateway.metrics.cacheLookups, { source: 'dt' });
    const again = await Promise.all([post(gateway, query), post(gateway, query), post(gateway, query)]);
    expect(JSON.parse(first.text).data.metricData[0].values).toHaveLength(24);
    for (const response of again) expect(response).toEqual(first);
    expect(await hits(gateway)).toBe(3);
    // Not executed: the query cache was not even asked.
    expect(await gateway.metrics.count(gateway.metrics.cacheLookups, { source: 'dt' })).toBe(lookups);
    expect(emulator.count('/metricdata')).toBe(1);
  });

  it('keeps a response no longer than the answers it was built from', async () => {
    const gateway = await start({ cacheTtl: { open: '300ms', closed: '300ms' } });
    const query = panel(emulator.devices[2]!.did);
    emulator.reset();
    await post(gateway, query);
    await post(gateway, query);
    expect(await hits(gateway)).toBe(1);
    await sleep(400);
    await post(gateway, query);
    expect(await hits(gateway)).toBe(1);
    expect(emulator.count('/metricdata')).toBe(2);
  });

  it('never keeps errors, uncached sources, other root fields or mutations', async () => {
    const gateway = await start({ cacheTtl: { open: '1m', closed: '1h' } });
    const twice = async (query: string) => {
      const before = await hits(gateway);
      const [first, second] = [await post(gateway, query), await post(gateway, query)];
      return { first, second, kept: (await hits(gateway)) - before };
    };
    const failing = await twice(`{ metricData(source: "dt", metric: "no_such_metric", from: ${hoursAgo(30)}, to: ${hoursAgo(6)}, interval: "1h") { values } }`);
    expect(JSON.parse(failing.first.text).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(failing.kept).toBe(0);
    // The native source is not cached at all: its answers are always current.
    expect((await twice('{ metricData(source: "native", metric: "m", from: "now-1h") { values } }')).kept).toBe(0);
    // `sources` reports health as it is now.
    expect((await twice(`{ sources { id healthy } ${panel(emulator.devices[1]!.did).slice(1, -1)} }`)).kept).toBe(0);
    expect((await twice('mutation { trackMetric(input: { name: "m", value: 1 }) { success } }')).kept).toBe(0);
    // An alias or a fragment changes the bytes, so it is its own entry; a kept document stays kept.
    const aliased = await twice(`{ a: ${panel(emulator.devices[1]!.did).slice(1, -1)} }`);
    expect(aliased.kept).toBe(1);
    expect(aliased.second).toEqual(aliased.first);
  });

  it('keys responses by caller and by variables', async () => {
    const gateway = await start(
      { cacheTtl: { open: '1m', closed: '1h' } },
      {
        auth: {
          apiKeys: [
            { id: 'acme', sha256: sha(KEYS.acme), tenant: 'acme' },
            { id: 'globex', sha256: sha(KEYS.globex), tenant: 'globex' },
          ],
        },
      },
    );
    const query = 'query Panel($did: Int!, $from: Time!, $to: Time!) { metricData(source: "dt", metric: "connections", from: $from, to: $to, interval: "1h", darktrace: { did: $did }) { values } }';
    const as = (key: string) => ({ authorization: `Bearer ${key}` });
    const one = { did: emulator.devices[3]!.did, from: hoursAgo(30), to: hoursAgo(6) };
    const other = { ...one, did: emulator.devices[4]!.did };
    const acme = await post(gateway, query, one, as(KEYS.acme));
    expect(acme.status).toBe(200);
    expect(await post(gateway, query, one, as(KEYS.globex))).toEqual(acme);
    expect(await hits(gateway)).toBe(0);
    const acmeOther = await post(gateway, query, other, as(KEYS.acme));
    expect(await hits(gateway)).toBe(0);
    expect(acmeOther.text).not.toBe(acme.text);
    // The same variables written in another order are the same request.
    expect(await post(gateway, query, { to: one.to, from: one.from, did: one.did }, as(KEYS.acme))).toEqual(acme);
    expect(await hits(gateway)).toBe(1);
    // A kept response still needs credentials.
    expect((await post(gateway, query, one)).status).toBe(401);
  });

  it('answers in the media type the client accepts, from the same kept response', async () => {
    const gateway = await start({ cacheTtl: { open: '1m', closed: '1h' } });
    const query = panel(emulator.devices[5]!.did);
    const json = await post(gateway, query, undefined, { accept: 'application/json' });
    const graphqlJson = await post(gateway, query, undefined, { accept: 'application/graphql-response+json' });
    expect(await hits(gateway)).toBe(1);
    expect(json.type).toMatch(/^application\/json/);
    expect(graphqlJson.type).toMatch(/^application\/graphql-response\+json/);
    expect(graphqlJson.text).toBe(json.text);
  });

  it('is off with cache.responses: false', async () => {
    const gateway = await start({ cacheTtl: { open: '1m', closed: '1h' } }, { cache: { responses: false } });
    const query = panel(emulator.devices[1]!.did);
    await post(gateway, query);
    await post(gateway, query);
    expect(await hits(gateway)).toBe(0);
    expect(await gateway.metrics.count(gateway.metrics.cacheLookups, { source: 'dt', result: 'hit' })).toBe(1);
  });
});

describe('whole-response cache and pushed-down aggregates', () => {
  it('keeps a response holding an aggregate computed upstream, which now goes through the query cache', async () => {
    const setup = await startArgusGateway({ source: { cacheTtl: { open: '1m', closed: '1h' } } });
    try {
      const range = window(6);
      const query = `{ aggregate(source: "argus", metric: "netstats.packages", function: SUM, groupBy: ["customer"], from: "${range.from}", to: "${range.to}") { value pushedDown } }`;
      const first = await gql(setup.gateway, query);
      expect(first.data!.aggregate[0].pushedDown).toBe(true);
      const upstream = setup.argus.server.count();
      expect(await gql(setup.gateway, query)).toEqual(first);
      expect(await setup.gateway.metrics.count(setup.gateway.metrics.responseCacheLookups, { result: 'hit' })).toBe(1);
      expect(setup.argus.server.count()).toBe(upstream);
    } finally {
      await setup.close();
    }
  });

  it('does not keep one from a source whose answers are not cached', async () => {
    const setup = await startArgusGateway({ source: { cacheTtl: false } });
    try {
      const range = window(6);
      const query = `{ aggregate(source: "argus", metric: "netstats.packages", function: SUM, groupBy: ["customer"], from: "${range.from}", to: "${range.to}") { value pushedDown } }`;
      expect((await gql(setup.gateway, query)).data!.aggregate[0].pushedDown).toBe(true);
      const upstream = setup.argus.server.count();
      await gql(setup.gateway, query);
      expect(await setup.gateway.metrics.count(setup.gateway.metrics.responseCacheLookups, { result: 'hit' })).toBe(0);
      expect(setup.argus.server.count()).toBeGreaterThan(upstream);
    } finally {
      await setup.close();
    }
  });
});
