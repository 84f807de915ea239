import { setMaxListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { registryFor, restrictQuery } from './auth/access.js';
import { Authenticator } from './auth/authenticator.js';
import { FailedLogins } from './auth/failed-logins.js';
import { identityKey } from './auth/identity.js';
import { LoginGate } from './auth/login-gate.js';
import { mayShowGraphiQL, requestIdentity, useAuth, useCollectorAccess } from './auth/use-auth.js';
import { seesSchema, useIntrospectionAccess } from './auth/use-introspection-access.js';
import { MemoryStore } from './cache/memory-store.js';
import { QueryCache } from './cache/query-cache.js';
import { RedisStore } from './cache/redis-store.js';
import { ResponseCache } from './cache/response-cache.js';
import type { CacheStore } from './cache/store.js';
import type { CachePolicy } from './cache/ttl.js';
import type { GatewayConfig } from './config/schema.js';
import type { GatewayFields } from './graphql/context.js';
import { SeriesLoaders } from './graphql/loaders.js';
import { Pacer } from './graphql/pacing.js';
import { useColumnExecution } from './graphql/columns/use-column-execution.js';
import { createGatewayColumnSchema, createGatewaySchema } from './graphql/schema.js';
import { useBoundedErrors } from './graphql/use-bounded-errors.js';
import { useInputErrors } from './graphql/use-input-errors.js';
import { useReportedErrors } from './graphql/use-reported-errors.js';
import { useResponseCache } from './graphql/use-response-cache.js';
import { useWarnings } from './graphql/use-warnings.js';
import { DemandMeter } from './graphql/cost/demand-meter.js';
import { useCostExtension } from './graphql/cost/use-cost-extension.js';
import { useRequestDeadline } from './graphql/use-request-deadline.js';
import { RequestDeadline } from './resilience/request-deadline.js';
import { useCollectorApi } from './http/collector-routes.js';
import { ClientRateLimiter } from './limits/client-rate-limiter.js';
import { MemoryWindowCounter, RedisWindowCounter, type WindowCounter } from './limits/window-counter.js';
import { useBodyLimit } from './limits/use-body-limit.js';
import { useClientRateLimit } from './limits/use-client-rate-limit.js';
import { useDocumentLimits } from './limits/use-document-limits.js';
import { CircuitBreaker } from './resilience/circuit-breaker.js';
import { RetryBudget } from './resilience/retry-budget.js';
import { TokenBucket } from './resilience/token-bucket.js';
import type { UpstreamGuard } from './resilience/upstream-guard.js';
import { useHealth } from './http/health.js';
import { useReady } from './http/ready.js';
import { useSseHeartbeat } from './http/use-sse-heartbeat.js';
import { useStreamedJson } from './http/use-streamed-json.js';
import { useExplorePage } from './http/use-explore-page.js';
import { attachWebSocket } from './http/websocket.js';
import { websocketAdmission } from './http/websocket-admission.js';
import { useRoutes } from './http/use-routes.js';
import { originFormOnly } from './http/origin-form.js';
import { ClientAddresses } from './http/client-address.js';
import { requestInfo, useRequestLog } from './http/use-request-log.js';
import { createSource } from './sources/create.js';
import { UpstreamThread } from './sources/http/upstream-thread.js';
import { loopUtilization } from './telemetry/loop-utilization.js';
import { SharedHealthChecks } from './sources/health.js';
import { NativeSource } from './sources/native/adapter.js';
import { seedDemoData, startDemoFeed } from './sources/native/seed.js';
import { observeSource } from './sources/observed.js';
import { SourceRegistry, type MetricSource, type SourceWarning } from './sources/source.js';
import { StreamCoordination } from './streams/coordination.js';
import { StreamHub } from './streams/stream-hub.js';
import { createLogger } from './telemetry/log.js';
import { GatewayMetrics } from './telemetry/metrics.js';

export interface Gateway {
  server: Server;
  yoga: YogaServerInstance<object, GatewayFields>;
  /** Base URL the gateway listens on, e.g. http://127.0.0.1:4000 */
  url: string;
  registry: SourceRegistry;
  metrics: GatewayMetrics;
  cache: QueryCache;
  log: Logger;
  /** Graceful stop: readiness off, streams completed, open requests drained within the deadline. */
  close(): Promise<void>;
}

export interface GatewayOptions {
  log?: Logger;
  /**
   * The upstream thread to use instead of starting one, for several gateways in one process (the
   * test suite); whoever made it closes it. Unused with `upstreamThread: false`.
   */
  upstreamThread?: UpstreamThread;
}

/** This process's own event loop, for gateway_event_loop_utilization_ratio{thread="main"}. */
const MAIN_LOOP = { performance };

const DEFAULT_QUERY = `# metric-gateway: one GraphQL endpoint for every metric source.
{
  sources { id kind healthy message }
  metricData(source: "native", metric: "http_requests", from: "now-6h", interval: "1h",
             filters: [{ key: "service", values: ["checkout"] }]) {
    metric unit labels { key value } points { timestamp value }
  }
}
`;

const GRAPHIQL = { title: 'metric-gateway', defaultQuery: DEFAULT_QUERY };

/** The only place that wires parts together: config in, a listening gateway out. */
export async function createGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<Gateway> {
  const log = options.log ?? createLogger(config.log.level);
  const metrics = new GatewayMetrics();
  const store: CacheStore = config.redis
    ? new RedisStore({
        url: config.redis.url,
        keyPrefix: config.redis.keyPrefix,
        commandTimeoutMs: config.redis.commandTimeoutMs,
        ...(config.redis.backoffMs ? { backoffMs: config.redis.backoffMs } : {}),
        log: log.child({ component: 'cache' }),
        onError: (operation) => metrics.cacheErrors.inc({ operation }),
      })
    : new MemoryStore({ maxEntries: config.cache.maxEntries });

  // Remote sources' HTTP on a thread of its own (src/sources/http/upstream-thread.ts).
  const ownThread = config.upstreamThread && !options.upstreamThread;
  const upstreamThread = config.upstreamThread ? (options.upstreamThread ?? new UpstreamThread({ log: log.child({ component: 'upstream-thread' }) })) : undefined;
  const guards = new Map(config.sources.filter((source) => source.kind !== 'native').map((source) => [source.id, upstreamGuard(source, metrics, log)]));
  const registry = new SourceRegistry(
    config.sources.map((source) =>
      observeSource(createSource(source, { log: log.child({ source: source.id }), metrics, redis: config.redis, guard: guards.get(source.id), transport: upstreamThread }), metrics),
    ),
  );
  // Not for remote sources that make no calls (Dynatrace from export files alone).
  if (upstreamThread?.hasPools) await upstreamThread.start();
  metrics.watchEventLoop('main', loopUtilization(() => MAIN_LOOP));
  if (upstreamThread) metrics.watchEventLoop('upstream', loopUtilization(() => upstreamThread.worker));
  const policies = new Map(config.sources.map((source) => [source.id, cachePolicy(config, source.cacheTtl, source.maxStaleMs)]));
  const cache = new QueryCache({
    store,
    metrics,
    flightMs: config.cache.claimLease,
    policyFor: (source) => (source.capabilities.cacheable ? policies.get(source.id) : undefined),
  });

  const responses = config.cache.responses === false ? undefined : new ResponseCache({ maxChars: config.cache.responses.maxBytes, maxAgeMs: config.cache.responses.maxAge ?? config.cache.openTtl });

  const coordination = config.redis
    ? new StreamCoordination({ url: config.redis.url, keyPrefix: config.redis.keyPrefix, log: log.child({ component: 'streams' }) })
    : undefined;
  const hub = new StreamHub({
    log: log.child({ component: 'streams' }),
    metrics,
    maxQueued: config.streams.maxQueued,
    ...(coordination ? { coordination } : {}),
    backfill: async (source, query, request) => {
      const [answer] = await cache.query(source, `stream\u0000${request.identity ?? ''}`, [query], { log, ...(request.tenantId !== undefined ? { tenantId: request.tenantId } : {}) });
      if (answer instanceof Error) throw answer;
      return answer ?? [];
    },
  });
  const minPollIntervals = new Map(config.sources.map((source) => [source.id, source.minPollInterval ?? 10_000]));
  const streams = {
    hub,
    minPollIntervalMs: (source: MetricSource) => minPollIntervals.get(source.id) ?? 10_000,
    defaultPollIntervalMs: config.streams.pollInterval,
  };

  const healthChecks = new SharedHealthChecks();
  const authenticator = new Authenticator(config.auth);
  // Window counters of the client rate limit (`rl:`) and the failed-login throttle (`fl:`), shared through Redis when configured.
  const windows = (name: 'rl' | 'fl', windowMs: number, maxKeys?: number): WindowCounter =>
    config.redis
      ? new RedisWindowCounter({
          ...config.redis,
          keyPrefix: `${config.redis.keyPrefix ?? 'mg:'}${name}:`,
          windowMs,
          ...(maxKeys ? { maxKeys } : {}),
          log: log.child({ component: name === 'rl' ? 'rate-limit' : 'failed-logins' }),
        })
      : new MemoryWindowCounter(windowMs, maxKeys);
  const rateLimit = config.limits.rateLimit;
  const limiter = rateLimit === false ? undefined : new ClientRateLimiter(rateLimit.requests, windows('rl', rateLimit.windowMs));
  const throttle = config.auth?.failedLogins;
  const failedLogins = authenticator.enabled && throttle ? new FailedLogins(throttle.max, windows('fl', throttle.windowMs, throttle.maxAddresses)) : undefined;
  const gate = new LoginGate(authenticator, failedLogins);
  const addresses = new ClientAddresses(config.trustedProxies);

  // Shared limits from the first request on, when Redis answers quickly; without it they are per instance.
  await Promise.all([limiter?.ready(1000), failedLogins?.counter.ready?.(1000)]);
  const stopDemo = config.demo ? await startDemo(registry) : () => {};
  const shutdown = new AbortController();
  // Every open stream listens for shutdown; thousands of them are expected, not a leak.
  setMaxListeners(0, shutdown.signal);
  let ready = false;

  const yoga = createYoga<object, GatewayFields>({
    schema: createGatewaySchema(),
    graphqlEndpoint: config.graphqlPath,
    // Yoga's own liveness check answers any URL ending in its path, so it is given one no URL ends in; /livez is useReady's.
    healthCheckEndpoint: '\u0000',
    landingPage: false,
    // GraphiQL shows the schema, so only identities allowed to introspect get it.
    // (yoga asks before any plugin ran, so the credentials are checked here; refused ones fall through to useAuth's 401).
    graphiql: async (request, serverContext) =>
      (await mayShowGraphiQL({ gate, addresses, graphqlPath: config.graphqlPath }, request, serverContext)) && GRAPHIQL,
    // Capped by useBodyLimit instead, which counts only bodies of unstated length.
    maxRequestBodySize: false,
    // GraphiQL's page is some 30 MB of heap once loaded: only an instance that shows it pays for it.
    renderGraphiQL: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    multipart: false,
    batching: false,
    logging: yogaLogger(log),
    context: ({ request }): GatewayFields => {
      const { id, log: requestLog } = requestInfo(request, log);
      const caller = requestIdentity(request);
      const identity = identityKey(caller);
      const callerRegistry = registryFor(registry, caller);
      const reported: GraphQLError[] = [];
      const warnings: SourceWarning[] = [];
      const deadline = new RequestDeadline(config.requestDeadlineMs, () => request.signal);
      return {
        requestId: id,
        log: requestLog,
        now: Date.now(),
        deadline,
        identity,
        caller,
        registry: callerRegistry,
        cache,
        metrics,
        loaders: new SeriesLoaders(
          cache,
          identity,
          {
            // Sources still busy at the request deadline give up, so the answers that came back go out.
            get signal() {
              return deadline.signal;
            },
            log: requestLog,
            warn: (warning) => warnings.push(warning),
            ...(caller.tenant !== undefined ? { tenantId: caller.tenant } : {}),
            maxPoints: config.limits.demand.maxPointsPerField,
          },
          (source, query) => restrictQuery(source, caller, query),
        ),
        health: (source: MetricSource) => healthChecks.check(source, deadline.signal),
        reported,
        warnings,
        reportError: (error) => reported.push(error),
        streams,
        demand: new DemandMeter(config.limits.demand),
        pacer: new Pacer(),
        shutdownSignal: shutdown.signal,
      };
    },
    plugins: [
      useRequestLog({ log, metrics, graphqlPath: config.graphqlPath }),
      useBodyLimit(config.limits.maxBodyBytes),
      useRoutes({ graphqlPath: config.graphqlPath }),
      useAuth({ gate, addresses, log: log.child({ component: 'auth' }) }),
      ...(limiter ? [useClientRateLimit({ limiter, addresses, log: log.child({ component: 'rate-limit' }) })] : []),
      useHealth({ registry, cache: store, check: (source) => healthChecks.check(source), circuitOf: (id) => guards.get(id)?.breaker }),
      useReady({ isReady: () => ready }),
      useCollectorAccess({ registry }),
      useCollectorApi({ registry, metrics, log, tenantOf: (request) => requestIdentity(request).tenant }),
      useExplorePage({ log: log.child({ component: 'explore' }) }),
      useSseHeartbeat({ intervalMs: config.streams.heartbeat }),
      useStreamedJson(),
      useColumnExecution(createGatewayColumnSchema()),
      useInputErrors({ showHints: seesSchema }),
      useBoundedErrors(),
      useReportedErrors(),
      useWarnings(),
      useCostExtension(),
      useRequestDeadline(),
      ...useIntrospectionAccess(),
      ...useDocumentLimits(config.limits),
      // Last: it needs the persisted document in params, and the other plugins' final result.
      ...(responses
        ? [
            useResponseCache({
              cache: responses,
              metrics,
              identityOf: (request) => identityKey(requestIdentity(request)),
              dataVersions: () => registry.list().map((source) => source.dataVersion?.() ?? '').join(','),
            }),
          ]
        : []),
    ],
  });

  const server = createServer({ requestTimeout: 60_000, headersTimeout: 20_000, keepAliveTimeout: 5_000 }, originFormOnly(yoga));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const websocket = attachWebSocket(server, yoga, {
    graphqlPath: config.graphqlPath,
    keepAliveMs: config.streams.heartbeat,
    ...websocketAdmission({ gate, limiter, addresses }),
  });
  ready = true;
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
  log.info({ url, sources: registry.list().map((source) => source.id), cache: store.kind, demo: config.demo }, 'gateway listening');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      ready = false;
      stopDemo();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Streams end first, so every subscriber gets `complete` before its connection closes.
      shutdown.abort();
      hub.close();
      // Let the `complete` messages of the ended streams reach the sockets before they close.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await websocket.close();
      server.closeIdleConnections();
      const drained = await Promise.race([
        closed.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(resolve, config.shutdownTimeoutMs, false).unref()),
      ]);
      if (!drained) {
        log.warn({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown deadline passed; closing remaining connections');
        server.closeAllConnections();
        await closed;
      }
      await yoga.dispose();
      responses?.clear();
      cache.close();
      await registry.close();
      if (ownThread) await upstreamThread?.close();
      await store.close();
      await limiter?.close();
      await failedLogins?.close();
      await coordination?.close();
      log.info('gateway stopped');
    })());

  return { server, yoga, url, registry, metrics, cache, log, close };
}

function cachePolicy(config: GatewayConfig, ttl: GatewayConfig['sources'][number]['cacheTtl'], maxStaleMs: number | undefined): CachePolicy | undefined {
  if (ttl === false || ttl === 0) return undefined;
  return {
    openTtlMs: ttl?.open ?? config.cache.openTtl,
    closedTtlMs: ttl?.closed ?? config.cache.closedTtl,
    settleMs: config.cache.settle,
    staleWhileRevalidateMs: ttl?.staleWhileRevalidate ?? config.cache.staleWhileRevalidate,
    ...(maxStaleMs ? { maxStaleMs } : {}),
  };
}

const CIRCUIT_GAUGE = { closed: 0, 'half-open': 1, open: 2 } as const;

/** A remote source's outbound bucket and circuit breaker (both per gateway instance). */
function upstreamGuard(source: GatewayConfig['sources'][number], metrics: GatewayMetrics, log: Logger): UpstreamGuard {
  // Retries add at most a fifth to what a source is sent (plus a reserve of 10).
  const guard: UpstreamGuard = { retryBudget: new RetryBudget(0.2, 10) };
  if (source.rateLimit) guard.bucket = new TokenBucket(source.rateLimit.perSecond, source.rateLimit.burst);
  if (source.circuitBreaker !== false) {
    const settings = source.circuitBreaker ?? { failures: 5, cooldownMs: 30_000 };
    metrics.circuitState.set({ source: source.id }, 0);
    guard.breaker = new CircuitBreaker({
      source: source.id,
      failures: settings.failures,
      cooldownMs: settings.cooldownMs,
      onChange: (state) => {
        metrics.circuitState.set({ source: source.id }, CIRCUIT_GAUGE[state]);
        metrics.circuitTransitions.inc({ source: source.id, state });
        log.warn({ source: source.id, state }, `circuit breaker ${state}`);
      },
    });
  }
  return guard;
}

async function startDemo(registry: SourceRegistry): Promise<() => void> {
  const stops: Array<() => void> = [];
  for (const source of registry.list()) {
    if (source instanceof NativeSource) {
      await seedDemoData(source, Date.now());
      stops.push(startDemoFeed(source));
    }
  }
  return () => stops.forEach((stop) => stop());
}

/** Yoga logs through pino: its `error` calls carry the unexpected (masked) errors. */
function yogaLogger(log: Logger) {
  const yogaLog = log.child({ component: 'yoga' });
  return {
    debug: (...args: unknown[]) => yogaLog.debug({ args }, 'yoga'),
    info: (...args: unknown[]) => yogaLog.info({ args }, 'yoga'),
    warn: (...args: unknown[]) => yogaLog.warn({ args }, 'yoga'),
    error: (...args: unknown[]) => yogaLog.error({ err: args[0], args: args.slice(1) }, 'unexpected error'),
  };
}
