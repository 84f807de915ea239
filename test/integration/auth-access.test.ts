import { createHash } from 'node:crypto';
import { createClient } from 'graphql-ws';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { argusSourceFor } from '../../src/emulators/argus/source-config.js';
import { startArgusEmulator, type ArgusEmulator } from '../../src/emulators/argus/index.js';
import type { Gateway } from '../../src/gateway.js';
import { ARGUS_NOW, HOUR } from '../helpers/argus.js';
import { gql, startGateway } from '../helpers/gateway.js';

const sha = (key: string) => createHash('sha256').update(key).digest('hex');
const KEYS = { acme: 'acme-secret-key-1', acme2: 'acme-secret-key-2', globex: 'globex-secret-key', nativeOnly: 'native-only-key' };
const as = (key: string) => ({ authorization: `Bearer ${key}` });
const FROM = new Date(ARGUS_NOW - 2 * HOUR).toISOString();
const TO = new Date(ARGUS_NOW).toISOString();

/** Authentication and what each identity may see: keys, JWTs, sources, Argus customers, tenants, cache. */
describe('access control', () => {
  let argus: ArgusEmulator;
  let gateway: Gateway;
  let jwtKey: CryptoKey;

  beforeAll(async () => {
    argus = await startArgusEmulator({ now: ARGUS_NOW });
    const pair = await generateKeyPair('ES256');
    jwtKey = pair.privateKey;
    gateway = await startGateway({
      sources: [
        // Cacheable on purpose: the cache must still never hand one tenant's answer to another.
        { id: 'native', kind: 'native', cacheTtl: { open: '1h', closed: '1h' } },
        argusSourceFor(argus.url, { cacheTtl: { open: '1h', closed: '1h' } }),
      ],
      auth: {
        apiKeys: [
          { id: 'acme-dash', sha256: sha(KEYS.acme), tenant: 'acme', argusCustomers: ['acme'], introspection: true },
          { id: 'acme-cli', sha256: sha(KEYS.acme2), tenant: 'acme' },
          { id: 'globex-dash', sha256: sha(KEYS.globex), tenant: 'globex', argusCustomers: ['globex', 'initech'] },
          { id: 'native-only', sha256: sha(KEYS.nativeOnly), tenant: 'globex', sources: ['native'] },
        ],
        jwt: { publicKey: await exportSPKI(pair.publicKey), issuer: 'https://idp.test', audience: 'metric-gateway', tenantClaim: 'org', sourcesClaim: 'scope_sources', algorithms: ['ES256'] },
      },
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await argus?.close();
  });

  const jwt = (claims: Record<string, unknown>, expires = '5m', audience = 'metric-gateway') =>
    new SignJWT(claims).setProtectedHeader({ alg: 'ES256' }).setIssuer('https://idp.test').setAudience(audience).setSubject('user-7').setIssuedAt().setExpirationTime(expires).sign(jwtKey);

  it('refuses requests without credentials or with wrong ones with 401 and says what to send', async () => {
    const none = await gql(gateway, '{ sources { id } }');
    expect(none.status).toBe(401);
    expect(none.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(none.errors![0]!.message).toContain("'Authorization: Bearer <API key or JWT>'");
    const wrong = await gql(gateway, '{ sources { id } }', {}, as('not-a-key'));
    expect(wrong.status).toBe(401);
    expect(wrong.errors![0]!.message).toContain('API key is not valid');
    expect(JSON.stringify(wrong)).not.toContain('not-a-key');
    const basic = await gql(gateway, '{ sources { id } }', {}, { authorization: 'Basic abc' });
    expect(basic.status).toBe(401);
    // The collector REST API is data too (its errors keep the collector's {detail, code} shape).
    const rest = await fetch(`${gateway.url}/metrics/series`);
    expect(rest.status).toBe(401);
    expect(await rest.json()).toMatchObject({ code: 'UNAUTHENTICATED', detail: expect.stringContaining('X-API-Key') });
    // Probes stay open; /health lists the sources and their state, so it needs credentials.
    expect((await fetch(`${gateway.url}/livez`)).status).toBe(200);
    expect((await fetch(`${gateway.url}/ready`)).status).toBe(200);
    expect((await fetch(`${gateway.url}/health`)).status).toBe(401);
    expect((await fetch(`${gateway.url}/health`, { headers: as(KEYS.acme) })).status).toBe(200);
  });

  it('accepts a key as Bearer or X-API-Key', async () => {
    expect((await gql(gateway, '{ sources { id } }', {}, as(KEYS.acme))).data!.sources).toHaveLength(2);
    expect((await gql(gateway, '{ sources { id } }', {}, { 'x-api-key': KEYS.acme })).data!.sources).toHaveLength(2);
  });

  it('verifies JWTs: tenant and sources from claims; expired, wrong audience or forged tokens are 401', async () => {
    const token = await jwt({ org: 'acme', scope_sources: ['native'] });
    const ok = await gql(gateway, '{ sources { id } }', {}, as(token));
    expect(ok.data!.sources).toEqual([{ id: 'native' }]);
    const expired = await gql(gateway, '{ sources { id } }', {}, as(await jwt({ org: 'acme' }, '-1m')));
    expect([expired.status, expired.errors![0]!.message]).toEqual([401, 'the bearer token was refused: it has expired']);
    const audience = await gql(gateway, '{ sources { id } }', {}, as(await jwt({ org: 'acme' }, '5m', 'other')));
    expect(audience.status).toBe(401);
    expect(audience.errors![0]!.message).toContain("claim 'aud'");
    const noTenant = await gql(gateway, '{ sources { id } }', {}, as(await jwt({})));
    expect(noTenant.errors![0]!.message).toContain("no 'org' claim");
    const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await gql(gateway, '{ sources { id } }', {}, as(forged))).status).toBe(401);
  });

  it('fails only the field of a source the identity may not use, with FORBIDDEN', async () => {
    const response = await gql(
      gateway,
      `{ a: metricData(source: "argus", metric: "netstats", from: "${FROM}", to: "${TO}") { metric }
         n: metricData(source: "native", metric: "nothing_here", from: "now-1h") { metric } }`,
      {},
      as(KEYS.nativeOnly),
    );
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ a: null, n: [] });
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]).toMatchObject({ path: ['a'], extensions: { code: 'FORBIDDEN', source: 'argus' } });
    expect(argus.server.count('/api/v1/')).toBe(0);
  });

  it('restricts Argus to the allowed customers: none asked means all allowed; another is FORBIDDEN', async () => {
    const before = argus.server.requests.length;
    const mine = await gql(gateway, `{ metricData(source: "argus", metric: "netstats.frames", from: "${FROM}", to: "${TO}") { labels { key value } } }`, {}, as(KEYS.acme));
    expect(mine.errors).toBeUndefined();
    const customers = new Set((mine.data!.metricData as any[]).map((series) => series.labels.find((label: any) => label.key === 'customer')?.value));
    expect([...customers]).toEqual(['acme']);
    const sent = argus.server.requests.slice(before).map((request) => JSON.parse(request.body));
    expect(sent.every((body) => JSON.stringify(body.customer) === '["acme"]')).toBe(true);

    const other = await gql(gateway, `{ metricData(source: "argus", metric: "netstats", from: "${FROM}", to: "${TO}", argus: { customer: ["globex"] }) { metric } }`, {}, as(KEYS.acme));
    expect(other.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'argus.customer' });
    expect(other.errors![0]!.message).toContain("'globex'");
    const byFilter = await gql(gateway, `{ metricData(source: "argus", metric: "netstats", from: "${FROM}", to: "${TO}", filters: [{ key: "customer", values: ["umbrella"] }]) { metric } }`, {}, as(KEYS.acme));
    expect(byFilter.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });

  it('never serves one identity a cached answer of another, for remote and native sources', async () => {
    const query = `{ metricData(source: "argus", metric: "sensorload.cpuPercent", from: "${FROM}", to: "${TO}", interval: "1h") { labels { key value } } }`;
    const customersOf = (response: any) => new Set(response.data.metricData.map((series: any) => series.labels.find((label: any) => label.key === 'customer').value));
    const acme = await gql(gateway, query, {}, as(KEYS.acme));
    const globex = await gql(gateway, query, {}, as(KEYS.globex));
    expect(customersOf(acme)).toEqual(new Set(['acme']));
    expect(customersOf(globex)).toEqual(new Set(['globex', 'initech']));
    // Same tenant, other credential, unrestricted: its own upstream call, not acme-dash's answer.
    const searches = () => argus.server.requests.filter((request) => request.url.pathname.includes('/search')).length;
    const before = searches();
    const cli = await gql(gateway, query, {}, as(KEYS.acme2));
    expect(customersOf(cli).size).toBeGreaterThan(1);
    expect(searches()).toBe(before + 1);
    await gql(gateway, query, {}, as(KEYS.acme2));
    expect(searches()).toBe(before + 1); // ...and its own answer is cached for it.

    const track = `mutation($t: String) { trackMetric(input: { name: "orders_total", value: 5, type: COUNTER, tenantId: $t }) { success } }`;
    expect((await gql(gateway, track, {}, as(KEYS.acme))).data!.trackMetric.success).toBe(true);
    const read = `{ metricData(source: "native", metric: "orders_total", from: "now-1h") { labels { key value } values: points { value } } }`;
    const acmeSees = await gql(gateway, read, {}, as(KEYS.acme));
    expect(acmeSees.data!.metricData).toHaveLength(1);
    expect(acmeSees.data!.metricData[0].labels).toContainEqual({ key: 'tenant_id', value: 'acme' });
    const globexSees = await gql(gateway, read, {}, as(KEYS.globex));
    expect(globexSees.data!.metricData).toEqual([]);
    const list = await gql(gateway, '{ metrics(source: "native") { name } }', {}, as(KEYS.globex));
    expect(list.data!.metrics.map((m: any) => m.name)).not.toContain('orders_total');
    // Writing into another tenant is refused, not silently rewritten.
    const foreign = await gql(gateway, track, { t: 'acme' }, as(KEYS.globex));
    expect(foreign.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'tenantId' });
    const rest = await fetch(`${gateway.url}/metrics/series?name=orders_total`, { headers: as(KEYS.globex) });
    expect(((await rest.json()) as any).total).toBe(0);
    const own = await fetch(`${gateway.url}/metrics/series?name=orders_total`, { headers: as(KEYS.acme) });
    expect(((await own.json()) as any).total).toBe(1);
  });

  it('refuses the collector REST API to an identity without a native source', async () => {
    const token = await jwt({ org: 'acme', scope_sources: ['argus'] });
    const response = await fetch(`${gateway.url}/metrics/series`, { headers: as(token) });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'FORBIDDEN', field: 'source' });
    expect((await fetch(`${gateway.url}/metrics/series`, { headers: as(KEYS.nativeOnly) })).status).toBe(200);
  });

  it('allows introspection and suggestions only to identities allowed to see the schema', async () => {
    const introspect = '{ __schema { queryType { name } } }';
    expect((await gql(gateway, introspect, {}, as(KEYS.acme))).data!.__schema.queryType.name).toBe('Query');
    const refused = await gql(gateway, introspect, {}, as(KEYS.globex));
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors![0]!.message).toMatch(/introspection/i);
    const typo = '{ sourcez { id } }';
    expect((await gql(gateway, typo, {}, as(KEYS.acme))).errors![0]!.message).toContain('Did you mean');
    const hidden = await gql(gateway, typo, {}, as(KEYS.globex));
    expect(hidden.errors![0]!.message).toBe('Cannot query field "sourcez" on type "Query".');
    const page = (key: string) => fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html', ...as(key) } }).then(async (r) => ({ status: r.status, type: r.headers.get('content-type') }));
    expect((await page(KEYS.acme)).type).toContain('text/html');
    expect((await page(KEYS.globex)).type ?? '').not.toContain('text/html');
  });

  it('authenticates WebSocket connections from the connection_init payload and refuses others', async () => {
    const url = gateway.url.replace('http', 'ws') + '/graphql';
    const run = (connectionParams: Record<string, unknown>) =>
      new Promise<{ data?: unknown; closed?: number }>((resolve) => {
        const client = createClient({ url, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, on: { closed: (event) => resolve({ closed: (event as CloseEvent).code }) } });
        client.subscribe({ query: '{ sources { id } }' }, { next: (value) => resolve({ data: value.data }), error: () => {}, complete: () => void client.dispose() });
      });
    expect(await run({ apiKey: KEYS.nativeOnly })).toEqual({ data: { sources: [{ id: 'native' }] } });
    expect(await run({ Authorization: `Bearer ${KEYS.acme}` })).toEqual({ data: { sources: [{ id: 'native' }, { id: 'argus' }] } });
    expect(await run({})).toEqual({ closed: 4403 });
    expect(await run({ apiKey: 'wrong' })).toEqual({ closed: 4403 });
  });

  it('verifies JWTs against a JWKS URL, picking the key by kid', async () => {
    const pair = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    let fetched = 0;
    const idp = createServer((_, res) => {
      fetched++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/jwks.json`;
    const withJwks = await startGateway({ auth: { jwt: { jwksUrl, issuer: 'https://idp.test', audience: 'metric-gateway' } } });
    try {
      const sign = (kid: string, key: CryptoKey = pair.privateKey) =>
        new SignJWT({ tenant: 'acme' }).setProtectedHeader({ alg: 'RS256', kid }).setIssuer('https://idp.test').setAudience('metric-gateway').setSubject('svc').setExpirationTime('5m').sign(key);
      const ok = await gql(withJwks, '{ sources { id } }', {}, as(await sign('k1')));
      expect(ok.data!.sources).toEqual([{ id: 'native' }]);
      await gql(withJwks, '{ sources { id } }', {}, as(await sign('k1')));
      expect(fetched).toBe(1); // the key set is cached
      const other = await generateKeyPair('RS256');
      const unknownKid = await gql(withJwks, '{ sources { id } }', {}, as(await sign('k2', other.privateKey)));
      expect(unknownKid.status).toBe(401);
      expect(unknownKid.errors![0]!.message).toContain('no signing key of the issuer matches it');
    } finally {
      await withJwks.close();
      idp.close();
    }
  });
});
