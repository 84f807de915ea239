import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argusFaults } from '../../src/emulators/argus/index.js';
import { gql } from '../helpers/gateway.js';
import { startArgusGateway, window, type ArgusSetup } from '../helpers/argus.js';

/** One request to Argus and the native collector: when Argus fails, the native answer still arrives. */
describe('partial results with Argus failing', () => {
  let setup: ArgusSetup;
  const range = window(1);

  beforeAll(async () => {
    setup = await startArgusGateway();
    await gql(setup.gateway, 'mutation { trackMetric(source: "native", input: { name: "queue_depth", value: 7 }) { success } }');
  });
  afterAll(() => setup.close());

  const query = `{
    native: metricData(source: "native", metric: "queue_depth", from: "now-5m") { values }
    argus: metricData(source: "argus", metric: "netstats.packages", from: "${range.from}", to: "${range.to}", argus: { customer: ["acme"] }) { values }
    feeds: metrics(source: "argus", search: "threatfeed") { name }
  }`;

  it.each([
    ['unavailable (503 on every try)', () => argusFaults.unavailable({ times: 3 }), { code: 'UPSTREAM_UNAVAILABLE', source: 'argus', upstreamStatus: 503 }],
    ['out of resources (402)', () => argusFaults.resourcesExhausted(30_000), { code: 'UPSTREAM_RATE_LIMITED', source: 'argus', upstreamStatus: 402, retryAfterMs: 30_000 }],
    ['unreachable (connection reset)', () => ({ reset: true, times: 3 }), { code: 'UPSTREAM_UNAVAILABLE', source: 'argus' }],
  ])('nulls only the Argus field when Argus is %s', async (_, fault, extensions) => {
    setup.argus.server.inject(fault());
    const response = await gql(setup.gateway, query);
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ native: [{ values: [7] }], argus: null, feeds: [{ name: 'threatfeed' }, { name: 'threatfeed.indicators' }] });
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]).toMatchObject({ path: ['argus'], extensions });
    setup.argus.server.clearFaults();
  });

  it('answers both once Argus is back', async () => {
    const response = await gql(setup.gateway, query);
    expect(response.errors).toBeUndefined();
    expect(response.data!.native).toEqual([{ values: [7] }]);
    expect(response.data!.argus).toHaveLength(9);
  });

  it('shows Argus unhealthy in sources while the native collector stays healthy', async () => {
    setup.argus.server.inject(argusFaults.unavailable({ times: 3 }));
    const response = await gql(setup.gateway, '{ sources { id healthy } }');
    expect(response.data!.sources).toEqual([{ id: 'native', healthy: true }, { id: 'argus', healthy: false }]);
    setup.argus.server.clearFaults();
  });
});
