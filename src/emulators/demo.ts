import { fileURLToPath } from 'node:url';
import type { GatewayConfigInput } from '../config/schema.js';
import { startArgusEmulator } from './argus/index.js';
import { argusSourceFor } from './argus/source-config.js';
import { DarktraceEmulator, EMULATOR_TOKENS } from './darktrace/emulator.js';
import { writeDemoExports } from './dynatrace/demo-exports.js';
import { DYNATRACE_TOKENS, EMULATOR_CERT_FILE, startDynatraceEmulator } from './dynatrace/index.js';

/**
 * The vendor emulators the demo runs on loopback, each registered as a source of the demo
 * configuration. Every emulator kind adds itself here.
 */
export interface DemoUpstreams {
  sources: GatewayConfigInput['sources'];
  close(): Promise<void>;
}

export async function startDemoUpstreams(): Promise<DemoUpstreams> {
  const closers: Array<() => Promise<void>> = [];
  const sources: GatewayConfigInput['sources'] = [];

  // Darktrace over HTTPS with certificate checks on: the demo trusts the emulators' own CA file.
  const darktrace = await DarktraceEmulator.start({ seed: 7 });
  closers.push(() => darktrace.close());
  sources.push({
    id: 'darktrace', kind: 'darktrace', url: darktrace.url, ...EMULATOR_TOKENS,
    caFile: fileURLToPath(new URL('./tls/cert.pem', import.meta.url)),
  });

  // Argus over HTTPS: a day of per-customer packet/frame, sensor and threat-feed records, then live.
  const argus = await startArgusEmulator({ now: Date.now(), hours: 24, live: true });
  closers.push(() => argus.close());
  sources.push(argusSourceFor(argus.url));

  // Dynatrace over HTTPS: built-in service metrics in their real units, per-customer ingested
  // metrics mapped to cost names, and a week of saved per-day answers as export files.
  const dynatrace = await startDynatraceEmulator();
  const exports = await writeDemoExports(dynatrace);
  closers.push(() => dynatrace.close(), () => exports.remove());
  sources.push({
    id: 'dynatrace', kind: 'dynatrace', url: dynatrace.url, apiToken: DYNATRACE_TOKENS.read, caFile: EMULATOR_CERT_FILE, exportDir: exports.dir,
    customMappings: { 'shop.requests.count': 'customer_requests', 'shop.request_duration': { name: 'customer_request_duration_ms', rollup: 'avg' }, 'shop.cpu_time': 'customer_cpu_time_ms' },
  });
  return {
    sources,
    close: async () => {
      await Promise.allSettled(closers.map((close) => close()));
    },
  };
}
