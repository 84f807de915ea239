import { GraphQLError, responsePathAsArray } from 'graphql';
import { NativeSource } from '../../sources/native/adapter.js';
import type { MetricDescriptor } from '../../sources/source.js';
import { resolveFor, toGraphQLError } from '../errors.js';
import type { Resolvers } from '../generated/resolvers-types.js';

export const sourceResolvers: Resolvers = {
  Query: {
    sources: (_, __, ctx) => ctx.registry.list(),
    metrics: (_, args, ctx, info) =>
      resolveFor(args.source ?? undefined, async () => {
        const search = args.search ?? undefined;
        if (args.source != null) {
          const source = ctx.registry.get(args.source);
          if (!source.listMetrics) return [];
          return source.listMetrics(search, { tenantId: ctx.caller.tenant, signal: ctx.deadline.signal });
        }
        // Every source at once: one failing source adds an error but keeps the others' answers.
        const scope = { tenantId: ctx.caller.tenant, signal: ctx.deadline.signal };
        const answers = await Promise.allSettled(ctx.registry.list().map((source) => source.listMetrics?.(search, scope) ?? Promise.resolve([])));
        const out: MetricDescriptor[] = [];
        answers.forEach((answer, i) => {
          if (answer.status === 'fulfilled') {
            out.push(...answer.value);
            return;
          }
          const id = ctx.registry.list()[i]!.id;
          ctx.log.warn({ source: id, err: answer.reason }, 'metric discovery failed');
          const error = toGraphQLError(answer.reason, id);
          ctx.reportError(
            error instanceof GraphQLError
              ? new GraphQLError(error.message, { path: responsePathAsArray(info.path), extensions: error.extensions })
              : new GraphQLError('Unexpected error.', { path: responsePathAsArray(info.path), extensions: { code: 'INTERNAL_SERVER_ERROR', source: id } }),
          );
        });
        return out;
      }),
  },
  Source: {
    kind: (source) => source.kind.toUpperCase() as 'NATIVE',
    healthy: async (source, _, ctx) => (await ctx.health(source)).healthy,
    message: async (source, _, ctx) => {
      const health = await ctx.health(source);
      // The native store's health counts every tenant's series; a caller bound to a tenant gets its own count.
      if (health.healthy && source instanceof NativeSource && ctx.caller.tenant !== undefined) return tenantMessage(source, ctx.caller.tenant);
      return health.message ?? null;
    },
    latencyMs: async (source, _, ctx) => (await ctx.health(source)).latencyMs ?? null,
  },
  MetricDescriptor: {
    upstreamName: (descriptor) => descriptor.upstreamName ?? null,
    unit: (descriptor) => descriptor.unit ?? null,
    description: (descriptor) => descriptor.description ?? null,
    type: (descriptor) => descriptor.type ?? null,
  },
};

async function tenantMessage(source: NativeSource, tenantId: string): Promise<string> {
  const states = await source.store.series({ tenantId }).catch(() => undefined);
  if (!states) return `the ${source.store.kind} store did not answer`;
  const points = states.reduce((sum, state) => sum + state.pointCount, 0);
  return `${states.length} series, ${points} points of this tenant in ${source.store.kind}`;
}
