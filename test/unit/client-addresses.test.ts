import { describe, expect, it } from 'vitest';
import { ClientAddresses } from '../../src/http/client-address.js';

const from = (peer: string, forwardedFor?: string) => ({
  request: new Request('http://localhost/graphql', { headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }),
  serverContext: { req: { socket: { remoteAddress: peer } } },
});

describe('ClientAddresses', () => {
  it('is the TCP peer, X-Forwarded-For ignored, when no proxy is trusted', () => {
    const { request, serverContext } = from('203.0.113.5', '198.51.100.1');
    expect(new ClientAddresses().ofRequest(request, serverContext)).toBe('203.0.113.5');
  });

  it('reads IPv4 on a dual-stack socket as plain IPv4', () => {
    const { request, serverContext } = from('::ffff:203.0.113.5');
    expect(new ClientAddresses().ofRequest(request, serverContext)).toBe('203.0.113.5');
  });

  it('from a trusted proxy: the rightmost entry that is not a trusted proxy', () => {
    const addresses = new ClientAddresses(['10.0.0.1', '10.0.0.2']);
    const cases: Array<[peer: string, forwardedFor: string | undefined, client: string]> = [
      ['10.0.0.1', '198.51.100.1', '198.51.100.1'],
      ['::ffff:10.0.0.1', '198.51.100.1', '198.51.100.1'],
      ['10.0.0.1', '6.6.6.6, 198.51.100.1', '198.51.100.1'],
      ['10.0.0.1', '198.51.100.1, 10.0.0.2', '198.51.100.1'],
      ['10.0.0.1', '10.0.0.2', '10.0.0.2'],
      ['10.0.0.1', undefined, '10.0.0.1'],
      ['203.0.113.5', '198.51.100.1', '203.0.113.5'],
    ];
    for (const [peer, forwardedFor, client] of cases) {
      const { request, serverContext } = from(peer, forwardedFor);
      expect({ peer, forwardedFor, client: addresses.ofRequest(request, serverContext) }).toEqual({ peer, forwardedFor, client });
    }
  });
});
