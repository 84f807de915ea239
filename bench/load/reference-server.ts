/**
 * The uncached panel's reference: a bare graphql-yoga server whose one resolver makes the same
 * signed Darktrace calls the gateway makes for scenario 3 (one per device, undici with a
 * 64-connection pool, JSON.parse of each answer) and returns the series. No cache, batching,
 * limits, deadlines, guards, error translation or metrics: what a plain yoga server with these two
 * upstream calls per request costs. The gateway's uncached figure is read against it as well as
 * against bare `{ hello }`.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import { Agent } from 'undici';
import { signedHeaders } from '../../src/sources/darktrace/sign.js';

export interface ReferenceUpstream {
  url: string;
  caFile: string;
  publicToken: string;
  privateToken: string;
}

interface Point {
  timems: number;
  size: number | null;
}

const typeDefs = /* GraphQL */ `
  type Series {
    metric: String!
    did: String!
    timestamps: [Float!]!
    values: [Float]!
  }
  type Query {
    panel(metrics: [String!]!, devices: [String!]!, from: Float!, to: Float!, intervalS: Int!): [Series!]!
  }
`;

export async function startReferenceServer(upstream: ReferenceUpstream): Promise<{ url: string; close: () => Promise<void> }> {
  const origin = new URL(upstream.url).origin;
  const agent = new Agent({ connections: 64, connect: { ca: readFileSync(upstream.caFile) } });
  const call = async (did: string, metrics: string[], from: number, to: number, intervalS: number) => {
    const path = `/metricdata?${metrics.map((metric, i) => `metric${i + 1}=${metric}`).join('&')}&starttime=${from}&endtime=${to}&interval=${intervalS}&did=${did}`;
    const response = await agent.request({ origin, path, method: 'GET', headers: signedHeaders(upstream, path) });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`darktrace answered ${response.statusCode}: ${text.slice(0, 200)}`);
    const items = JSON.parse(text) as Array<{ metric: string; data: Point[] }>;
    return items.map((item) => ({ metric: item.metric, did, timestamps: item.data.map((point) => point.timems), values: item.data.map((point) => point.size) }));
  };
  const yoga = createYoga({
    schema: createSchema({
      typeDefs,
      resolvers: {
        Query: {
          panel: async (_: unknown, args: { metrics: string[]; devices: string[]; from: number; to: number; intervalS: number }) =>
            (await Promise.all(args.devices.map((did) => call(did, args.metrics, args.from, args.to, args.intervalS)))).flat(),
        },
      },
    }),
    logging: false,
    landingPage: false,
  });
  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await agent.close();
    },
  };
}
