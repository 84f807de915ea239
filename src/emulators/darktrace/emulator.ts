import { startEmulator, type EmulatedRequest, type Emulator, type EmulatorReply, type Fault } from '../server.js';
import { checkSignature, hasPermission, type EmulatedToken } from './auth.js';
import { buildDevices, METRICS, type EmulatedDevice } from './catalog.js';
import { metricData, type MetricDataSettings, type World } from './metricdata.js';
import { metricList } from './metrics.js';

/**
 * A stand-in for a Darktrace appliance's Threat Visualizer API: GET /metricdata, GET /metrics and
 * GET /metrics/{mlid}, signed requests only, over HTTPS with the emulators' self-signed
 * certificate (or plain HTTP). The network it reports on is generated from a seed: a dozen
 * devices with working-day traffic, DNS, failed connections and anomaly scores that rise around
 * model alerts. Tests and benchmarks count its requests, read the raw query strings it received,
 * and inject faults (latency, 429 with Retry-After, 5xx, connection resets) through the shell.
 */

/** The token pair the emulator accepts unless told otherwise; it protects nothing. */
export const EMULATOR_TOKENS: Readonly<EmulatedToken> = Object.freeze({ publicToken: 'emulator-public-token', privateToken: 'emulator-private-token' });

export interface DarktraceEmulatorOptions {
  /** Decides the devices, the traffic and the alerts. @default 7 */
  seed?: number;
  /** HTTPS with the self-signed certificate, or plain HTTP. @default true */
  tls?: boolean;
  port?: number;
  host?: string;
  /** Accepted API tokens. @default [EMULATOR_TOKENS] with every permission */
  tokens?: EmulatedToken[];
  /** The appliance's clock (data ends at "now"; DTAPI-Date is checked against it). @default Date.now */
  now?: () => number;
  settings?: Partial<DarktraceEmulatorSettings>;
}

export interface DarktraceEmulatorSettings extends MetricDataSettings {
  /** The guide says 401; SDK users have seen 400. Both come with `{"error":"API SIGNATURE ERROR"}`. @default 401 */
  signatureFailureStatus: 400 | 401;
  /** Time each request spends "being computed", counted as in flight. @default 0 */
  delayMs: number;
}

export interface SignatureLogEntry {
  rawPath: string;
  /** Which signed form matched, or why none did. */
  outcome: 'decoded' | 'raw' | string;
}

export class DarktraceEmulator {
  readonly settings: DarktraceEmulatorSettings;
  readonly signatureLog: SignatureLogEntry[] = [];
  readonly devices: readonly EmulatedDevice[];
  readonly tokens: EmulatedToken[];
  #inFlight = 0;
  #peakInFlight = 0;
  #shell!: Emulator;

  private constructor(
    readonly seed: number,
    readonly now: () => number,
    options: DarktraceEmulatorOptions,
  ) {
    this.tokens = options.tokens ?? [{ ...EMULATOR_TOKENS }];
    this.devices = buildDevices(seed, now());
    this.settings = {
      unknownMetric: 'error',
      capitalBooleans: 'reject',
      fullDeviceDetailsShape: 'wrapped',
      maxPoints: 100_000,
      signatureFailureStatus: 401,
      delayMs: 0,
      ...options.settings,
    };
  }

  static async start(options: DarktraceEmulatorOptions = {}): Promise<DarktraceEmulator> {
    const emulator = new DarktraceEmulator(options.seed ?? 7, options.now ?? Date.now, options);
    emulator.#shell = await startEmulator(
      { name: 'darktrace', tls: options.tls ?? true, ...(options.port !== undefined ? { port: options.port } : {}), ...(options.host ? { host: options.host } : {}) },
      (request) => emulator.#handle(request),
    );
    return emulator;
  }

  get url(): string {
    return this.#shell.url;
  }

  /** Every request as received (raw path and query, headers), oldest first. */
  get requests(): readonly EmulatedRequest[] {
    return this.#shell.requests;
  }

  /** Requests received, optionally only those whose path starts with `prefix` (`/metricdata`). */
  count(prefix?: string): number {
    return this.#shell.count(prefix);
  }

  /** The raw path+query of every request to `path`, in arrival order. */
  rawPaths(path: string): string[] {
    return this.#shell.requests.filter((request) => request.url.pathname === path).map((request) => request.rawPath);
  }

  /** Most requests being answered at once since the last reset (needs `delayMs` to mean much). */
  get peakInFlight(): number {
    return this.#peakInFlight;
  }

  inject(fault: Fault): void {
    this.#shell.inject(fault);
  }

  clearFaults(): void {
    this.#shell.clearFaults();
  }

  /** Forgets the request log, the signature log and the in-flight peak. */
  reset(): void {
    this.#shell.resetCount();
    this.signatureLog.length = 0;
    this.#peakInFlight = 0;
  }

  close(): Promise<void> {
    return this.#shell.close();
  }

  async #handle(request: EmulatedRequest): Promise<EmulatorReply> {
    this.#inFlight++;
    this.#peakInFlight = Math.max(this.#peakInFlight, this.#inFlight);
    try {
      if (this.settings.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.settings.delayMs));
      return this.#answer(request);
    } finally {
      this.#inFlight--;
    }
  }

  #answer(request: EmulatedRequest): EmulatorReply {
    const now = this.now();
    const check = checkSignature(request, this.tokens, now);
    this.signatureLog.push({ rawPath: request.rawPath, outcome: check.ok ? check.matched : check.reason });
    if (!check.ok) return { status: this.settings.signatureFailureStatus, body: { error: 'API SIGNATURE ERROR' } };

    const path = request.url.pathname;
    const known = path === '/metricdata' || path === '/metrics' || /^\/metrics\/[^/]+$/.test(path);
    if (!known) return { status: 404, body: { error: 'Not Found' } };
    if (request.method !== 'GET') return { status: 405, body: { error: 'Method Not Allowed' } };
    if (!hasPermission(check.token, path)) return { status: 403, body: { error: 'Permission denied' } };

    const world: World = { seed: this.seed, devices: this.devices, metrics: METRICS };
    return path === '/metricdata' ? metricData(request.url, world, this.settings, now) : metricList(request.url, METRICS);
  }
}
