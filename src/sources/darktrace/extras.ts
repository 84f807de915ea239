/**
 * What a Darktrace series carries beyond timestamps and values, in `Series.extras`. The shapes
 * are plain JSON (they go through the cache) and match the GraphQL types in schema/darktrace.graphql.
 */

export interface DarktraceBreach {
  /** Model alert ("policy breach") id. */
  pbid: number;
  /** Model ("policy") id. */
  pid: number | null;
  /** 0..1 */
  score: number | null;
  /** Model name, e.g. `Compromise::Beaconing Activity To External Rare`. */
  name: string | null;
  /** Epoch ms. */
  time: number;
}

export interface DarktraceDeviceIp {
  ip: string;
  time: number | null;
  sid: number | null;
}

export interface DarktraceDevice {
  did: number;
  hostname: string | null;
  ip: string | null;
  ips: DarktraceDeviceIp[];
  macaddress: string | null;
  vendor: string | null;
  os: string | null;
  typename: string | null;
  typelabel: string | null;
  sid: number | null;
  firstSeen: number | null;
  lastSeen: number | null;
  tags: string[];
  /** The object exactly as the appliance sent it. */
  details: unknown;
}

export interface DarktraceExtras {
  /** Bucket times the in/out columns belong to (the series' own timestamps may be trimmed later). */
  pointTimes: number[];
  in: Array<number | null>;
  out: Array<number | null>;
  /** Present when the query asked for breachtimes. */
  breaches?: DarktraceBreach[];
  /** Present when the query asked for fulldevicedetails. */
  devices?: DarktraceDevice[];
}

/** The Darktrace extras of a series, or undefined for a series from another kind of source. */
export function darktraceExtras(extras: Readonly<Record<string, unknown>> | undefined): DarktraceExtras | undefined {
  const value = extras?.darktrace;
  return value !== null && typeof value === 'object' ? (value as DarktraceExtras) : undefined;
}

/** `in` or `out` lined up with `timestamps`; null where the appliance had no bucket. */
export function alignedColumn(extras: DarktraceExtras, column: 'in' | 'out', timestamps: readonly number[]): Array<number | null> {
  const index = new Map(extras.pointTimes.map((time, i) => [time, i]));
  return timestamps.map((time) => {
    const i = index.get(time);
    return i === undefined ? null : (extras[column][i] ?? null);
  });
}
