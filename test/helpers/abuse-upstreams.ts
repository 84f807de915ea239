import { createServer, type AddressInfo, type Socket } from 'node:net';
import { DarktraceEmulator } from '../../src/emulators/darktrace/emulator.js';

/**
 * The upstreams the abuse corpus needs: a Darktrace emulator, and a "hung appliance" that accepts
 * TCP connections and never sends a byte (not even a TLS handshake), as in issue 21's deadline case.
 */
export interface AbuseUpstreams {
  darktraceUrl: string;
  hungUrl: string;
  /** Connections the hung peer has accepted so far. */
  hungConnections(): number;
  close(): Promise<void>;
}

export async function startAbuseUpstreams(): Promise<AbuseUpstreams> {
  const darktrace = await DarktraceEmulator.start();
  const sockets = new Set<Socket>();
  let accepted = 0;
  const hung = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  const { port } = hung.address() as AddressInfo;
  return {
    darktraceUrl: darktrace.url,
    hungUrl: `https://127.0.0.1:${port}`,
    hungConnections: () => accepted,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => hung.close(resolve));
      await darktrace.close();
    },
  };
}
