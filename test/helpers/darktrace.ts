import { fileURLToPath } from 'node:url';
import { DarktraceEmulator, EMULATOR_TOKENS, type DarktraceEmulatorOptions } from '../../src/emulators/darktrace/emulator.js';
import type { Gateway } from '../../src/gateway.js';
import { startGateway } from './gateway.js';

/** The emulators' self-signed certificate, to trust with caFile. */
export const EMULATOR_CA_FILE = fileURLToPath(new URL('../../src/emulators/tls/cert.pem', import.meta.url));

export interface DarktraceRig {
  emulator: DarktraceEmulator;
  gateway: Gateway;
  close(): Promise<void>;
}

/**
 * A Darktrace emulator and a real gateway with it as source `dt`, trusting the emulator's
 * certificate and caching nothing (so every query reaches the emulator and can be counted).
 * `source` overrides or adds settings of the source entry.
 */
export async function startDarktraceRig(
  source: Record<string, unknown> = {},
  emulatorOptions: DarktraceEmulatorOptions = {},
): Promise<DarktraceRig> {
  const emulator = await DarktraceEmulator.start(emulatorOptions);
  const gateway = await startGateway({
    sources: [
      { id: 'dt', kind: 'darktrace', url: emulator.url, ...EMULATOR_TOKENS, caFile: EMULATOR_CA_FILE, cacheTtl: false, ...source } as never,
    ],
  });
  return {
    emulator,
    gateway,
    close: async () => {
      await gateway.close();
      await emulator.close();
    },
  };
}

/** Epoch ms on a whole hour, `hours` before the current one: a closed window the emulator has data for. */
export function hoursAgo(hours: number): number {
  return Math.floor(Date.now() / 3_600_000) * 3_600_000 - hours * 3_600_000;
}
