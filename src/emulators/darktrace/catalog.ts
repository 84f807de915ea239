import { noise, pick } from './random.js';

/**
 * What the emulated appliance knows about: its metrics (as /metrics lists them), the devices it
 * has seen, and the models that raise alerts. Devices are derived from the seed, so every start
 * with the same seed shows the same network.
 */

/** How a metric's per-minute values are made (traffic.ts). */
export type MetricShape = 'connections' | 'external' | 'internal' | 'active' | 'volume' | 'externalVolume' | 'dns' | 'failed' | 'anomaly';

export interface EmulatedMetric {
  mlid: number;
  name: string;
  label: string;
  units?: string;
  filtertypes: string[];
  unitsinterval: number;
  lengthscale: number;
  shape: MetricShape;
}

const CONNECTION_FILTERS = ['Direction', 'Destination port', 'Source port', 'Protocol', 'Application protocol', 'Internal destination device type'];
const VOLUME_FILTERS = ['Direction', 'Destination port', 'Protocol', 'Application protocol', 'Data ratio'];

export const METRICS: readonly EmulatedMetric[] = [
  { mlid: 1, name: 'connections', label: 'Connections', filtertypes: CONNECTION_FILTERS, unitsinterval: 3600, lengthscale: 9999960, shape: 'connections' },
  { mlid: 2, name: 'externalconnections', label: 'External Connections', filtertypes: CONNECTION_FILTERS, unitsinterval: 3600, lengthscale: 9999960, shape: 'external' },
  { mlid: 3, name: 'internalconnections', label: 'Internal Connections', filtertypes: CONNECTION_FILTERS, unitsinterval: 3600, lengthscale: 9999960, shape: 'internal' },
  { mlid: 4, name: 'activeconnections', label: 'Active Connections', filtertypes: ['Protocol', 'Destination port'], unitsinterval: 60, lengthscale: 600, shape: 'active' },
  { mlid: 5, name: 'datatransfervolume', label: 'Data Transfer', units: 'bytes', filtertypes: VOLUME_FILTERS, unitsinterval: 3600, lengthscale: 999999999, shape: 'volume' },
  { mlid: 6, name: 'externalclientdatatransfervolume', label: 'External Data Volume as a Client', units: 'bytes', filtertypes: VOLUME_FILTERS, unitsinterval: 3600, lengthscale: 999999999, shape: 'externalVolume' },
  { mlid: 7, name: 'dnsrequests', label: 'DNS Requests', filtertypes: ['Direction', 'DNS response code', 'Hostname'], unitsinterval: 3600, lengthscale: 99999, shape: 'dns' },
  { mlid: 8, name: 'failedconnections', label: 'Failed Connections', filtertypes: CONNECTION_FILTERS, unitsinterval: 3600, lengthscale: 99999, shape: 'failed' },
  { mlid: 9, name: 'anomalyscore', label: 'Device Anomaly Score', units: '%', filtertypes: [], unitsinterval: 600, lengthscale: 100, shape: 'anomaly' },
];

export interface EmulatedModel {
  pid: number;
  name: string;
}

export const MODELS: readonly EmulatedModel[] = [
  { pid: 212, name: 'Anomalous Connection::Data Sent to Rare Domain' },
  { pid: 341, name: 'Compromise::Sustained SSL or HTTP Increase' },
  { pid: 383, name: 'Compromise::Beaconing Activity To External Rare' },
  { pid: 417, name: 'Device::Anomalous ICMP Activity' },
  { pid: 502, name: 'Unusual Activity::Unusual Activity from Re-Activated Device' },
  { pid: 618, name: 'Anomalous Server Activity::Outgoing from Server' },
  { pid: 733, name: 'Device::Attack and Recon Tools' },
];

export type DeviceKind = 'desktop' | 'laptop' | 'server' | 'dnsserver' | 'printer' | 'mobile';

interface DeviceType { kind: DeviceKind; typename: string; typelabel: string; os: string; names: string[]; vendor: string }

const DEVICE_TYPES: readonly DeviceType[] = [
  { kind: 'desktop', typename: 'desktop', typelabel: 'Desktop', os: 'Windows NT kernel', names: ['ws', 'desktop'], vendor: 'Dell Inc.' },
  { kind: 'laptop', typename: 'laptop', typelabel: 'Laptop', os: 'Mac OS X', names: ['mbp', 'laptop'], vendor: 'Apple, Inc.' },
  { kind: 'server', typename: 'server', typelabel: 'Server', os: 'Linux 3.11 and newer', names: ['fs', 'app', 'db'], vendor: 'Hewlett Packard Enterprise' },
  { kind: 'dnsserver', typename: 'dnsserver', typelabel: 'DNS Server', os: 'Linux 3.11 and newer', names: ['dns'], vendor: 'VMware, Inc.' },
  { kind: 'printer', typename: 'printer', typelabel: 'Printer', os: 'Embedded', names: ['printer'], vendor: 'Brother Industries, Ltd.' },
  { kind: 'mobile', typename: 'mobile', typelabel: 'Mobile Device', os: 'Android', names: ['phone'], vendor: 'Samsung Electronics Co.,Ltd' },
];

const SUBNETS = [
  { sid: 10, prefix: '10.0.10', label: 'Finance' },
  { sid: 12, prefix: '10.0.12', label: 'Engineering' },
  { sid: 18, prefix: '10.0.18', label: 'Servers' },
  { sid: 34, prefix: '10.0.34', label: 'Guest Wi-Fi' },
];

const TAGS = ['Multi-use', 'Admin', 'Critical Asset', 'Re-Activated Device', 'Antigena Exempt'];

export interface EmulatedDevice {
  did: number;
  kind: DeviceKind;
  /** Busyness multiplier: some devices are simply louder. */
  weight: number;
  /** Hours east of UTC where the device's users work. */
  utcOffsetHours: number;
  /** How prone the device is to model alerts (0..1). */
  risk: number;
  /** The object /metricdata returns with fulldevicedetails=true. */
  details: Record<string, unknown>;
}

/** A dozen devices: desktops, laptops, servers, a DNS server, a printer and a phone. */
export function buildDevices(seed: number, now: number): EmulatedDevice[] {
  const kinds: DeviceKind[] = ['desktop', 'desktop', 'desktop', 'laptop', 'laptop', 'server', 'server', 'server', 'dnsserver', 'printer', 'mobile', 'desktop'];
  return kinds.map((kind, i) => {
    const type = DEVICE_TYPES.find((candidate) => candidate.kind === kind)!;
    const did = 100 + i * 7 + pick(0, 6, seed, 'did', i);
    const subnet = kind === 'server' || kind === 'dnsserver' ? SUBNETS[2]! : kind === 'mobile' ? SUBNETS[3]! : SUBNETS[pick(0, 1, seed, 'subnet', i)]!;
    const ip = `${subnet.prefix}.${pick(2, 250, seed, 'ip', i)}`;
    const hostname = `${type.names[pick(0, type.names.length - 1, seed, 'name', i)]}${pick(1, 199, seed, 'num', i)}`;
    const mac = Array.from({ length: 6 }, (_, j) => pick(0, 255, seed, 'mac', i, j).toString(16).padStart(2, '0')).join(':');
    const firstSeen = Math.floor((now - (90 + pick(0, 600, seed, 'first', i)) * 86_400_000) / 1000) * 1000;
    const lastSeen = Math.floor(now / 60_000) * 60_000;
    const tags = TAGS.filter((_, t) => noise(seed, 'tag', i, t) < 0.2).map((name) => ({
      tid: 50 + TAGS.indexOf(name),
      expiry: 0,
      thid: 50 + TAGS.indexOf(name),
      name,
      restricted: false,
      data: { auto: false, color: 200, description: '', visibility: 'Public' },
      isReferenced: true,
    }));
    return {
      did,
      kind,
      weight: 0.6 + 0.8 * noise(seed, 'weight', i),
      utcOffsetHours: [0, 1, -5][pick(0, 2, seed, 'tz', i)]!,
      risk: kind === 'server' ? 0.7 : kind === 'mobile' ? 0.5 : 0.25 + 0.3 * noise(seed, 'risk', i),
      details: {
        did,
        ip,
        ips: [{ ip, timems: lastSeen, time: readable(lastSeen), sid: subnet.sid }],
        sid: subnet.sid,
        hostname,
        firstSeen,
        lastSeen,
        os: type.os,
        typename: type.typename,
        typelabel: type.typelabel,
        macaddress: mac,
        vendor: type.vendor,
        tags,
      },
    };
  });
}

export function readable(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
