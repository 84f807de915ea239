import type { GatewayConfigInput } from '../config/schema.js';

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
  return {
    sources,
    close: async () => {
      await Promise.allSettled(closers.map((close) => close()));
    },
  };
}
