import { BadUserInputError, ForbiddenError } from '../../core/errors.js';
import { resolveTime } from '../../core/time.js';
import { NativeSource } from '../../sources/native/adapter.js';
import type { RawTrack } from '../../sources/native/point.js';
import type { GatewayContext } from '../context.js';
import { resolveFor } from '../errors.js';
import type { Resolvers, TrackMetricInput } from '../generated/resolvers-types.js';

/** More points than this in one call should go through several calls (or the REST batch API). */
const MAX_BATCH = 10_000;

export const collectorResolvers: Resolvers = {
  Mutation: {
    trackMetric: (_, args, ctx) =>
      resolveFor(args.source ?? undefined, async () => {
        const source = nativeSource(ctx, args.source);
        const point = await source.write(toRaw(args.input, ctx), ctx.now).catch((error: unknown) => {
          if (error instanceof BadUserInputError) ctx.metrics.collectorRejected.inc({ source: source.id });
          throw error;
        });
        return { success: true, message: 'Metric tracked successfully', name: point.name };
      }),
    trackMetrics: (_, args, ctx) =>
      resolveFor(args.source ?? undefined, async () => {
        if (args.inputs.length > MAX_BATCH) {
          throw new BadUserInputError(`trackMetrics takes at most ${MAX_BATCH} inputs; got ${args.inputs.length}`, { field: 'inputs' });
        }
        const source = nativeSource(ctx, args.source);
        // A bad item fails alone; the good ones are stored.
        const written = await source.writeMany(args.inputs.map((input) => toRaw(input, ctx)), ctx.now);
        const results = written.map((outcome, index) =>
          outcome instanceof Error
            ? { index, name: args.inputs[index]!.name, success: false, error: outcome.message }
            : { index, name: outcome.name, success: true, error: null },
        );
        const successful = results.filter((result) => result.success).length;
        if (successful < results.length) ctx.metrics.collectorRejected.inc({ source: source.id }, results.length - successful);
        return { success: successful === results.length, total: results.length, successful, failed: results.length - successful, results };
      }),
  },
};

function nativeSource(ctx: GatewayContext, id: string | null | undefined): NativeSource {
  const source = id != null ? ctx.registry.get(id) : ctx.registry.only('native');
  if (!(source instanceof NativeSource)) {
    throw new BadUserInputError(`source '${source.id}' is a ${source.kind} source; metrics are tracked by native sources`, { field: 'source' });
  }
  return source;
}

/** A caller bound to a tenant writes into it; naming another tenant is refused, not rewritten. */
function tenantFor(input: TrackMetricInput, ctx: GatewayContext): string | null | undefined {
  const tenant = ctx.caller.tenant;
  if (tenant === undefined) return input.tenantId;
  if (input.tenantId != null && input.tenantId !== tenant) {
    throw new ForbiddenError(`tenantId '${input.tenantId}' is not the tenant this credential writes for ('${tenant}'); leave it out`, { field: 'tenantId' });
  }
  return tenant;
}

function toRaw(input: TrackMetricInput, ctx: GatewayContext): RawTrack {
  const now = ctx.now;
  return {
    name: input.name,
    value: input.value,
    type: input.type ?? 'GAUGE',
    labels: input.labels,
    service: input.service,
    tenantId: tenantFor(input, ctx),
    timestamp: input.timestamp ? resolveTime(input.timestamp, now, 'from') : undefined,
    unit: input.unit,
    help: input.help,
  };
}
