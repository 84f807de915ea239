import type { ArgusDescriptor } from './model.js';
import { ArgusStore } from './store.js';
import { seededRandom } from '../../core/seeded-random.js';

/**
 * Deterministic demo and test data: an MSSP (mnemonic) with four customers, each with three
 * monitored IP addresses on three VLANs (packet and frame counts per 5-minute frame), two sensors
 * per customer (event rate and CPU), and one global threat-intelligence feed descriptor. The same
 * numbers on every start for the same `now`.
 */

/** Full access to every customer; its own customer is mnemonic. */
export const ARGUS_DEMO_KEY = 'argus-demo-key';
/** May read every descriptor, write none. */
export const ARGUS_READ_ONLY_KEY = 'argus-read-only-key';
/** Reads and writes, but sees only customer acme. */
export const ARGUS_ACME_KEY = 'argus-acme-key';

export const CUSTOMERS = [
  { id: 1, shortName: 'mnemonic', name: 'mnemonic as' },
  { id: 101, shortName: 'acme', name: 'Acme Corporation' },
  { id: 102, shortName: 'globex', name: 'Globex' },
  { id: 103, shortName: 'initech', name: 'Initech' },
  { id: 104, shortName: 'umbrella', name: 'Umbrella' },
] as const;

const MONITORED = ['acme', 'globex', 'initech', 'umbrella'] as const;
const VLANS = [10, 20, 30] as const;
const FEEDS = ['abuse.ch', 'spamhaus', 'mnemonic-intel'] as const;
export const FRAME_MS = 5 * 60_000;

export const DESCRIPTORS: ArgusDescriptor[] = [
  {
    id: 1001,
    shortName: 'netstats',
    description: 'Packets and frames seen per monitored IP address and VLAN',
    keys: [{ name: 'ipAddress', type: 'ip' }, { name: 'vlan', type: 'integer' }],
    values: [{ name: 'packages', defaultFunction: 'sum' }, { name: 'frames', defaultFunction: 'sum' }],
    timeFrameSize: 5,
    timeFrameSizeUnit: 'minutes',
    deduplication: 'none',
    global: false,
    readFunction: 'read-netstats',
    writeFunction: 'write-netstats',
  },
  {
    id: 1002,
    shortName: 'sensorload',
    description: 'Event rate and CPU use per sensor',
    keys: [{ name: 'sensor', type: 'string' }],
    values: [{ name: 'eventsPerSecond', defaultFunction: 'avg' }, { name: 'cpuPercent', defaultFunction: 'max' }],
    timeFrameSize: 5,
    timeFrameSizeUnit: 'minutes',
    deduplication: 'last',
    global: false,
    readFunction: 'read-sensorload',
    writeFunction: 'write-sensorload',
  },
  {
    id: 1003,
    shortName: 'threatfeed',
    description: 'New indicators per threat-intelligence feed',
    keys: [{ name: 'feed', type: 'string' }],
    values: [{ name: 'indicators', defaultFunction: 'sum' }],
    timeFrameSize: 1,
    timeFrameSizeUnit: 'hours',
    deduplication: 'none',
    global: true,
    readFunction: 'read-threatfeed',
    writeFunction: 'write-threatfeed',
  },
];


export interface SeedOptions {
  /** The last frame seeded is the one that starts at or before `now`. @default Date.now() */
  now?: number;
  /** @default 24 */
  hours?: number;
}

/** A store with the customers, descriptors and keys, and `hours` of records ending at `now`. */
export function seededStore(options: SeedOptions = {}): { store: ArgusStore; lastFrame: number } {
  const store = new ArgusStore();
  for (const customer of CUSTOMERS) store.addCustomer({ ...customer });
  for (const descriptor of DESCRIPTORS) store.addDescriptor(structuredClone(descriptor));
  const read = DESCRIPTORS.map((descriptor) => descriptor.readFunction);
  const write = DESCRIPTORS.map((descriptor) => descriptor.writeFunction);
  store.addApiKey({ key: ARGUS_DEMO_KEY, user: 'gateway', functions: [...read, ...write], defaultCustomer: 'mnemonic' });
  store.addApiKey({ key: ARGUS_READ_ONLY_KEY, user: 'dashboard', functions: read, defaultCustomer: 'mnemonic' });
  store.addApiKey({ key: ARGUS_ACME_KEY, user: 'acme-soc', functions: [...read, ...write], customers: ['acme'], defaultCustomer: 'acme' });
  const lastFrame = seedRecords(store, options.now ?? Date.now(), options.hours ?? 24);
  return { store, lastFrame };
}

function seedRecords(store: ArgusStore, now: number, hours: number): number {
  const random = seededRandom(2_541);
  const end = Math.floor(now / FRAME_MS) * FRAME_MS;
  for (let t = end - hours * 3_600_000 + FRAME_MS; t <= end; t += FRAME_MS) addFrame(store, t, random);
  return end;
}

/**
 * Keeps the data moving: every frame that has begun since the last one seeded gets its records,
 * checked every `everyMs`. Returns the function that stops it.
 */
export function startLiveFeed(store: ArgusStore, lastFrame: number, everyMs = 15_000): () => void {
  const random = seededRandom(lastFrame);
  let last = lastFrame;
  const timer = setInterval(() => {
    while (last + FRAME_MS <= Date.now()) {
      last += FRAME_MS;
      addFrame(store, last, random);
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** One 5-minute frame of records for every descriptor (threat feeds once an hour). */
function addFrame(store: ArgusStore, t: number, random: () => number): void {
  const [netstats, sensorload, threatfeed] = DESCRIPTORS.map((descriptor) => store.descriptor(descriptor.shortName)!) as [ArgusDescriptor, ArgusDescriptor, ArgusDescriptor];
  const hour = new Date(t).getUTCHours();
  const daily = 1 + 0.6 * Math.sin(((hour - 8) / 24) * 2 * Math.PI); // office hours are busier
  MONITORED.forEach((shortName, c) => {
    const customer = store.customer(shortName)!;
    for (let host = 1; host <= 3; host++) {
      VLANS.forEach((vlan, v) => {
        const packages = Math.round((200 + 150 * c + 90 * host + 40 * v) * daily * (0.7 + 0.6 * random()));
        const frames = packages + Math.round(packages * 0.03 * random());
        store.add(netstats, { timestamp: t, customer, keys: { ipAddress: `10.${c + 1}.${v}.${host}`, vlan }, values: { packages, frames } });
      });
    }
    for (let sensor = 1; sensor <= 2; sensor++) {
      const eventsPerSecond = round(80 * (c + 1) * daily * (0.6 + 0.8 * random()) + 20 * sensor);
      const cpuPercent = round(Math.min(99, 15 + eventsPerSecond / 8 + 10 * random()));
      store.add(sensorload, { timestamp: t, customer, keys: { sensor: `${shortName}-sensor-${sensor}` }, values: { eventsPerSecond, cpuPercent } });
    }
  });
  if (t % 3_600_000 === 0) {
    FEEDS.forEach((feed, f) => {
      store.add(threatfeed, { timestamp: t, customer: null, keys: { feed }, values: { indicators: Math.round((300 + 250 * f) * (0.5 + random())) } });
    });
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
