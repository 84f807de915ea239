import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARGUS_READ_ONLY_KEY, argusFaults } from '../../src/emulators/argus/index.js';
import { gql } from '../helpers/gateway.js';
import { ARGUS_NOW, bodies, startArgusGateway, type ArgusSetup } from '../helpers/argus.js';

const SUBMIT = '/metrics/v1/metric/netstats';
const MUTATION = `mutation ($records: [ArgusRecordInput!]!, $ignoreOnFailed: Boolean, $customer: String, $descriptor: String! = "netstats", $source: ID) {
  submitArgusMetrics(source: $source, descriptor: $descriptor, records: $records, ignoreOnFailed: $ignoreOnFailed, customer: $customer) {
    success descriptor total stored refused results { index stored error field }
  }
}`;
const at = (minutes: number) => new Date(ARGUS_NOW + minutes * 60_000).toISOString();
const good = (vlan: number, minutes = 5) => ({ timestamp: at(minutes), keys: { ipAddress: '10.7.0.1', vlan }, values: { packages: 100 + vlan, frames: 110 + vlan } });

/** submitArgusMetrics: records checked, sent once, and an outcome per record. */
describe('submitArgusMetrics', () => {
  let setup: ArgusSetup;
  beforeAll(async () => {
    setup = await startArgusGateway();
  });
  afterAll(() => setup.close());

  const stored = () => setup.argus.store.records(setup.argus.store.descriptor('netstats')!).filter((record) => record.keys.ipAddress === '10.7.0.1');
  const submit = (variables: Record<string, unknown>) => gql(setup.gateway, MUTATION, variables);

  it('stores valid records for the named customer and reports each one stored', async () => {
    setup.argus.server.resetCount();
    const before = stored().length;
    const response = await submit({ records: [good(10), { ...good(20), timestamp: ARGUS_NOW + 600_000 }], customer: 'globex' });
    expect(response.errors).toBeUndefined();
    expect(response.data!.submitArgusMetrics).toEqual({
      success: true, descriptor: 'netstats', total: 2, stored: 2, refused: 0,
      results: [{ index: 0, stored: true, error: null, field: null }, { index: 1, stored: true, error: null, field: null }],
    });
    expect(bodies(setup.argus, SUBMIT)).toEqual([
      {
        records: [
          { timestamp: ARGUS_NOW + 300_000, keys: { ipAddress: '10.7.0.1', vlan: 10 }, values: { packages: 110, frames: 120 } },
          { timestamp: ARGUS_NOW + 600_000, keys: { ipAddress: '10.7.0.1', vlan: 20 }, values: { packages: 120, frames: 130 } },
        ],
        ignoreOnFailed: false,
        customer: 'globex',
      },
    ]);
    expect(stored().length).toBe(before + 2);
    expect(stored().find((record) => record.keys.vlan === 20)!.customer!.shortName).toBe('globex');
  });

  it('sends nothing when a record is invalid and ignoreOnFailed is off, and explains every record', async () => {
    setup.argus.server.resetCount();
    const response = await submit({
      records: [good(10), { timestamp: at(5), keys: { ipAddress: 'not-an-ip', vlan: 10, port: 80 }, values: { packages: 'many' } }],
    });
    expect(setup.argus.server.count()).toBe(0);
    expect(response.data!.submitArgusMetrics).toEqual({
      success: false, descriptor: 'netstats', total: 2, stored: 0, refused: 2,
      results: [
        { index: 0, stored: false, field: null, error: 'not stored: record 1 was invalid, and without ignoreOnFailed Argus stores none of the request' },
        {
          index: 1, stored: false, field: 'records[1].keys.ipAddress',
          error:
            "records[1].keys.ipAddress must be an IPv4 or IPv6 address; got 'not-an-ip'; " +
            'records[1].keys.port is not a key of Argus descriptor netstats (ipAddress, vlan); ' +
            "records[1].values.packages must be a number; got 'many'; " +
            'records[1].values.frames is missing; Argus descriptor netstats needs every value (packages, frames)',
        },
      ],
    });
  });

  it('with ignoreOnFailed sends and stores the valid records and refuses the rest', async () => {
    setup.argus.server.resetCount();
    const before = stored().length;
    const response = await submit({ records: [{ ...good(10), keys: { ipAddress: '10.7.0.1' } }, good(30), good(31)], ignoreOnFailed: true, customer: 'acme' });
    expect(response.data!.submitArgusMetrics).toMatchObject({ success: false, total: 3, stored: 2, refused: 1 });
    expect((response.data!.submitArgusMetrics as any).results[0]).toEqual({
      index: 0, stored: false, field: 'records[0].keys.vlan',
      error: 'records[0].keys.vlan is missing; Argus descriptor netstats needs every key (ipAddress, vlan)',
    });
    const [sent] = bodies(setup.argus, SUBMIT);
    expect(sent!.ignoreOnFailed).toBe(true);
    expect(sent!.records.map((record: any) => record.keys.vlan)).toEqual([30, 31]);
    expect(stored().length).toBe(before + 2);
  });

  it('takes the key owner as customer when none is named, and refuses a customer for a global descriptor', async () => {
    const own = await submit({ records: [good(40)] });
    expect(own.data!.submitArgusMetrics).toMatchObject({ success: true });
    expect(stored().find((record) => record.keys.vlan === 40)!.customer!.shortName).toBe('mnemonic');
    setup.argus.server.resetCount();
    const global = await submit({ descriptor: 'threatfeed', customer: 'acme', records: [{ keys: { feed: 'x' }, values: { indicators: 3 } }] });
    expect(global.data).toBeNull();
    expect(global.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'customer', source: 'argus' });
    expect(global.errors![0]!.message).toBe('Argus descriptor threatfeed is global: its records belong to no customer; drop customer');
    expect(setup.argus.server.count()).toBe(0);
  });

  it('stamps a record without a timestamp with the request time', async () => {
    const before = Date.now();
    await submit({ records: [{ keys: { ipAddress: '10.7.0.1', vlan: 50 }, values: { packages: 1, frames: 1 } }] });
    const last = stored().find((record) => record.keys.vlan === 50)!;
    expect(last.timestamp).toBeGreaterThanOrEqual(before);
    expect(last.timestamp).toBeLessThanOrEqual(Date.now());
  });

  it.each([
    [{ descriptor: 'netstats.packages' }, 'descriptor', "descriptor must be a configured Argus descriptor; argus has netstats, sensorload, threatfeed; got 'netstats.packages'"],
    [{ records: [] }, 'records', 'records must hold at least one record'],
    [{ source: 'native' }, 'source', "source 'native' is a native source; submitArgusMetrics writes to argus sources"],
  ])('refuses %j', async (change, field, message) => {
    const response = await submit({ records: [good(10)], ...change });
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(response.errors![0]!.message).toBe(message);
  });

  it('never retries a submit: a 503 is reported after one request', async () => {
    setup.argus.server.resetCount();
    setup.argus.server.inject(argusFaults.unavailable());
    const response = await submit({ records: [good(60)] });
    expect(response.data).toBeNull();
    expect(response.errors![0]!.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', source: 'argus', upstreamStatus: 503 });
    expect(setup.argus.server.count(SUBMIT)).toBe(1);
  });

  it('reports the records Argus itself refused when the gateway could not check them', async () => {
    // Without key types configured, the gateway cannot know vlan must be an integer; Argus does.
    const untyped = await startArgusGateway({ source: { descriptors: [{ shortName: 'netstats', keys: ['ipAddress', 'vlan'], values: ['packages', 'frames'] }] } });
    try {
      const records = [good(70), { ...good(71), keys: { ipAddress: '10.7.0.1', vlan: 'seventy-one' } }];
      const strict = await gql(untyped.gateway, MUTATION, { records });
      expect(strict.data!.submitArgusMetrics).toEqual({
        success: false, descriptor: 'netstats', total: 2, stored: 0, refused: 2,
        results: [
          { index: 0, stored: false, field: null, error: 'not stored: record 1 was refused by Argus, and without ignoreOnFailed Argus stores none of the request' },
          { index: 1, stored: false, field: 'records[1].keys.vlan', error: 'must be an integer' },
        ],
      });
      const lenient = await gql(untyped.gateway, MUTATION, { records, ignoreOnFailed: true });
      expect(lenient.data!.submitArgusMetrics).toMatchObject({
        stored: 1,
        results: [{ index: 0, stored: true }, { index: 1, stored: false, field: 'records[1].keys.vlan', error: 'must be an integer' }],
      });
      expect(untyped.argus.server.count(SUBMIT)).toBe(2);
    } finally {
      await untyped.close();
    }
  });

  it('says the outcome is unknown when Argus does not answer in time', async () => {
    const slow = await startArgusGateway({ source: { timeoutMs: 300 } });
    try {
      slow.argus.server.inject({ latencyMs: 1000 });
      const response = await gql(slow.gateway, MUTATION, { records: [good(80)] });
      expect(response.errors![0]!.extensions).toMatchObject({ code: 'GATEWAY_TIMEOUT', source: 'argus' });
      expect(response.errors![0]!.message).toBe(
        'argus did not answer within 300 ms; no answer came, so the records may or may not have been stored (submits are never retried automatically)',
      );
      expect(slow.argus.server.count(SUBMIT)).toBe(1);
    } finally {
      await slow.close();
    }
  });

  it('maps a key without the write function to UPSTREAM_AUTH_FAILED', async () => {
    const reader = await startArgusGateway({ source: { apiKey: ARGUS_READ_ONLY_KEY } });
    try {
      const response = await gql(reader.gateway, MUTATION, { records: [good(90)] });
      expect(response.errors![0]!.extensions).toEqual({ code: 'UPSTREAM_AUTH_FAILED', source: 'argus', upstreamStatus: 403 });
      expect(response.errors![0]!.message).toBe('argus denied access with the configured credentials (HTTP 403): ACTION_ERROR: User dashboard lacks function write-netstats for descriptor netstats');
    } finally {
      await reader.close();
    }
  });
});
