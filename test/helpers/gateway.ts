import { pino } from 'pino';
import { validateConfig } from '../../src/config/load.js';
import type { GatewayConfigInput } from '../../src/config/schema.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { UpstreamThread } from '../../src/sources/http/upstream-thread.js';

/**
 * Starts a real gateway on an ephemeral loopback port from a config tree (as gateway.yaml would
 * hold it). Logs are silent unless TEST_LOG is set.
 */
export async function startGateway(config: Partial<GatewayConfigInput> = {}): Promise<Gateway> {
  const validated = validateConfig(
    // The upstream thread whatever the machine's CPUs (its default): tests exercise the path that serves.
    { port: 0, host: '127.0.0.1', sources: [{ id: 'native', kind: 'native' }], upstreamThread: true, ...config },
    'test configuration',
    {},
  );
  const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
  sharedThread ??= new UpstreamThread({ log });
  return createGateway(validated, { log, upstreamThread: sharedThread });
}

/**
 * One upstream thread for every gateway of a test file: each would otherwise start its own (some
 * 150 ms of CPU apiece). Never closed: idle, it does not hold the process.
 */
let sharedThread: UpstreamThread | undefined;

export interface GraphQLResponse<T = Record<string, any>> {
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
}

/** POSTs one GraphQL operation the way a browser client would. */
export async function gql<T = Record<string, any>>(
  gateway: { url: string },
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T> & { status: number }> {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as GraphQLResponse<T>) };
}
