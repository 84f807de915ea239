import { z } from 'zod';
import { parseDuration, DURATION_FORMS } from '../core/duration.js';
import { nativeSourceOptions } from '../sources/native/config.js';
import { DARKTRACE_TIMEOUT_MS, darktraceSourceSchema } from '../sources/darktrace/config.js';
import { ARGUS_TIMEOUT_MS, argusSourceSchema } from '../sources/argus/config.js';
import { DYNATRACE_TIMEOUT_MS, dynatraceSourceSchema } from '../sources/dynatrace/config.js';
import { authSchema } from '../auth/config.js';
import { reservedPath } from '../http/routes.js';
import { limitsSchema } from '../limits/config.js';
import { sourceResilienceOptions } from '../resilience/config.js';
import { effectiveTimeoutMs, SOURCE_TIMEOUT_SHARE } from '../resilience/source-timeout.js';
import { usableCpus } from './usable-cpus.js';

/**
 * gateway.yaml, validated. Objects are strict: a misspelt key is an error, not a silently ignored
 * setting. Durations take the same forms as the GraphQL `Duration` scalar and come out as ms.
 */

const durationMs = (value: string | number, ctx: z.RefinementCtx, forms = DURATION_FORMS): number => {
  try {
    return parseDuration(value, 'value');
  } catch {
    ctx.addIssue({ code: 'custom', message: `must be ${forms}; got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
};
const duration = z.union([z.string(), z.number()]).transform((value, ctx) => durationMs(value, ctx));

/** A duration, or 0 for "off" (0, '0' or '0s'). */
const durationOrOff = z
  .union([z.string(), z.number()])
  .transform((value, ctx) => (value === 0 || value === '0' || value === '0s' ? 0 : durationMs(value, ctx, `0 (off) or ${DURATION_FORMS}`)));

const positiveInt = z.number().int().positive();

const graphqlPathSchema = z
  .string()
  .regex(/^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$/, "must be a path like /graphql or /api/graphql: segments of letters, digits, '.', '_', '~' or '-'")
  .refine((path) => !reservedPath(path) && !path.split('/').some((segment) => segment === '.' || segment === '..'), {
    message: 'must not be /, /livez, /ready, /health or under /metrics or /explore (other routes answer there)',
  });

const cacheTtl = z.union([
  z.literal(false),
  z.literal(0),
  z.strictObject({
    /** TTL while the window touches now. */
    open: duration.optional(),
    /** TTL once the window is over. */
    closed: duration.optional(),
    /** How long past its TTL an answer is still served while one call refreshes it. */
    staleWhileRevalidate: durationOrOff.optional(),
  }),
]);

/** Settings every source kind shares; kinds spread this into their own schema. */
export const sourceBase = {
  id: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,62}$/, 'must start with a letter and use letters, digits, _ or -'),
  /**
   * Whole-call timeout for one upstream request: every attempt, retry and wait of it. Must be
   * below requestDeadlineMs. @default the kind's default (20000), or 80% of requestDeadlineMs when that is less
   */
  timeoutMs: positiveInt.optional(),
  /** Retries for idempotent reads that failed with a retryable error. */
  retries: z.number().int().min(0).max(5).optional(),
  /** Concurrent connections to the upstream (its HTTP pool). @default 64 */
  connections: z.number().int().min(1).max(1024).optional(),
  /** `false` or 0 turns caching off for this source; an object overrides the global TTLs. */
  cacheTtl: cacheTtl.optional(),
  /** The shortest poll interval a live stream may ask of this source. @default 10s */
  minPollInterval: duration.optional(),
  /** Outbound rate limit, circuit breaker and serve-stale window (src/resilience/config.ts). */
  ...sourceResilienceOptions,
};

export const nativeSourceSchema = z.strictObject({
  ...sourceBase,
  kind: z.literal('native'),
  ...nativeSourceOptions,
});

/** One entry per source kind; each kind's own settings live next to its adapter. */
export const sourceSchema = z.discriminatedUnion('kind', [nativeSourceSchema, darktraceSourceSchema(sourceBase), argusSourceSchema(sourceBase), dynatraceSourceSchema(sourceBase)]);

export const SOURCE_KINDS_CONFIGURABLE = sourceSchema.options.map((option) => option.shape.kind.value);

/** Each remote kind's `timeoutMs` when none is set (capped by the request deadline: src/resilience/source-timeout.ts). */
const KIND_TIMEOUT_MS = { darktrace: DARKTRACE_TIMEOUT_MS, argus: ARGUS_TIMEOUT_MS, dynatrace: DYNATRACE_TIMEOUT_MS } as const;

function sourceTimeoutMs(source: { kind: keyof typeof KIND_TIMEOUT_MS; timeoutMs?: number | undefined }, requestDeadlineMs: number): number {
  return effectiveTimeoutMs(source.timeoutMs, KIND_TIMEOUT_MS[source.kind], requestDeadlineMs);
}

export const configSchema = z.strictObject({
    port: z.number().int().min(0).max(65535).default(4000),
    host: z.string().min(1).default('0.0.0.0'),
    /** The one path GraphQL (HTTP, SSE, WebSocket) is served at; every other path is 404. @default "/graphql" */
    graphqlPath: graphqlPathSchema.default('/graphql'),
    /**
     * Addresses of reverse proxies in front of the gateway: only from these is X-Forwarded-For
     * believed, for the failed-login throttle and the client rate limit. @default [] (none)
     */
    trustedProxies: z.array(z.ipv4().or(z.ipv6())).default([]),
    redis: z
      .strictObject({
        url: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'),
        /** @default "mg:" */
        keyPrefix: z.string().optional(),
        /** @default 100 */
        commandTimeoutMs: positiveInt.optional(),
        /** After a Redis failure, how long the cache and the limiters leave Redis alone. @default 1000 */
        backoffMs: positiveInt.optional(),
      })
      .optional(),
    cache: z
      .strictObject({
        /** In-memory cache size when Redis is not configured. @default 10000 */
        maxEntries: positiveInt.default(10_000),
        /** @default 10s */
        openTtl: duration.default(10_000),
        /** @default 1h */
        closedTtl: duration.default(3_600_000),
        /** How far back from now a window still counts as open. @default 5m */
        settle: duration.default(300_000),
        /**
         * How long past its TTL an answer is still served, at once, while one upstream call
         * refreshes it in the background; 0 = an expired answer waits for the refresh. @default 0
         */
        staleWhileRevalidate: durationOrOff.default(0),
        /**
         * With Redis: how long one instance's claim on a key it is fetching lasts unless renewed.
         * The holder renews it while its call runs; the others wait for its answer, and ask
         * themselves once a claim lapses (its holder gone or stuck). @default 10s
         */
        claimLease: duration.default(10_000),
        /**
         * Whole responses kept in process (src/cache/response-cache.ts); `false` turns it off.
         * `maxAge` defaults to `openTtl`.
         */
        responses: z
          .union([
            z.literal(false),
            z.strictObject({
              /** @default 64 MiB */
              maxBytes: positiveInt.default(64 * 1024 * 1024),
              maxAge: duration.optional(),
            }),
          ])
          .prefault({}),
      })
      .prefault({}),
    log: z.strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).prefault({}),
    /**
     * Longest one GraphQL request waits for its sources; a source still busy then fails its fields
     * with GATEWAY_TIMEOUT and the others' answers go out. Each source's timeoutMs must be below it;
     * an unset one is derived to be (src/resilience/source-timeout.ts).
     * @default 25000
     */
    requestDeadlineMs: positiveInt.default(25_000),
    /**
     * Remote sources' HTTP (TLS, HTTP parsing, connection pools) runs on a thread of its own, so the
     * thread serving clients is not also the one talking to the vendors; `false` keeps it on one
     * thread. On one CPU the second thread only costs (1.14x the CPU per uncached request).
     * @default true when the process may use 2 CPUs or more (affinity and cgroup quota), else false
     */
    upstreamThread: z.boolean().default(() => usableCpus() >= 2),
    /** Longest a graceful shutdown waits for open requests and streams. @default 10000 */
    shutdownTimeoutMs: positiveInt.default(10_000),
    streams: z
      .strictObject({
        /** Longest silence on an open stream before a heartbeat goes out (SSE comment, WebSocket ping). @default 12s */
        heartbeat: duration.default(12_000),
        /** Poll interval when a subscription names none (never below the source's minimum). @default 30s */
        pollInterval: duration.default(30_000),
        /** Events a slow subscriber may fall behind before it is disconnected. @default 1000 */
        maxQueued: positiveInt.default(1000),
      })
      .prefault({}),
    /** Who may ask: API keys and JWTs (src/auth/config.ts). Absent: authentication off, as in the demo. */
    auth: authSchema.optional(),
    /** Request limits: body size, document depth/aliases/tokens/cost, per-client rate (src/limits/config.ts). */
    limits: limitsSchema.prefault({}),
    /** Whether this is the built-in demo (seeded data, a live demo feed). */
    demo: z.boolean().default(false),
    sources: z.array(sourceSchema).min(1, 'at least one source is required'),
  })
  .superRefine((config, ctx) => {
    // A source allowed to take longer than the request would hold every other source's answers.
    // Effective values are compared, defaults included; a derived default is below by construction
    // unless requestDeadlineMs leaves no room at all.
    config.sources.forEach((source, i) => {
      const timeoutMs = source.kind === 'native' ? source.timeoutMs : sourceTimeoutMs(source, config.requestDeadlineMs);
      if (timeoutMs === undefined || timeoutMs < config.requestDeadlineMs) return;
      const got = source.timeoutMs !== undefined ? `got ${source.timeoutMs}` : `got ${timeoutMs} by default`;
      ctx.addIssue({
        code: 'custom',
        path: ['sources', i, 'timeoutMs'],
        message:
          `must be below requestDeadlineMs (${config.requestDeadlineMs}); ${got}. ` +
          `Left unset, it is ${SOURCE_TIMEOUT_SHARE * 100}% of requestDeadlineMs, at most the kind's default`,
      });
    });
  })
  // Remote sources get their effective timeout here, so every part of the gateway reads the same value.
  .transform((config) => ({
    ...config,
    sources: config.sources.map((source) =>
      source.kind === 'native' ? source : { ...source, timeoutMs: sourceTimeoutMs(source, config.requestDeadlineMs) },
    ),
  }));

export type GatewayConfig = z.output<typeof configSchema>;
export type GatewayConfigInput = z.input<typeof configSchema>;
export type SourceConfig = GatewayConfig['sources'][number];
export type NativeSourceConfig = z.output<typeof nativeSourceSchema>;
