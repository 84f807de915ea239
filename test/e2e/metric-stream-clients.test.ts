import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Gateway } from '../../src/gateway.js';
import { gql, startGateway } from '../helpers/gateway.js';
import { collect } from '../helpers/streams.js';

const STREAM = `subscription ($metric: String!) {
  metricStream(source: "native", metric: $metric, backfill: "1h") {
    backfill
    series { metric labels { key value } timestamps values }
  }
}`;

type Event = { data?: { metricStream: { backfill: boolean; series: Array<{ timestamps: number[]; values: number[] }> } }; errors?: unknown[] };

const track = (gateway: Gateway, name: string, value: number, at: number) =>
  gql(gateway, 'mutation ($input: TrackMetricInput!) { trackMetric(input: $input) { success } }', {
    input: { name, value, labels: { host: 'a' }, timestamp: at },
  });

describe('metricStream with the reference clients', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());

  it.each(['graphql-sse', 'graphql-ws'])('%s: backfill first, then each tracked point once, in order', async (transport) => {
    const metric = `stream_${transport.replace('-', '_')}`;
    const now = Date.now();
    await track(gateway, metric, 1, now - 60_000);
    await track(gateway, metric, 2, now - 30_000);

    const client = transport === 'graphql-sse'
      ? createSseClient({ url: `${gateway.url}/graphql`, retryAttempts: 0 })
      : createWsClient({ url: `${gateway.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
    const iterator = client.iterate({ query: STREAM, variables: { metric } })[Symbol.asyncIterator]() as AsyncIterator<Event>;
    try {
      const [backfill] = await collect(iterator, (events) => events.length >= 1);
      expect(backfill!.data!.metricStream.backfill).toBe(true);
      expect(backfill!.data!.metricStream.series[0]!.values).toEqual([1, 2]);

      await track(gateway, metric, 3, now + 1);
      await track(gateway, metric, 4, now + 2);
      const live = await collect(iterator, (events) => events.flatMap((e) => e.data!.metricStream.series.flatMap((s) => s.values)).length >= 2);
      expect(live.every((event) => event.data!.metricStream.backfill === false)).toBe(true);
      expect(live.flatMap((e) => e.data!.metricStream.series.flatMap((s) => s.values))).toEqual([3, 4]);
      expect(live.flatMap((e) => e.data!.metricStream.series.flatMap((s) => s.timestamps))).toEqual([now + 1, now + 2]);
    } finally {
      await iterator.return?.();
      client.dispose();
    }
  });

  it('releases the channel as soon as the last client leaves', async () => {
    const client = createSseClient({ url: `${gateway.url}/graphql`, retryAttempts: 0 });
    const iterator = client.iterate({ query: STREAM, variables: { metric: 'stream_release' } })[Symbol.asyncIterator]();
    await collect(iterator, (events) => events.length >= 1);
    expect(await gateway.metrics.activeStreams.get().then((g) => g.values[0]?.value)).toBeGreaterThanOrEqual(1);
    await iterator.return?.();
    client.dispose();
    for (let i = 0; i < 50 && (await gateway.metrics.activeStreams.get()).values[0]!.value > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await gateway.metrics.activeStreams.get()).values[0]!.value).toBe(0);
  });
});
