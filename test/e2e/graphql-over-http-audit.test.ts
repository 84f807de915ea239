import { serverAudits, type AuditResult } from 'graphql-http';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { startGateway } from '../helpers/gateway.js';

/**
 * The GraphQL over HTTP spec, checked by the audit suite its authors publish (graphql-http), not
 * by our reading of it. MUST and SHOULD audits have to pass; a MAY that the gateway chooses not to
 * do is only reported.
 */

let gateway: Gateway;

beforeAll(async () => {
  gateway = await startGateway();
});

afterAll(async () => {
  await gateway?.close();
});

// The audits are listed while the file is collected, before the gateway has a port: hence a URL function.
const audits = serverAudits({ url: () => `${gateway.url}/graphql` });

describe('GraphQL over HTTP (graphql-http serverAudits)', () => {
  for (const audit of audits) {
    it(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      if (result.status === 'ok') return;
      if (audit.name.startsWith('MAY')) {
        console.info(`graphql-http ${audit.id} (${audit.name}): ${result.reason}`);
        return;
      }
      throw new Error(`${audit.name}: ${result.reason}\n${await describeResponse(result)}`);
    });
  }
});

/** The failing response, so a red audit says what the gateway actually answered. */
async function describeResponse(result: Exclude<AuditResult, { status: 'ok' }>): Promise<string> {
  const { response } = result;
  let body: string;
  try {
    body = await response.clone().text();
  } catch {
    body = '(body already read by the audit)';
  }
  const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
  return `HTTP ${response.status}\n${headers}\n\n${body}`;
}
