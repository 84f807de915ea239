import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNATRACE_TOKENS, startDynatraceEmulator, type DynatraceEmulator } from '../../src/emulators/dynatrace/index.js';
import type { Gateway } from '../../src/gateway.js';
import { dynatraceSource } from '../helpers/dynatrace.js';
import { gql, startGateway } from '../helpers/gateway.js';

const FIELD = 'metric: "http_requests", from: "2024-01-08", to: "2024-01-09", interval: "1d"';

describe('dynatrace errors', () => {
  let emulator: DynatraceEmulator;
  let gateway: Gateway;

  beforeAll(async () => {
    emulator = await startDynatraceEmulator({ environmentPath: '/e/abc12345' });
    gateway = await startGateway({
      sources: [
        dynatraceSource(emulator, { cacheTtl: false }),
        dynatraceSource(emulator, { id: 'wrong_token', apiToken: 'dt0c01.NOTATOKEN.NOTASECRET', cacheTtl: false }),
        dynatraceSource(emulator, { id: 'no_scope', apiToken: DYNATRACE_TOKENS.noScope, cacheTtl: false }),
      ],
    });
  });
  afterAll(async () => {
    await gateway.close();
    await emulator.close();
  });

  it('keeps the Managed /e/{env} prefix in front of every path', async () => {
    const response = await gql(gateway, `{ metricData(source: "dynatrace", ${FIELD}) { values } }`);
    expect(response.errors).toBeUndefined();
    expect(emulator.queryCalls().at(-1)!.rawPath.startsWith('/e/abc12345/api/v2/metrics/query?')).toBe(true);
  });

  it('maps 401 and 403 ErrorEnvelopes to UPSTREAM_AUTH_FAILED without leaking the token', async () => {
    const response = await gql(gateway, `{
      wrong: metricData(source: "wrong_token", ${FIELD}) { values }
      scope: metricData(source: "no_scope", ${FIELD}) { values }
    }`);
    const byPath = Object.fromEntries(response.errors!.map((error) => [error.path![0], error]));
    expect(byPath.wrong!.extensions).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', source: 'wrong_token', upstreamStatus: 401 });
    expect(byPath.wrong!.message).toBe("wrong_token rejected the gateway's credentials (HTTP 401): Token Authentication failed");
    expect(byPath.scope!.extensions).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', source: 'no_scope', upstreamStatus: 403 });
    expect(byPath.scope!.message).toContain('Token is missing required scope. Use one of: metrics.read');
    expect(JSON.stringify(response)).not.toContain('NOTASECRET');
    expect(JSON.stringify(response)).not.toContain(DYNATRACE_TOKENS.noScope);
  });

  it('puts the constraint violation paths of a 400 into the message', async () => {
    const response = await gql(gateway, `{ metricData(source: "dynatrace", ${FIELD}, dynatrace: { entitySelector: "tag(\\"team:payments\\")" }) { values } }`);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_BAD_REQUEST', source: 'dynatrace', upstreamStatus: 400 });
    expect(response.errors![0]!.message).toBe(
      'dynatrace refused the request (HTTP 400): Constraints violated. (entitySelector: The entity selector must contain a type(...) or entityId(...) criterion.)',
    );
  });

  it('reports an unreachable environment as UPSTREAM_UNAVAILABLE in health and queries', async () => {
    const down = await startGateway({ sources: [dynatraceSource(emulator, { url: 'https://127.0.0.1:9/e/abc12345', retries: 0 })] });
    try {
      const response = await gql(down, `{ sources { id healthy message } metricData(source: "dynatrace", ${FIELD}) { values } }`);
      expect(response.data!.sources[0]).toMatchObject({ id: 'dynatrace', healthy: false });
      expect(response.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'dynatrace' });
    } finally {
      await down.close();
    }
  });
});
