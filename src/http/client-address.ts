/**
 * The address a request came from: the TCP peer. X-Forwarded-For and Forwarded are not read: any
 * client can write them, so trusting them would let one address pose as many (and dodge the
 * failed-login throttle) or pose as another (and lock it out).
 */
export function peerAddress(serverContext: unknown): string {
  return (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req?.socket?.remoteAddress ?? 'unknown';
}

/** The request target as the client sent it (`/graphql?x=1`), when the request came over node:http. */
export function rawTarget(serverContext: unknown): string | undefined {
  return (serverContext as { req?: { url?: string } } | undefined)?.req?.url;
}
