import { createClient as createWsClient } from 'graphql-ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startGateway } from '../helpers/gateway.js';
import { collect, rawSse, sleep } from '../helpers/streams.js';

const QUIET = 'subscription { metricStream(source: "native", metric: "quiet_metric") { backfill series { metric } } }';

describe('stream lifecycle', () => {
  // Yoga pings SSE every 300 ms when NODE_ENV is "test"; production timing shows our heartbeat.
  let nodeEnv: string | undefined;
  beforeEach(() => {
    nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
  });
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('keeps a quiet SSE stream alive with heartbeats past twice the interval', async () => {
    const gateway = await startGateway({ streams: { heartbeat: '200ms' } });
    try {
      const stream = await rawSse(`${gateway.url}/graphql`, QUIET);
      expect(stream.response.headers.get('content-type')).toMatch(/text\/event-stream/);
      await sleep(1100);
      const heartbeats = stream.text().split('\n\n').filter((block) => block === ':').length;
      // One initial comment from yoga, then about one per 200 ms of silence.
      expect(heartbeats).toBeGreaterThanOrEqual(4);
      expect(stream.text()).toContain('event: next');
      stream.abort();
    } finally {
      await gateway.close();
    }
  });

  it('completes open SSE and WebSocket streams on shutdown, then closes', async () => {
    const gateway = await startGateway({ shutdownTimeoutMs: 5000 });
    const sse = await rawSse(`${gateway.url}/graphql`, QUIET);
    const ws = createWsClient({ url: `${gateway.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
    const iterator = ws.iterate({ query: QUIET })[Symbol.asyncIterator]();
    await collect(iterator, (events) => events.length >= 1);
    await sleep(100);
    expect(sse.text()).toContain('event: next');

    const started = Date.now();
    await gateway.close();
    expect(Date.now() - started).toBeLessThan(4000);
    await sse.ended;
    expect(sse.text()).toMatch(/event: complete\ndata:\n\n$/);
    const after = await iterator.next();
    expect(after.done).toBe(true);
    ws.dispose();
  });
});
