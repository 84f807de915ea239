import { pino } from 'pino';
import { afterAll, beforeAll, describe } from 'vitest';
import { UpstreamClient, type UpstreamClientOptions } from '../../src/sources/http/client.js';
import { inlineTransport, type UpstreamTransport } from '../../src/sources/http/transport.js';
import { UpstreamThread } from '../../src/sources/http/upstream-thread.js';

/**
 * Both places upstream HTTP can run, for suites that must hold on each: this thread (a lone
 * UpstreamClient) and the gateway's upstream thread (the gateway's default). The thread is
 * started before use, as the gateway starts it before it listens: on a loaded machine a start
 * can take longer than a test's short attempt timeout.
 */
export const TRANSPORTS: Array<[where: string, open: () => Promise<{ transport: UpstreamTransport; close: () => Promise<void> }>]> = [
  ['this thread', async () => ({ transport: inlineTransport, close: async () => {} })],
  [
    'the upstream thread',
    async () => {
      const thread = new UpstreamThread({ log: pino({ level: 'silent' }) });
      await thread.start();
      return { transport: thread, close: () => thread.close() };
    },
  ],
];

/**
 * `body` once per transport, each run with an UpstreamClient made from `options()` on that
 * transport before its tests and closed after them. `client()` gives the block's client.
 */
export function describeOnEachTransport(title: string, options: () => Omit<UpstreamClientOptions, 'transport'>, body: (client: () => UpstreamClient) => void): void {
  describe.each(TRANSPORTS)(`${title}, on %s`, (_, open) => {
    let client: UpstreamClient;
    let transport: Awaited<ReturnType<typeof open>>;

    beforeAll(async () => {
      transport = await open();
      client = new UpstreamClient({ ...options(), transport: transport.transport });
    });

    afterAll(async () => {
      await client.close();
      await transport.close();
    });

    body(() => client);
  });
}
