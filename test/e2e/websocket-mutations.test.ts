import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Gateway } from '../../src/gateway.js';
import { gql, startGateway } from '../helpers/gateway.js';

/**
 * graphql-ws carries queries and mutations as well as subscriptions. A mutation on an open socket
 * is answered like one over POST, and the socket stays open for the next operation (it used to be
 * refused as if it came over GET, and the socket closed with 4500).
 */
describe('mutations over WebSocket', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());

  it('writes with trackMetric and reads it back on the same socket', async () => {
    let closed: unknown;
    const client = createClient({
      url: `${gateway.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      // One socket for both operations: a lazy client would close it between them.
      lazy: false,
      on: { closed: (event) => (closed = event) },
    });
    try {
      const written = await client.iterate({ query: 'mutation { trackMetric(input: { name: "ws_written", value: 7 }) { success } }' }).next();
      expect(written.value).toEqual({ data: { trackMetric: { success: true } } });
      const read = await client.iterate({ query: '{ metricData(source: "native", metric: "ws_written", from: "now-5m") { values } }' }).next();
      expect(read.value).toMatchObject({ data: { metricData: [{ values: [7] }] } });
      expect(closed).toBeUndefined();
    } finally {
      await client.dispose();
    }
    // Over HTTP GET a mutation is still refused.
    const overGet = await fetch(`${gateway.url}/graphql?query=${encodeURIComponent('mutation { trackMetric(input: { name: "x", value: 1 }) { success } }')}`, {
      headers: { accept: 'application/graphql-response+json', 'x-graphql-yoga-csrf': '1' },
    });
    expect(overGet.status).toBe(405);
    expect((await gql(gateway, '{ metricData(source: "native", metric: "x", from: "now-5m") { values } }')).data).toEqual({ metricData: [] });
  });
});
