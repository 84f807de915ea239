import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { gql, startGateway } from '../helpers/gateway.js';

/** Large answers leave as a chunked stream with the same JSON yoga would have written. */
describe('large answers', () => {
  let gateway: Gateway;
  const end = Math.floor(Date.now() / 60_000) * 60_000;
  const points = 6_000;

  beforeAll(async () => {
    gateway = await startGateway({ sources: [{ id: 'native', kind: 'native', maxPointsPerSeries: points } as never] });
    for (const pod of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']) {
      const inputs = Array.from({ length: points }, (_, i) => ({ name: 'big', value: i % 11 === 0 ? 0 : i / 7, labels: { pod }, timestamp: end - (points - i) * 1000 }));
      const tracked = await gql(gateway, 'mutation ($inputs: [TrackMetricInput!]!) { trackMetrics(inputs: $inputs) { failed } }', { inputs });
      expect(tracked.data!.trackMetrics.failed).toBe(0);
    }
  });
  afterAll(() => gateway.close());

  const query = (from: number) => `{ metricData(source: "native", metric: "big", from: ${from}, to: ${end + 1}) { labels { key value } timestamps values } }`;
  const post = (body: string, accept?: string) =>
    fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}) }, body: JSON.stringify({ query: body }) });

  it('streams 10 x 6,000 points in chunks, in the media type asked for, parseable as one document', async () => {
    for (const [accept, type] of [
      [undefined, 'application/json'],
      ['application/graphql-response+json', 'application/graphql-response+json'],
      ['text/event-stream, application/json', 'application/json'],
    ] as const) {
      const response = await post(query(end - points * 1000 - 1), accept);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(`${type}; charset=utf-8`);
      // Streamed: no length known up front.
      expect(response.headers.get('content-length')).toBeNull();
      const body = (await response.json()) as any;
      expect(body.data.metricData).toHaveLength(10);
      expect(body.data.metricData[3].timestamps).toHaveLength(points);
      expect(body.data.metricData[3].values[23]).toBeCloseTo(23 / 7, 10);
      expect(body.data.metricData[3].values[11]).toBe(0);
    }
  });

  it('answers small results as before, with their length', async () => {
    const response = await post(query(end - 10_000));
    expect(response.headers.get('content-length')).not.toBeNull();
    expect(((await response.json()) as any).data.metricData[0].values).toHaveLength(10);
  });
});
