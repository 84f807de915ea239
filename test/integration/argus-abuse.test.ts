import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../helpers/gateway.js';
import { startArgusGateway, window, type ArgusSetup } from '../helpers/argus.js';

/** Contract violations on the Argus surface: each a clear BAD_USER_INPUT, and nothing sent to Argus. */
describe('Argus refuses bad input clearly', () => {
  let setup: ArgusSetup;
  beforeAll(async () => {
    setup = await startArgusGateway();
  });
  afterAll(() => setup.close());
  const range = window(1);

  it.each([
    ['metric: "netflow"', 'metric', "metric must be a configured Argus descriptor (optionally .value); argus has netstats, sensorload, threatfeed; got 'netflow'"],
    ['metric: "netstats.bytes"', 'metric', "'bytes' is not a value of Argus descriptor netstats; its values are packages, frames"],
    ['metrics: ["netstats", "nope"]', 'metrics', "metric must be a configured Argus descriptor (optionally .value); argus has netstats, sensorload, threatfeed; got 'nope'"],
    ['metric: "netstats", argus: { keys: ["vlan"] }', 'argus.keys', 'argus.keys must be an object of key values like { "ipAddress": "..." }; got ["vlan"]'],
    ['metric: "netstats", argus: { keys: { port: 443 } }', 'argus.keys.port', 'argus.keys.port is not a key of Argus descriptor netstats; its keys are ipAddress, vlan'],
    ['metric: "netstats", argus: { keys: { vlan: { gt: 10 } } }', 'argus.keys.vlan', 'argus.keys.vlan must be one string or number (Argus matches keys exactly; for several values use filters); got {"gt":10}'],
    ['metric: "threatfeed", argus: { customer: ["acme"] }', 'argus.customer', 'Argus descriptor threatfeed is global: its records belong to no customer, so argus.customer cannot select any; drop it'],
    ['metric: "netstats", argus: { subCriteria: "vlan=10" }', 'argus.subCriteria', 'argus.subCriteria must be a list of criteria objects like [{ "keys": { "vlan": 10 }, "required": false }]; got \'vlan=10\''],
    ['metric: "netstats", argus: { limit: -5 }', 'argus.limit', 'argus.limit must be a whole number from 1 to 10000, or 0 for every matching record; got -5'],
    ['metric: "netstats", argus: { limit: 20000 }', 'argus.limit', 'argus.limit must be a whole number from 1 to 10000, or 0 for every matching record; got 20000'],
    ['metric: "netstats", filters: [{ key: "region", values: ["eu"] }]', 'filters', "filters[].key must be a label of Argus descriptor netstats (customer, ipAddress, vlan); got 'region'"],
    ['metric: "threatfeed", filters: [{ key: "customer", values: ["acme"] }]', 'filters', "filters[].key must be a label of Argus descriptor threatfeed (feed); got 'customer'"],
  ])('metricData(%s)', async (args, field, message) => {
    setup.argus.server.resetCount();
    const response = await gql(setup.gateway, `{ metricData(source: "argus", ${args}, from: "${range.from}", to: "${range.to}") { metric } }`);
    expect(response.errors![0]!.message).toBe(message);
    expect(response.data).toEqual({ metricData: null });
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', source: 'argus', field });
    expect(setup.argus.server.count()).toBe(0);
  });

  it('refuses an interval that would make half a day of one-second points', async () => {
    setup.argus.server.resetCount();
    // Within the gateway's demand budget (50,000 points), beyond what Argus takes per series.
    const day = window(12);
    const response = await gql(setup.gateway, `{ metricData(source: "argus", metric: "netstats", interval: "1s", from: "${day.from}", to: "${day.to}") { metric } }`);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', source: 'argus', field: 'interval' });
    expect(response.errors![0]!.message).toBe('interval gives 43200 points per series over this range; at most 10000 are allowed, so use a longer interval or a shorter range');
    expect(setup.argus.server.count()).toBe(0);
  });

  it.each([
    ['metric: "netstats", function: SUM', 'metric', "aggregate one value at a time: name netstats.packages or netstats.frames; got 'netstats'"],
    ['metric: "netstats.packages", function: SUM, groupBy: ["region"]', 'groupBy', "groupBy must name labels of Argus descriptor netstats (customer, ipAddress, vlan); got 'region'"],
    ['metric: "netstats.packages", function: SUM, interval: "10001ms"', 'interval', 'interval 10001ms is 10001 milliseconds; Argus takes at most 10000 of a unit, so give a whole number of seconds'],
  ])('aggregate(%s)', async (args, field, message) => {
    setup.argus.server.resetCount();
    const response = await gql(setup.gateway, `{ aggregate(source: "argus", ${args}, from: "${range.from}", to: "${range.to}") { value } }`);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', source: 'argus', field });
    expect(response.errors![0]!.message).toBe(message);
    expect(setup.argus.server.count()).toBe(0);
  });

  it('refuses Argus parameters on a source of another kind', async () => {
    const response = await gql(setup.gateway, '{ metricData(source: "native", metric: "m", argus: { limit: 5 }) { metric } }');
    expect(response.errors![0]!.message).toBe("argus parameters apply to argus sources; 'native' is a native source");
  });
});
