import { fileURLToPath } from 'node:url';
import { startEmulator, type EmulatedRequest, type Emulator, type EmulatorReply } from '../server.js';
import { Access, type RateLimit } from './access.js';
import { handleDescriptor, handleDescriptorList } from './descriptors.js';
import { errorReply } from './envelope.js';
import { buildCatalogue, type Catalogue } from './metrics.js';
import { handleQuery } from './query.js';

/**
 * A faithful local stand-in for a Dynatrace environment's Metrics API v2 (research/upstreams.md
 * §3): GET /api/v2/metrics/query, GET /api/v2/metrics (paged) and GET /api/v2/metrics/{key},
 * behind Api-Token auth with scopes and a per-token rate limit, answering with ErrorEnvelopes.
 * SaaS (`https://{host}/api/v2`) or Managed (`https://{host}/e/{env}/api/v2`) paths. Every
 * request lands in the shell's log, so tests count calls and read raw query strings.
 */

/** Tokens in Dynatrace's format (`dt0c01.<public>.<secret>`); they protect nothing. */
export const DYNATRACE_TOKENS = {
  /** metrics.read: everything the gateway needs. */
  read: 'dt0c01.EMULATORREADTOKEN0000000000.0000000000000000000000000000000000000000000000000000000000000001',
  /** A valid token without metrics.read, for 403s. */
  noScope: 'dt0c01.EMULATORNOSCOPETOKEN000000000.0000000000000000000000000000000000000000000000000000000000000002',
} as const;

/** The emulators' self-signed certificate as a file, for `caFile` in a source's config. */
export const EMULATOR_CERT_FILE = fileURLToPath(new URL('../tls/cert.pem', import.meta.url));

export interface DynatraceEmulatorOptions {
  /** HTTPS with the emulators' certificate. @default true */
  tls?: boolean;
  port?: number;
  /** Managed/ActiveGate path prefix such as /e/abc12345; empty for SaaS. @default '' */
  environmentPath?: string;
  /** Token -> scopes. @default DYNATRACE_TOKENS (read: metrics.read; noScope: entities.read) */
  tokens?: Record<string, readonly string[]>;
  /** @default 100000 requests per minute and token (effectively none) */
  rateLimit?: RateLimit;
  /** Largest page GET /api/v2/metrics serves. @default 500, as the real API */
  pageSizeLimit?: number;
  latencyMs?: number;
  now?: () => number;
}

export interface DynatraceEmulator {
  server: Emulator;
  /** The environment URL to configure (`url` of a dynatrace source). */
  url: string;
  catalogue: Catalogue;
  /** Changes the rate limit from now on (and resets its windows). */
  setRateLimit(rateLimit: RateLimit): void;
  /** Requests that reached GET /api/v2/metrics/query. */
  queryCalls(): EmulatedRequest[];
  /** Requests that reached GET /api/v2/metrics (the listing). */
  listCalls(): EmulatedRequest[];
  close(): Promise<void>;
}

export async function startDynatraceEmulator(options: DynatraceEmulatorOptions = {}): Promise<DynatraceEmulator> {
  const now = options.now ?? Date.now;
  const prefix = (options.environmentPath ?? '').replace(/\/+$/, '');
  const catalogue = buildCatalogue(now);
  const access = new Access(
    options.tokens ?? { [DYNATRACE_TOKENS.read]: ['metrics.read'], [DYNATRACE_TOKENS.noScope]: ['entities.read'] },
    options.rateLimit ?? { limit: 100_000 },
  );
  const pageSizeLimit = options.pageSizeLimit ?? 500;

  const handle = (request: EmulatedRequest): EmulatorReply => {
    const path = request.url.pathname;
    if (!path.startsWith(`${prefix}/api/v2/`)) return errorReply(404, `No such endpoint: ${path}`);
    const route = path.slice(prefix.length + '/api/v2'.length);
    if (request.method !== 'GET') return errorReply(405, `${request.method} is not allowed on ${route}`);
    if (route !== '/metrics' && !route.startsWith('/metrics/')) return errorReply(404, `No such endpoint: ${route}`);

    const auth = access.authenticate(request, 'metrics.read');
    if (!('token' in auth)) return auth;
    const admission = access.admit(auth.token, now());
    if (!admission.admitted) return admission.reply;

    let reply: EmulatorReply;
    if (route === '/metrics') reply = handleDescriptorList(request, catalogue, pageSizeLimit);
    else if (route === '/metrics/query') reply = handleQuery(request, catalogue, now());
    else reply = handleDescriptor(decodeURIComponent(route.slice('/metrics/'.length)), catalogue);
    return { ...reply, headers: { ...admission.headers, ...reply.headers } };
  };

  const server = await startEmulator(
    { name: 'dynatrace', tls: options.tls ?? true, ...(options.port !== undefined ? { port: options.port } : {}), ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}) },
    handle,
  );
  const requestsTo = (route: string) => server.requests.filter((request) => request.url.pathname === `${prefix}/api/v2${route}`);
  return {
    server,
    url: `${server.url}${prefix}`,
    catalogue,
    setRateLimit: (rateLimit) => access.setRateLimit(rateLimit),
    queryCalls: () => requestsTo('/metrics/query'),
    listCalls: () => requestsTo('/metrics'),
    close: () => server.close(),
  };
}
