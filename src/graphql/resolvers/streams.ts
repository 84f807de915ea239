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
import { fieldKey, seriesPointCost, shapeOf } from '../cost/estimate.js';
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
 * one): raw points over the backfill window, for the series the source can count.
 */
async function chargeBackfill(ctx: GatewayContext, info: GraphQLResolveInfo, source: MetricSource, query: MetricQuery, backfillMs: number): Promise<void> {
  const window = { ...query, range: { from: ctx.now - backfillMs, to: ctx.now } };
  delete window.intervalMs;
  const shape = await shapeOf(ctx, source, window);
  ctx.demand.estimate({ field: fieldKey(info), ...shape, intervalFixes: false, argument: 'backfill', costPerPoint: seriesPointCost(info, ['series']) });
}

/**
 * Not an async generator on purpose: a generator waiting for the next event cannot be returned
 * from until that event comes, so a client leaving a quiet stream would hold its share of the
 * poller. This iterator's `return` releases the subscription at once. Made after an await (the
 * demand check counts the series first): graphql-js takes a promise of the event stream.
 */
async function subscribe(args: SubscriptionMetricStreamArgs, ctx: GatewayContext, info: GraphQLResolveInfo): Promise<AsyncIterableIterator<StreamPayload>> {
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
    await chargeBackfill(ctx, info, source, query, backfillMs);
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
