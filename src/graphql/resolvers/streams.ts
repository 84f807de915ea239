import { restrictQuery } from '../../auth/access.js';
import { BadUserInputError } from '../../core/errors.js';
import { formatDuration, MS } from '../../core/duration.js';
import type { Series } from '../../core/series.js';
import type { MetricQuery, MetricSource } from '../../sources/source.js';
import type { GraphQLResolveInfo } from 'graphql';
import type { StreamEvent } from '../../streams/stream-hub.js';
import type { GatewayContext } from '../context.js';
import { toGraphQLError } from '../errors.js';
import type { Resolvers, SubscriptionMetricStreamArgs } from '../generated/resolvers-types.js';
import { buildMetricQuery } from '../metric-query.js';

const MAX_BACKFILL_MS = MS.DAY;
const DEFAULT_BACKFILL_MS = 15 * MS.MINUTE;

interface StreamPayload {
  event: StreamEvent;
}

export const streamResolvers: Resolvers = {
  Subscription: {
    metricStream: {
      subscribe: (_, args, ctx, info) => subscribe(args, ctx, info) as never,
      resolve: (payload: StreamPayload, args: SubscriptionMetricStreamArgs) => {
        if ('error' in payload.event) throw toGraphQLError(payload.event.error, args.source);
        return { series: payload.event.series, backfill: payload.event.backfill };
      },
    },
  },
  MetricStreamEvent: {
    series: (event: { series: Series[] }) => event.series,
  },
};

/**
 * The backfill is the biggest answer a stream sends (a poll brings only what is new since the last
 * one). Charged synchronously, so with what the source can tell at once (a `demandHint` that needs
 * no await) and otherwise one series per metric at the assumed raw spacing.
 */
function chargeBackfill(ctx: GatewayContext, info: GraphQLResolveInfo, source: MetricSource, query: MetricQuery, backfillMs: number): void {
  const window = { ...query, range: { from: ctx.now - backfillMs, to: ctx.now } };
  delete window.intervalMs;
  const hint = source.demandHint?.(window, { log: ctx.log });
  // A hint that needs an await (the native store's count) is not waited for here.
  if (hint instanceof Promise) hint.catch(() => undefined);
  const known = hint && !(hint instanceof Promise) ? hint : {};
  const assumed = Math.ceil(backfillMs / ctx.demand.budgets.assumedRawIntervalMs) + 1;
  ctx.demand.estimate({
    field: String(info.path.key),
    series: known.series ?? query.metrics.length,
    pointsPerSeries: known.rawPointsPerSeries ?? assumed,
    rangeMs: backfillMs,
    intervalFixes: false,
  });
}

/**
 * Not an async generator on purpose: a generator waiting for the next event cannot be returned
 * from until that event comes, so a client leaving a quiet stream would hold its share of the
 * poller. This iterator's `return` releases the subscription at once.
 */
function subscribe(args: SubscriptionMetricStreamArgs, ctx: GatewayContext, info: GraphQLResolveInfo): AsyncIterableIterator<StreamPayload> {
  let events: AsyncIterableIterator<StreamEvent>;
  try {
    const source = ctx.registry.get(args.source);
    const query = restrictQuery(source, ctx.caller, buildMetricQuery(source, { ...args, interval: undefined }, ctx.now).query);
    const backfillMs = args.backfill ?? DEFAULT_BACKFILL_MS;
    if (backfillMs > MAX_BACKFILL_MS) {
      throw new BadUserInputError(`backfill must be at most 1d; got ${formatDuration(backfillMs)}`, { field: 'backfill' });
    }
    const minimum = ctx.streams.minPollIntervalMs(source);
    const pollIntervalMs = args.interval ?? Math.max(minimum, ctx.streams.defaultPollIntervalMs);
    if (!source.watch && pollIntervalMs < minimum) {
      throw new BadUserInputError(`interval must be at least ${formatDuration(minimum)} for source '${source.id}' (it is polled); got ${formatDuration(pollIntervalMs)}`, { field: 'interval' });
    }
    chargeBackfill(ctx, info, source, query, backfillMs);
    events = ctx.streams.hub.subscribe({
      source,
      metrics: query.metrics,
      filters: query.filters,
      ...(query.params ? { params: query.params } : {}),
      pollIntervalMs,
      backfillMs,
      identity: ctx.identity,
      ...(ctx.caller.tenant !== undefined ? { tenantId: ctx.caller.tenant } : {}),
    });
  } catch (error) {
    throw toGraphQLError(error, args.source);
  }
  // Ends the stream when the gateway shuts down, so the client gets `complete`, not a cut.
  const stop = () => void events.return?.();
  ctx.shutdownSignal.addEventListener('abort', stop, { once: true });
  const iterator: AsyncIterableIterator<StreamPayload> = {
    async next() {
      const next = await events.next();
      if (next.done) {
        ctx.shutdownSignal.removeEventListener('abort', stop);
        return { done: true, value: undefined };
      }
      return { done: false, value: { event: next.value } };
    },
    async return() {
      ctx.shutdownSignal.removeEventListener('abort', stop);
      await events.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
