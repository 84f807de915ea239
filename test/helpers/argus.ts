import { pino } from 'pino';
import type { GatewayConfigInput } from '../../src/config/schema.js';
import { startArgusEmulator, type ArgusEmulator, type ArgusEmulatorOptions } from '../../src/emulators/argus/index.js';
import type { ArgusRecord } from '../../src/emulators/argus/model.js';
import { argusSourceFor } from '../../src/emulators/argus/source-config.js';
import type { Gateway } from '../../src/gateway.js';
import { startGateway } from './gateway.js';

/** The emulator's seeded day ends here (a fixed instant, so expected numbers never move). */
export const ARGUS_NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
export const HOUR = 3_600_000;

export const silentLog = pino({ level: process.env.TEST_LOG ?? 'silent' });

export interface ArgusSetup {
  argus: ArgusEmulator;
  gateway: Gateway;
  close(): Promise<void>;
}

/**
 * The Argus emulator (HTTPS, seeded up to ARGUS_NOW) and a real gateway with it as source
 * `argus` next to a native source `native`. Caching is off unless the overrides turn it on, so
 * every query reaches the emulator.
 */
export async function startArgusGateway(
  options: { source?: Record<string, unknown>; emulator?: ArgusEmulatorOptions; config?: Partial<GatewayConfigInput> } = {},
): Promise<ArgusSetup> {
  const argus = await startArgusEmulator({ now: ARGUS_NOW, ...options.emulator });
  const gateway = await startGateway({
    sources: [{ id: 'native', kind: 'native' }, argusSourceFor(argus.url, { cacheTtl: false, retries: 2, ...options.source })],
    ...options.config,
  });
  return {
    argus,
    gateway,
    close: async () => {
      await gateway.close();
      await argus.close();
    },
  };
}

/** ISO times `hours` before ARGUS_NOW up to `endHours` before it. */
export function window(hours: number, endHours = 0): { from: string; to: string; fromMs: number; toMs: number } {
  const fromMs = ARGUS_NOW - hours * HOUR;
  const toMs = ARGUS_NOW - endHours * HOUR;
  return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), fromMs, toMs };
}

/** JSON bodies the emulator received on paths starting with `prefix`, oldest first. */
export function bodies(argus: ArgusEmulator, prefix: string): Array<Record<string, any>> {
  return argus.server.requests.filter((request) => request.url.pathname.startsWith(prefix)).map((request) => JSON.parse(request.body));
}

/** The emulator's own records of a descriptor in [fromMs, toMs): what the answers are checked against. */
export function storedRecords(argus: ArgusEmulator, shortName: string, fromMs: number, toMs: number): ArgusRecord[] {
  const descriptor = argus.store.descriptor(shortName)!;
  return argus.store.records(descriptor).filter((record) => record.timestamp >= fromMs && record.timestamp < toMs);
}
