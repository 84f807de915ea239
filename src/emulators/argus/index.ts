import { startEmulator, type EmulatedRequest, type Emulator, type EmulatorReply } from '../server.js';
import { aggregate } from './aggregate.js';
import { ArgusFailure, actionError } from './envelope.js';
import type { ArgusApiKey } from './model.js';
import { seededStore, startLiveFeed, type SeedOptions } from './seed.js';
import type { ArgusStore } from './store.js';
import { search } from './search.js';
import { submit } from './submit.js';

export { argusFaults } from './faults.js';
export { ARGUS_ACME_KEY, ARGUS_DEMO_KEY, ARGUS_READ_ONLY_KEY, DESCRIPTORS as ARGUS_DESCRIPTORS } from './seed.js';
export type { ArgusStore } from './store.js';

/**
 * A faithful local stand-in for the Argus metrics API v1 (research/upstreams.md §2.6), in the
 * emulator shell (HTTPS, request log, fault injection):
 *
 * - `Argus-API-Key` required on every request (401 when missing or unknown); a key without the
 *   descriptor's read or write function gets 403, as does naming a customer the key may not see.
 * - The envelope on every answer, errors included, `responseCode` equal to the HTTP status.
 * - Descriptors by numeric id or shortName; an unknown one is 404.
 * - Search, aggregate and submit as their own files describe; validation failures are 412 with
 *   FIELD_ERROR messages.
 */
export interface ArgusEmulator {
  /** The shell: `url`, `requests`, `count(prefix)`, `inject(fault)`, `latencyMs`. */
  server: Emulator;
  store: ArgusStore;
  url: string;
  close(): Promise<void>;
}

export interface ArgusEmulatorOptions extends SeedOptions {
  /** @default true */
  tls?: boolean;
  port?: number;
  latencyMs?: number;
  /** Clock for the `endTimestamp` default. @default Date.now */
  clock?: () => number;
  /** Add a frame of records every 5 minutes as time passes (the demo). @default false */
  live?: boolean;
}

const METRIC_PATH = /^\/metrics\/v1\/metric\/([^/]+)(?:\/(search|aggregate))?\/?$/;

export async function startArgusEmulator(options: ArgusEmulatorOptions = {}): Promise<ArgusEmulator> {
  const { store, lastFrame } = seededStore(options);
  const stopFeed = options.live ? startLiveFeed(store, lastFrame) : () => {};
  const clock = options.clock ?? Date.now;
  const server = await startEmulator(
    {
      name: 'argus',
      ...(options.tls !== undefined ? { tls: options.tls } : {}),
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
    },
    (request) => {
      try {
        return route(store, request, clock());
      } catch (error) {
        if (error instanceof ArgusFailure) return error.reply();
        throw error;
      }
    },
  );
  return {
    server,
    store,
    url: server.url,
    close: () => {
      stopFeed();
      return server.close();
    },
  };
}

function route(store: ArgusStore, request: EmulatedRequest, now: number): EmulatorReply {
  const apiKey = authenticate(store, request);
  const match = METRIC_PATH.exec(request.url.pathname);
  if (!match) throw new ArgusFailure(404, [actionError(`No endpoint at ${request.url.pathname}`)]);
  if (request.method !== 'POST') throw new ArgusFailure(405, [actionError(`${request.method} is not allowed here; use POST`)]);
  const name = decodeURIComponent(match[1]!);
  const descriptor = store.descriptor(name);
  if (!descriptor) throw new ArgusFailure(404, [actionError(`Metric descriptor ${name} not found`)]);
  const action = match[2];
  const needs = action ? descriptor.readFunction : descriptor.writeFunction;
  if (!apiKey.functions.includes(needs)) {
    throw new ArgusFailure(403, [actionError(`User ${apiKey.user} lacks function ${needs} for descriptor ${descriptor.shortName}`)]);
  }
  const body = jsonBody(request.body);
  if (action === 'search') return search(store, descriptor, apiKey, body, now);
  if (action === 'aggregate') return aggregate(store, descriptor, apiKey, body, now);
  return submit(store, descriptor, apiKey, body);
}

function authenticate(store: ArgusStore, request: EmulatedRequest): ArgusApiKey {
  const header = request.headers['argus-api-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (!key) throw new ArgusFailure(401, [actionError('Authentication required: send an Argus-API-Key header')]);
  const found = store.apiKeys.get(key);
  if (!found) throw new ArgusFailure(401, [actionError('Invalid or expired API key')]);
  return found;
}

function jsonBody(text: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ArgusFailure(400, [actionError('Request body is not valid JSON')]);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new ArgusFailure(400, [actionError('Request body must be a JSON object')]);
  return body as Record<string, unknown>;
}

