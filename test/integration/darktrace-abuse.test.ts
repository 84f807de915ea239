import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../helpers/gateway.js';
import { hoursAgo, startDarktraceRig, type DarktraceRig } from '../helpers/darktrace.js';

/**
 * Input a Darktrace source cannot honour is refused with BAD_USER_INPUT, a message that restates
 * what is accepted and shows the bad value, and no /metricdata call.
 */
describe('Darktrace sources refuse bad input clearly', () => {
  let rig: DarktraceRig;
  const window = `from: ${hoursAgo(3)}, to: ${hoursAgo(1)}`;

  beforeAll(async () => {
    rig = await startDarktraceRig();
    await gql(rig.gateway, '{ metrics(source: "dt") { name } }');
  });
  afterAll(() => rig.close());

  it.each([
    ['interval: "1500ms"', 'interval', "interval for a darktrace source must be a whole number of seconds; got 1500 ms"],
    ['darktrace: { port: 70000 }', 'darktrace.port', 'darktrace.port must be a port number from 0 to 65535; got 70000'],
    ['darktrace: { destinationport: -1 }', 'darktrace.destinationport', 'darktrace.destinationport must be a port number from 0 to 65535; got -1'],
    ['darktrace: { devices: ["web-1"] }', 'darktrace.devices', `darktrace.devices takes device ids (the appliance's did numbers, e.g. "12"); got 'web-1'`],
    ['darktrace: { devices: [] }', 'darktrace.devices', 'darktrace.devices must name at least one device id'],
    ['darktrace: { did: 100, devices: ["101"] }', 'darktrace.devices', 'give darktrace.did or darktrace.devices, not both'],
    ['darktrace: { protocol: "  " }', 'darktrace.protocol', "darktrace.protocol must be a protocol name or code as /enums lists it (e.g. TCP or 6); got '  '"],
    ['filters: [{ key: "region", values: ["eu"] }]', 'filters.region', "darktrace series can be filtered by did, ddid, odid, port, sourceport, destinationport, protocol, applicationprotocol; got filter key 'region'"],
    ['filters: [{ key: "port", values: ["443"], exclude: true }]', 'filters.port', "darktrace applies filters upstream and cannot exclude values; drop exclude from the 'port' filter"],
    ['filters: [{ key: "port", values: ["443", "80"] }]', 'filters.port', "darktrace takes one value per 'port' filter; got 2 (443, 80). Use aliased fields, one per value"],
    ['filters: [{ key: "port", values: ["https"] }]', 'filters.port', "filters.port must be an integer port number; got 'https'"],
    ['filters: [{ key: "port", values: ["443"] }], darktrace: { port: 80 }', 'filters.port', 'the port filter (443) disagrees with darktrace.port (80)'],
  ])('%s', async (args, field, message) => {
    rig.emulator.reset();
    const response = await gql(rig.gateway, `{ metricData(source: "dt", metric: "connections", ${window}, ${args}) { values } }`);
    expect(response.data).toEqual({ metricData: null });
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', source: 'dt', field });
    expect(response.errors![0]!.message).toBe(message);
    expect(rig.emulator.count('/metricdata')).toBe(0);
  });

  it.each([
    ['metric: "connections,dnsrequests"', 'give several metrics as a list (metrics: ["a", "b"]), not comma-joined; got \'connections,dnsrequests\''],
    ['metric: "bad name"', "darktrace metric names are system names like externalconnections (letters, digits, _ . : -); got 'bad name'"],
  ])('metric selection %s', async (args, message) => {
    rig.emulator.reset();
    const response = await gql(rig.gateway, `{ metricData(source: "dt", ${args}, ${window}) { values } }`);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'metric' });
    expect(response.errors![0]!.message).toBe(message);
    expect(rig.emulator.count('/metricdata')).toBe(0);
  });

  it('names a source that is not Darktrace when darktrace parameters are given to it', async () => {
    const response = await gql(rig.gateway, `{ metricData(source: "dt", metric: "connections", ${window}, argus: { limit: 1 }) { values } }`);
    expect(response.errors![0]!.message).toBe("argus parameters apply to argus sources; 'dt' is a darktrace source");
  });

  it('refuses an unknown source setting at start', async () => {
    const { validateConfig } = await import('../../src/config/load.js');
    expect(() => validateConfig({ sources: [{ id: 'dt', kind: 'darktrace', url: 'ftp://appliance', publicToken: 'p', privateToken: '', verifySsl: false }] }, 'gateway.yaml', {}))
      .toThrow(/sources\[0\]\.url: must be an http:\/\/ or https:\/\/ URL without credentials, e\.g\. https:\/\/darktrace\.example\.com; got "ftp:\/\/appliance"[\s\S]*sources\[0\]\.privateToken: must not be empty[\s\S]*unknown setting 'verifySsl'/);
  });
});
