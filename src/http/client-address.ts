import type { IncomingMessage } from 'node:http';

/**
 * The address a request came from, for the failed-login throttle and the client rate limit: the
 * TCP peer. X-Forwarded-For is read only when the peer is one of `trustedProxies` (a reverse proxy
 * the operator runs): any client can write the header, so believing it from anyone would let one
 * address pose as many (and dodge the throttle) or pose as another (and lock it out). From a
 * trusted proxy, the client is the rightmost X-Forwarded-For entry that is not itself a trusted
 * proxy: entries left of it were written by the client and prove nothing.
 */
export class ClientAddresses {
  readonly #trusted: ReadonlySet<string>;

  constructor(trustedProxies: readonly string[] = []) {
    this.#trusted = new Set(trustedProxies.map(plain));
  }

  ofRequest(request: Request, serverContext: unknown): string {
    const peer = (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req?.socket?.remoteAddress;
    return this.#resolve(peer, request.headers.get('x-forwarded-for'));
  }

  ofUpgrade(upgrade: IncomingMessage): string {
    const forwarded = upgrade.headers['x-forwarded-for'];
    return this.#resolve(upgrade.socket.remoteAddress, Array.isArray(forwarded) ? forwarded.join(',') : forwarded);
  }

  #resolve(peer: string | undefined, forwardedFor: string | null | undefined): string {
    const address = plain(peer ?? 'unknown');
    if (!this.#trusted.has(address) || !forwardedFor) return address;
    const hops = forwardedFor.split(',').map((hop) => plain(hop.trim())).filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) if (!this.#trusted.has(hops[i]!)) return hops[i]!;
    return hops[0] ?? address;
  }
}

/** `::ffff:10.0.0.1` (IPv4 on a dual-stack socket) is `10.0.0.1`, so one client has one address. */
function plain(address: string): string {
  return address.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
}

/** The request target as the client sent it (`/graphql?x=1`), when the request came over node:http. */
export function rawTarget(serverContext: unknown): string | undefined {
  return (serverContext as { req?: { url?: string } } | undefined)?.req?.url;
}
