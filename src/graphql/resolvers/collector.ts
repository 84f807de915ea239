import { BadUserInputError } from '../../core/errors.js';
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
      resolveFor(args.source ?? undefined, () => {
        const point = nativeSource(ctx, args.source).write(toRaw(args.input, ctx.now), ctx.now);
        return { success: true, message: 'Metric tracked successfully', name: point.name };
      }),
    trackMetrics: (_, args, ctx) =>
      resolveFor(args.source ?? undefined, () => {
        if (args.inputs.length > MAX_BATCH) {
          throw new BadUserInputError(`trackMetrics takes at most ${MAX_BATCH} inputs; got ${args.inputs.length}`, { field: 'inputs' });
        }
        const source = nativeSource(ctx, args.source);
        // A bad item fails alone; the good ones are stored.
        const results = args.inputs.map((input, index) => {
          try {
            return { index, name: source.write(toRaw(input, ctx.now), ctx.now).name, success: true, error: null };
          } catch (error) {
            if (!(error instanceof BadUserInputError)) throw error;
            return { index, name: input.name, success: false, error: error.message };
          }
        });
        const successful = results.filter((result) => result.success).length;
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

function toRaw(input: TrackMetricInput, now: number): RawTrack {
  return {
    name: input.name,
    value: input.value,
    type: input.type ?? 'GAUGE',
    labels: input.labels,
    service: input.service,
    tenantId: input.tenantId,
    timestamp: input.timestamp ? resolveTime(input.timestamp, now, 'from') : undefined,
    unit: input.unit,
    help: input.help,
  };
}
