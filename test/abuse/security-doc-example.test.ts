import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { parse } from 'yaml';
import { validateConfig } from '../../src/config/load.js';
import type { Gateway } from '../../src/gateway.js';
import { uniquePrefix } from '../helpers/collector.js';
import { startGateway } from '../helpers/gateway.js';

/** docs/security.md's example, run as written (only Redis's URL and key prefix are the test's own). */
const example = parse(/```yaml\n([\s\S]*?)```/.exec(readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8'))![1]!);

describe("docs/security.md's example configuration", () => {
  let gateway: Gateway;

  beforeAll(async () => {
    gateway = await startGateway({ ...example, redis: { ...example.redis, url: inject('redisUrl'), keyPrefix: uniquePrefix('doc') } });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  const post = (path: string, key: string) =>
    fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({ query: '{ __typename }' }),
    });

  it('serves GraphQL at graphqlPath only, over HTTP and WebSocket', async () => {
    expect(await (await post('/api/graphql', 'example-key')).json()).toEqual({ data: { __typename: 'Query' } });
    expect((await post('/graphql', 'example-key')).status).toBe(404);
    const upgrade = (path: string) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(`${gateway.url.replace('http', 'ws')}${path}`, 'graphql-transport-ws');
        socket.on('error', () => {});
        socket.once('open', () => (socket.close(), resolve('open')));
        socket.once('unexpected-response', (request, response) => (request.destroy(), resolve(String(response.statusCode))));
      });
    expect(await upgrade('/api/graphql')).toBe('open');
    expect(await upgrade('/graphql')).toBe('404');
  });

  it('throttles an address after failedLogins.max wrong keys', async () => {
    for (let i = 0; i < example.auth.failedLogins.max; i++) expect((await post('/api/graphql', 'wrong')).status).toBe(401);
    const refused = await post('/api/graphql', 'example-key');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses a graphqlPath another route answers at, or one that is not a plain path', () => {
    for (const graphqlPath of ['/health', '/metrics/graphql', '/', '/graphql/', 'graphql', '/a/../graphql', '/gr aphql', '/explore/graphql']) {
      expect(() => validateConfig({ graphqlPath, sources: [{ id: 'native', kind: 'native' }] }, 'test', {}), graphqlPath).toThrow(/graphqlPath/);
    }
  });
});

