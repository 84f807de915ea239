import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { gql, startGateway } from '../helpers/gateway.js';
import { sha, as } from '../helpers/api-keys.js';

/**
 * An identity without introspection cannot map the schema by guessing: no "Did you mean" for
 * fields, arguments, input fields or enum values, and no list of an enum's accepted values, in
 * literals or in variables. An identity with introspection keeps every hint.
 */

const KEYS = { viewer: 'viewer-hints-key', admin: 'admin-hints-key' };

const CASES: Array<[what: string, query: string, variables: Record<string, unknown> | undefined, hint: RegExp]> = [
  ['a field', '{ sourcez { id } }', undefined, /Did you mean "sources"\?/],
  ['an argument', '{ metrics(sourc: "native") { name } }', undefined, /Did you mean "source" or "search"\?/],
  ['an enum literal', '{ aggregate(source: "native", metric: "m", function: SUMM) { value } }', undefined, /Did you mean the enum value "SUM"\?.*Accepted: SUM, AVG/],
  [
    'an enum variable',
    'query ($f: AggregateFunction!) { aggregate(source: "native", metric: "m", function: $f) { value } }',
    { f: 'SUMM' },
    /Did you mean the enum value "SUM"\?.*Accepted: SUM, AVG/,
  ],
  [
    'an input field in a variable',
    'query ($input: AllocationInput!) { allocation(input: $input) { total } }',
    { input: { amout: '1', source: 'native', metric: 'm', segmentBy: 's', strategy: 'EVEN' } },
    /Did you mean "amount" or "argus"\?/,
  ],
];

describe('schema hints', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway({
      auth: {
        apiKeys: [
          { id: 'viewer', sha256: sha(KEYS.viewer), tenant: 'acme' },
          { id: 'admin', sha256: sha(KEYS.admin), tenant: 'acme', introspection: true },
        ],
      },
    });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  const messages = async (key: string, query: string, variables: Record<string, unknown> | undefined) => {
    const response = await gql(gateway, query, variables, as(key));
    expect(response.errors?.length).toBeGreaterThan(0);
    return response.errors!.map((error) => error.message).join('\n');
  };

  it.each(CASES)('gives no hint about %s without introspection', async (_, query, variables) => {
    const text = await messages(KEYS.viewer, query, variables);
    expect(text).not.toMatch(/Did you mean|Accepted:/);
  });

  it.each(CASES)('keeps the hint about %s with introspection', async (_, query, variables, hint) => {
    expect(await messages(KEYS.admin, query, variables)).toMatch(hint);
  });
});
