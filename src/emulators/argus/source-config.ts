import { fileURLToPath } from 'node:url';
import type { GatewayConfigInput } from '../../config/schema.js';
import { ARGUS_DEMO_KEY } from './seed.js';

/** The emulators' certificate on disk, for `caFile`. */
export const EMULATOR_CERT_FILE = fileURLToPath(new URL('../tls/cert.pem', import.meta.url));

type SourceInput = GatewayConfigInput['sources'][number];

/**
 * The gateway source config for an emulator: the seeded descriptors as an operator would write
 * them in gateway.yaml (Argus has no discovery endpoint), the demo key, and the emulator's CA.
 */
export function argusSourceFor(url: string, overrides: Record<string, unknown> = {}): SourceInput {
  return {
    id: 'argus',
    kind: 'argus',
    url,
    apiKey: ARGUS_DEMO_KEY,
    ...(url.startsWith('https:') ? { caFile: EMULATOR_CERT_FILE } : {}),
    descriptors: [
      {
        shortName: 'netstats',
        description: 'Packets and frames per monitored IP address and VLAN',
        keys: [{ name: 'ipAddress', type: 'ip' }, { name: 'vlan', type: 'integer' }],
        values: ['packages', 'frames'],
        defaultFunctions: { packages: 'sum', frames: 'sum' },
        units: { packages: 'packets', frames: 'frames' },
      },
      {
        shortName: 'sensorload',
        description: 'Event rate and CPU use per sensor',
        keys: [{ name: 'sensor', type: 'string' }],
        values: ['eventsPerSecond', 'cpuPercent'],
        defaultFunctions: { eventsPerSecond: 'avg', cpuPercent: 'max' },
        units: { eventsPerSecond: 'events/s', cpuPercent: 'percent' },
      },
      {
        shortName: 'threatfeed',
        description: 'New indicators per threat-intelligence feed',
        keys: ['feed'],
        values: ['indicators'],
        global: true,
      },
    ],
    ...overrides,
  } as SourceInput;
}
