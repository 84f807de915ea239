import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARGUS_ACME_KEY, argusFaults } from '../../src/emulators/argus/index.js';
import { gql } from '../helpers/gateway.js';
import { startArgusGateway, window, type ArgusSetup } from '../helpers/argus.js';

const SEARCH = '/metrics/v1/metric/netstats/search';
const range = window(1);
const query = (args = '') => `{ metricData(source: "argus", metric: "netstats.packages", from: "${range.from}", to: "${range.to}"${args}) { values } }`;

/** Every way an Argus read fails, as the client sees it: the field null, one error with its code. */
describe('Argus failures as GraphQL errors', () => {
  let setup: ArgusSetup;
  beforeAll(async () => {
    setup = await startArgusGateway();
  });
  afterAll(() => setup.close());

  async function failure(args = '') {
    const response = await gql(setup.gateway, query(args));
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ metricData: null });
    expect(response.errors).toHaveLength(1);
    return response.errors![0]!;
  }

  it('maps a 412 field error to UPSTREAM_BAD_REQUEST naming the gateway argument', async () => {
    const error = await failure(', argus: { sortBy: ["bytes"] }');
    expect(error.extensions).toEqual({ code: 'UPSTREAM_BAD_REQUEST', source: 'argus', field: 'argus.sortBy[0]', upstreamStatus: 412 });
    expect(error.message).toBe('argus refused the request (HTTP 412): FIELD_ERROR (sortBy[0]): cannot sort by "bytes": not a key or value of descriptor netstats');
  });

  it('refuses a page past the 10,000-record window before sending, and says how to narrow the search', async () => {
    setup.argus.server.resetCount();
    const error = await failure(', argus: { limit: 2000, offset: 9000 }');
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', source: 'argus', field: 'argus.limit' });
    expect(error.message).toBe(
      'Argus pages only through the first 10000 matching records (limit + offset <= 10000); got limit 2000 + offset 9000 = 11000; ' +
        'narrow the search: a shorter range (from/to), exact key values (filters or argus.keys), fewer customers (argus.customer), ' +
        'or pages with argus.limit and argus.offset inside the first 10000 records',
    );
    expect(setup.argus.server.count()).toBe(0);
  });

  it('passes on Argus refusing more than 10,000 records, with the same advice', async () => {
    const day = window(24);
    const response = await gql(setup.gateway, `{ metricData(source: "argus", metric: "netstats", from: "${day.from}", to: "${day.to}") { values } }`);
    const error = response.errors![0]!;
    expect(error.extensions).toEqual({ code: 'UPSTREAM_BAD_REQUEST', source: 'argus', field: 'argus.limit', upstreamStatus: 412 });
    expect(error.message).toBe(
      'argus refused the request (HTTP 412): FIELD_ERROR (limit): the search matches 10332 records, more than 10000 can be returned; narrow your search ' +
        '(ways to narrow it: a shorter range (from/to), exact key values (filters or argus.keys), fewer customers (argus.customer), ' +
        'or pages with argus.limit and argus.offset inside the first 10000 records)',
    );
    // Narrowed to one customer, the same day fits.
    const narrowed = await gql(setup.gateway, `{ metricData(source: "argus", metric: "netstats", from: "${day.from}", to: "${day.to}", filters: [{ key: "customer", values: ["acme"] }]) { values } }`);
    expect(narrowed.errors).toBeUndefined();
    expect(narrowed.data!.metricData).toHaveLength(18);
  });

  it('answers 402 at once with the wait Argus asks for, without retrying', async () => {
    setup.argus.server.resetCount();
    setup.argus.server.inject(argusFaults.resourcesExhausted(45_000));
    const error = await failure();
    expect(error.extensions).toEqual({ code: 'UPSTREAM_RATE_LIMITED', source: 'argus', upstreamStatus: 402, retryAfterMs: 45_000 });
    expect(error.message).toMatch(/argus is rate limiting the gateway \(HTTP 402\): ACTION_ERROR: Resource limit reached/);
    expect(setup.argus.server.count(SEARCH)).toBe(1);
  });

  it('retries a search after a 503 and answers when Argus recovers', async () => {
    setup.argus.server.resetCount();
    setup.argus.server.inject(argusFaults.unavailable());
    const response = await gql(setup.gateway, query());
    expect(response.errors).toBeUndefined();
    expect((response.data!.metricData as unknown[]).length).toBe(36);
    expect(setup.argus.server.count(SEARCH)).toBe(2);
  });

  it('gives up after the configured retries with UPSTREAM_UNAVAILABLE', async () => {
    setup.argus.server.resetCount();
    setup.argus.server.inject(argusFaults.unavailable({ times: 3 }));
    const error = await failure();
    expect(error.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', source: 'argus', upstreamStatus: 503 });
    expect(error.message).toBe('argus failed (HTTP 503): ACTION_ERROR: Service temporarily unavailable');
    expect(setup.argus.server.count(SEARCH)).toBe(3);
  });

  it('reports an answer that is not an Argus envelope as the upstream fault', async () => {
    setup.argus.server.inject({ status: 200, body: '<html>captive portal</html>' });
    const error = await failure();
    expect(error.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'argus' });
    expect(error.message).toBe('argus answered without the Argus envelope');
  });

  it('maps a descriptor Argus does not know (configured by mistake) to UPSTREAM_NOT_FOUND', async () => {
    const broken = await startArgusGateway({
      source: { descriptors: [{ shortName: 'netstat', keys: ['ipAddress', 'vlan'], values: ['packages'] }] },
    });
    try {
      const response = await gql(broken.gateway, `{ metricData(source: "argus", metric: "netstat", from: "${range.from}", to: "${range.to}") { values } }`);
      expect(response.errors![0]!.extensions).toEqual({ code: 'UPSTREAM_NOT_FOUND', source: 'argus', upstreamStatus: 404 });
      expect(response.errors![0]!.message).toBe('argus has no such descriptor or resource (HTTP 404): ACTION_ERROR: Metric descriptor netstat not found');
      const health = await gql(broken.gateway, '{ sources { id healthy message } }');
      expect(health.data!.sources).toContainEqual({ id: 'argus', healthy: false, message: expect.stringMatching(/HTTP 404/) });
    } finally {
      await broken.close();
    }
  });
});

describe('Argus credentials', () => {
  it('maps a rejected API key to UPSTREAM_AUTH_FAILED, without the key in the message', async () => {
    const setup = await startArgusGateway({ source: { apiKey: 'expired-key-123' } });
    try {
      const response = await gql(setup.gateway, query());
      expect(response.errors![0]!.extensions).toEqual({ code: 'UPSTREAM_AUTH_FAILED', source: 'argus', upstreamStatus: 401 });
      expect(response.errors![0]!.message).toBe("argus rejected the gateway's credentials (HTTP 401): ACTION_ERROR: Invalid or expired API key");
      expect(JSON.stringify(response)).not.toContain('expired-key-123');
      // Not retried: a wrong key stays wrong.
      expect(setup.argus.server.count(SEARCH)).toBe(1);
    } finally {
      await setup.close();
    }
  });

  it('maps access denied to a customer to UPSTREAM_AUTH_FAILED (403)', async () => {
    const setup = await startArgusGateway({ source: { apiKey: ARGUS_ACME_KEY } });
    try {
      const denied = await gql(setup.gateway, query(', argus: { customer: ["globex"] }'));
      expect(denied.errors![0]!.extensions).toEqual({ code: 'UPSTREAM_AUTH_FAILED', source: 'argus', upstreamStatus: 403 });
      expect(denied.errors![0]!.message).toBe('argus denied access with the configured credentials (HTTP 403): ACTION_ERROR: Access denied to customer globex');
      const own = await gql(setup.gateway, query());
      expect(own.data!.metricData).toHaveLength(9);
    } finally {
      await setup.close();
    }
  });
});
