import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A peer that accepts TCP connections and never sends a byte: an appliance whose process hangs
 * after the kernel accepted. Over http:// a request is sent and never answered; over https:// the
 * TLS handshake never completes (the server's hello never comes).
 */
export interface HungPeer {
  /** `http://127.0.0.1:port` or, with `https`, the same port as `https://`. */
  url(scheme: 'http' | 'https'): string;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Resolves at the next accepted connection (or at once when `count` were already accepted). */
  connected(count?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startHungPeer(): Promise<HungPeer> {
  const sockets = new Set<Socket>();
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    for (const waiter of waiters.splice(0)) {
      if (accepted >= waiter.count) waiter.resolve();
      else waiters.push(waiter);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (scheme) => `${scheme}://127.0.0.1:${port}`,
    get accepted() {
      return accepted;
    },
    connected: (count = accepted + 1) => (accepted >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
