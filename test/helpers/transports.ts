import { pino } from 'pino';
import { inlineTransport, type UpstreamTransport } from '../../src/sources/http/transport.js';
import { UpstreamThread } from '../../src/sources/http/upstream-thread.js';

/**
 * Both places upstream HTTP can run, for suites that must hold on each: this thread (a lone
 * UpstreamClient) and the gateway's upstream thread (the gateway's default).
 */
export const TRANSPORTS: Array<[where: string, open: () => { transport: UpstreamTransport; close: () => Promise<void> }]> = [
  ['this thread', () => ({ transport: inlineTransport, close: async () => {} })],
  [
    'the upstream thread',
    () => {
      const thread = new UpstreamThread({ log: pino({ level: 'silent' }) });
      return { transport: thread, close: () => thread.close() };
    },
  ],
];
