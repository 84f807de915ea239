import { Agent, request } from 'undici';
import { DYNATRACE_TOKENS, EMULATOR_CERT_FILE, type DynatraceEmulator } from '../../src/emulators/dynatrace/index.js';
import { EMULATOR_CERT } from '../../src/emulators/server.js';

/** A dynatrace source entry for gateway.yaml pointing at an emulator, trusting its certificate. */
export function dynatraceSource(emulator: DynatraceEmulator, extra: Record<string, unknown> = {}) {
  return { id: 'dynatrace', kind: 'dynatrace' as const, url: emulator.url, apiToken: DYNATRACE_TOKENS.read, caFile: EMULATOR_CERT_FILE, ...extra };
}

const agent = new Agent({ connect: { ca: EMULATOR_CERT } });

/** GETs a path of the emulator directly (not through the gateway), as the real API would be asked. */
export async function askEmulator(emulator: DynatraceEmulator, path: string, token: string = DYNATRACE_TOKENS.read) {
  const response = await request(`${emulator.url}${path}`, { dispatcher: agent, headers: { authorization: `Api-Token ${token}` } });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers as Record<string, string>, body: JSON.parse(text) as any };
}

/** The decoded query parameters of an emulator request. */
export function paramsOf(rawPath: string): URLSearchParams {
  return new URL(rawPath, 'http://x').searchParams;
}

/** Waits until `check` passes (polling), for things that happen in the background such as file watching. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, what: string, attempts = 100): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}
