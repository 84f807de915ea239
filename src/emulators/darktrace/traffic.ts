import type { EmulatedBreach } from './breaches.js';
import type { DeviceKind, EmulatedDevice, MetricShape } from './catalog.js';
import { noise } from './random.js';

/**
 * The emulated network's traffic: for a metric, a device and an instant, how much came in and
 * went out. Values follow a working-day rhythm in the device's own time zone (quiet nights,
 * busy afternoons, slow weekends), scale with the kind of device (servers serve, desktops
 * browse, the DNS server answers everyone), carry seeded per-minute noise and the odd burst, and
 * the anomaly score climbs around the device's model alerts.
 */

/** The /metricdata filters that narrow traffic, besides the device itself. */
export interface Narrowing {
  ddid?: number;
  odid?: number;
  port?: number;
  sourceport?: number;
  destinationport?: number;
  protocols: string[];
  applicationprotocol?: string;
}

export interface InOut {
  in: number;
  out: number;
}

/** Per-minute base rates of [in, out] for a device kind, before rhythm and noise. */
const BASE: Record<DeviceKind, Record<Exclude<MetricShape, 'anomaly' | 'active' | 'internal' | 'failed'>, [number, number]>> = {
  desktop: { connections: [5, 40], external: [0.3, 24], volume: [2e6, 3e5], externalVolume: [1.5e6, 2e5], dns: [0, 8] },
  laptop: { connections: [4, 30], external: [0.2, 20], volume: [1.6e6, 2.5e5], externalVolume: [1.2e6, 1.5e5], dns: [0, 6] },
  server: { connections: [300, 60], external: [120, 18], volume: [5e6, 4e7], externalVolume: [4e5, 3e6], dns: [0, 20] },
  dnsserver: { connections: [500, 200], external: [0, 100], volume: [5e5, 5e5], externalVolume: [2e5, 2e5], dns: [400, 380] },
  printer: { connections: [2, 1], external: [0, 0], volume: [1e5, 2e3], externalVolume: [0, 0], dns: [0, 0.5] },
  mobile: { connections: [1, 15], external: [0.5, 13.5], volume: [5e5, 5e4], externalVolume: [4.5e5, 4.5e4], dns: [0, 5] },
};

const PORT_SHARE: Record<number, number> = { 443: 0.52, 80: 0.14, 53: 0.08, 445: 0.05, 22: 0.03, 389: 0.02, 3389: 0.01 };
const PROTOCOL_SHARE: Record<string, number> = { '6': 0.86, tcp: 0.86, '17': 0.13, udp: 0.13, '1': 0.01, icmp: 0.01 };
/** Numbers for the shapes, so the per-sample noise hashes no strings. */
const SHAPE_CODES: Record<MetricShape, number> = { connections: 1, external: 2, internal: 3, active: 4, volume: 5, externalVolume: 6, dns: 7, failed: 8, anomaly: 9 };
const APP_SHARE: Record<string, number> = { https: 0.5, ssl: 0.5, http: 0.15, dns: 0.08, smb: 0.05, smb2: 0.05, ssh: 0.03, kerberos: 0.02, ldap: 0.02 };

/** How active people are at `time` where the device is: 0.1 at night up to 1 at mid-afternoon. */
export function rhythm(device: EmulatedDevice, time: number): number {
  const local = time + device.utcOffsetHours * 3_600_000;
  const hour = (((local % 86_400_000) + 86_400_000) % 86_400_000) / 3_600_000;
  // 1970-01-01 was a Thursday (day 4 of a Sunday-first week).
  const weekday = (((Math.floor(local / 86_400_000) + 4) % 7) + 7) % 7;
  const weekend = weekday === 0 || weekday === 6;
  const office = hour >= 8 && hour <= 18 ? Math.sin((Math.PI * (hour - 8)) / 10) : 0;
  const human = weekend ? 0.1 + 0.15 * office : 0.12 + 0.88 * office;
  // Servers keep working at night (backups, batch jobs); their users still make the day busier.
  return device.kind === 'server' || device.kind === 'dnsserver' ? 0.45 + 0.55 * human : human;
}

/** The fraction of a device's traffic that the filters keep, stable for given filters. */
export function share(seed: number, device: EmulatedDevice, narrowing: Narrowing): number {
  let fraction = 1;
  for (const port of [narrowing.port, narrowing.sourceport, narrowing.destinationport]) {
    if (port !== undefined) fraction *= PORT_SHARE[port] ?? 0.002 + 0.01 * noise(seed, 'port', port);
  }
  for (const protocol of narrowing.protocols) fraction *= PROTOCOL_SHARE[protocol.toLowerCase()] ?? 0.002;
  if (narrowing.applicationprotocol !== undefined) fraction *= APP_SHARE[narrowing.applicationprotocol.toLowerCase()] ?? 0.005;
  for (const other of [narrowing.ddid, narrowing.odid]) {
    if (other === undefined) continue;
    fraction *= other === device.did ? 0 : 0.02 + 0.25 * noise(seed, 'pair', Math.min(device.did, other), Math.max(device.did, other));
  }
  return fraction;
}

/** What stays the same for every sample of one device in one answer. */
export interface SampleContext {
  /** share() of the device for the query's filters. */
  fraction: number;
  /** signature() of the filters, so filtered traffic has its own noise. */
  signature: number;
  /** The device's alerts near the window, for the anomaly score and failed connections. */
  breaches: readonly EmulatedBreach[];
}

/** A number standing for a set of filters. */
export function signature(seed: number, narrowing: Narrowing): number {
  const parts = [narrowing.ddid, narrowing.odid, narrowing.port, narrowing.sourceport, narrowing.destinationport, narrowing.protocols.join('+'), narrowing.applicationprotocol];
  return Math.floor(noise(seed, 'filters', parts.join('|')) * 4294967296);
}

/** One sample of a metric on a device at `time` (a minute boundary or finer). */
export function sample(seed: number, shape: MetricShape, device: EmulatedDevice, time: number, context: SampleContext): InOut {
  const { fraction, breaches } = context;
  if (shape === 'anomaly') return { in: 0, out: anomalyScore(seed, device, time, breaches) };
  const jitter = (side: number) => 0.6 + 0.8 * noise(seed, SHAPE_CODES[shape], device.did, time, context.signature, side);

  if (shape === 'internal') {
    const all = sample(seed, 'connections', device, time, context);
    const external = sample(seed, 'external', device, time, context);
    return { in: Math.max(0, all.in - external.in), out: Math.max(0, all.out - external.out) };
  }
  if (shape === 'active') {
    const all = sample(seed, 'connections', device, time, context);
    return { in: Math.round(all.in * 0.35), out: Math.round(all.out * 0.35) };
  }
  if (shape === 'failed') {
    const all = sample(seed, 'connections', device, time, context);
    const alerting = breaches.some((breach) => Math.abs(breach.time - time) < 15 * 60_000);
    const rate = (alerting ? 0.2 : 0.02) * jitter(3);
    return { in: Math.round(all.in * rate * 0.3), out: Math.round(all.out * rate) };
  }
  const [baseIn, baseOut] = BASE[device.kind][shape];
  const level = rhythm(device, time) * device.weight * fraction;
  // The odd burst of volume: a backup, an update, someone uploading a video.
  const burst = (shape === 'volume' || shape === 'externalVolume') && noise(seed, 0xb0, device.did, Math.floor(time / 600_000)) < 0.01 ? 8 : 1;
  return {
    in: Math.round(baseIn * level * jitter(1) * burst),
    out: Math.round(baseOut * level * jitter(2) * burst),
  };
}

/** 0..100: a low hum; around an alert, its score, from the minute it fired for five, then fading over 40. */
function anomalyScore(seed: number, device: EmulatedDevice, time: number, breaches: readonly EmulatedBreach[]): number {
  let score = 1 + 6 * noise(seed, 0xa0, device.did, Math.floor(time / 60_000));
  for (const breach of breaches) {
    const minutes = (time - breach.time) / 60_000;
    if (minutes <= -5 || minutes >= 45) continue;
    const weight = minutes < -1 ? (minutes + 5) / 4 : minutes <= 5 ? 1 : 1 - (minutes - 5) / 40;
    score = Math.max(score, breach.score * 100 * weight);
  }
  return Math.round(score);
}
