import { BadUserInputError } from '../../core/errors.js';
import { resolveTime } from '../../core/time.js';
import { ArgusSource } from '../../sources/argus/adapter.js';
import type { GatewayContext } from '../context.js';
import { resolveFor } from '../errors.js';
import type { Resolvers } from '../generated/resolvers-types.js';

export const argusResolvers: Resolvers = {
  Mutation: {
    submitArgusMetrics: (_, args, ctx) =>
      resolveFor(args.source ?? undefined, async () => {
        const source = argusSource(ctx, args.source);
        return source.submit(
          {
            descriptor: args.descriptor,
            // A record without a timestamp was measured now: the one `now` of this request.
            records: args.records.map((record) => ({
              timestamp: record.timestamp ? resolveTime(record.timestamp, ctx.now, 'from') : ctx.now,
              keys: record.keys,
              values: record.values,
            })),
            ignoreOnFailed: args.ignoreOnFailed ?? false,
            ...(args.customer != null ? { customer: args.customer } : {}),
          },
          { signal: ctx.request.signal },
        );
      }),
  },
};

function argusSource(ctx: GatewayContext, id: string | null | undefined): ArgusSource {
  const source = id != null ? ctx.registry.get(id) : ctx.registry.only('argus');
  if (!(source instanceof ArgusSource)) {
    throw new BadUserInputError(`source '${source.id}' is a ${source.kind} source; submitArgusMetrics writes to argus sources`, { field: 'source' });
  }
  return source;
}
