import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, validateConfig } from '../../src/config/load.js';
import { DarktraceEmulator, EMULATOR_TOKENS } from '../../src/emulators/darktrace/emulator.js';
import type { Gateway } from '../../src/gateway.js';
import { gql, startGateway } from '../helpers/gateway.js';
import { EMULATOR_CA_FILE, hoursAgo } from '../helpers/darktrace.js';

/**
 * Certificate checks are on by default (as in the Darktrace SDK since v0.9.0). Against an
 * appliance with a self-signed certificate that fails clearly and says what to do; `caFile`
 * trusts that certificate; `verifyTls: false` trusts anything.
 */
describe('Darktrace TLS settings', () => {
  const QUERY = `{ metricData(source: "dt", metric: "connections", from: ${hoursAgo(3)}, to: ${hoursAgo(1)}, interval: "1h") { values } }`;
  let emulator: DarktraceEmulator;
  const gateways: Gateway[] = [];

  beforeAll(async () => {
    emulator = await DarktraceEmulator.start();
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.close()));
    await emulator.close();
  });

  async function gatewayWith(tls: Record<string, unknown>): Promise<Gateway> {
    const gateway = await startGateway({ sources: [{ id: 'dt', kind: 'darktrace', url: emulator.url, ...EMULATOR_TOKENS, cacheTtl: false, ...tls } as never] });
    gateways.push(gateway);
    return gateway;
  }

  it('refuses the self-signed certificate by default, saying how to trust it', async () => {
    emulator.reset();
    const response = await gql(await gatewayWith({}), QUERY);
    expect(response.data).toEqual({ metricData: null });
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'dt' });
    expect(response.errors![0]!.message).toBe(
      "dt's TLS certificate is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT); give its CA with caFile, or set verifyTls: false for an appliance with a self-signed certificate",
    );
    // The handshake failed: nothing reached the appliance, and it was not retried as if it might pass.
    expect(emulator.count()).toBe(0);
  });

  it('reports the same in the health of the source', async () => {
    const response = await gql(await gatewayWith({}), '{ sources { id healthy message } }');
    expect(response.data!.sources).toEqual([{ id: 'dt', healthy: false, message: expect.stringMatching(/TLS certificate is not trusted/) }]);
  });

  it('works with verifyTls: false', async () => {
    const response = await gql(await gatewayWith({ verifyTls: false }), QUERY);
    expect(response.errors).toBeUndefined();
    expect(response.data!.metricData[0].values).toHaveLength(2);
  });

  it('works with caFile naming the appliance certificate, and the source is healthy', async () => {
    const gateway = await gatewayWith({ caFile: EMULATOR_CA_FILE });
    const response = await gql(gateway, `${QUERY.slice(0, -1)} sources { id healthy message } }`);
    expect(response.errors).toBeUndefined();
    expect(response.data!.metricData[0].values).toHaveLength(2);
    expect(response.data!.sources).toEqual([{ id: 'dt', healthy: true, message: '9 metrics available' }]);
  });

  it('refuses a caFile that is not a readable certificate, and caFile together with verifyTls: false, at start', () => {
    const problems = (source: Record<string, unknown>) => {
      try {
        validateConfig({ sources: [{ id: 'dt', kind: 'darktrace', url: 'https://appliance', ...EMULATOR_TOKENS, ...source }] }, 'gateway.yaml', {});
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).problems;
      }
      throw new Error('expected the config to be refused');
    };
    expect(problems({ caFile: '/nonexistent/ca.pem' })).toEqual([
      'sources[0].caFile: must be a readable PEM file with a certificate; cannot use "/nonexistent/ca.pem"',
    ]);
    expect(problems({ caFile: EMULATOR_CA_FILE, verifyTls: false })).toEqual([
      'sources[0].caFile: has no effect with verifyTls: false; keep caFile and drop verifyTls: false to trust only that CA',
    ]);
  });
});
