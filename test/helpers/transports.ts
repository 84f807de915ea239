import { pino } from 'pino';
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
