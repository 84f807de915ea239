import { BadUserInputError } from '../../core/errors.js';
import { DynatraceSource } from '../../sources/dynatrace/adapter.js';
import type { IngestReport } from '../../sources/dynatrace/export-ingest/ingestor.js';
import type { GatewayContext } from '../context.js';
import { resolveFor } from '../errors.js';
import type { Resolvers } from '../generated/resolvers-types.js';

/** Export documents of Dynatrace sources: ingest one sent by a client, or see what was ingested. */
export const dynatraceResolvers: Resolvers = {
  Query: {
    dynatraceExports: (_, args, ctx) =>
      resolveFor(args.source ?? undefined, async () => {
        const source = dynatraceSource(ctx, args.source);
        const status = await source.exportStatus();
        return {
          source: source.id,
          documents: status.documents.map(({ doc, ingestedAt, dayRecords }) => ({
            name: doc.name,
            origin: doc.origin === 'file' ? ('FILE' as const) : ('CLIENT' as const),
            format: doc.format === 'export' ? ('EXPORT' as const) : ('QUERY_RESPONSE' as const),
            timeframe: doc.timeframe,
            metrics: doc.metrics.map((metric) => metric.name),
            series: doc.metrics.reduce((sum, metric) => sum + metric.series.length, 0),
            dayRecords,
            notes: doc.notes,
            ingestedAt,
          })),
          rejected: status.rejected.map((rejected) => ({
            ...rejected,
            origin: rejected.origin === 'file' ? ('FILE' as const) : ('CLIENT' as const),
          })),
          problem: status.problem ?? null,
        };
      }),
  },
  Mutation: {
    ingestDynatraceExport: (_, args, ctx) =>
      resolveFor(args.source ?? undefined, async () => {
        const source = dynatraceSource(ctx, args.source);
        const name = args.name ?? undefined;
        if (name !== undefined && (name.trim() === '' || name.length > 200)) {
          throw new BadUserInputError(`name must be 1 to 200 characters naming the document (like a file name); got ${JSON.stringify(name)}`, { field: 'name' });
        }
        return toResult(source.id, await source.ingestExport(args.document, name?.trim()));
      }),
  },
};

function toResult(source: string, report: IngestReport) {
  return {
    source,
    name: report.name,
    status: report.status.toUpperCase() as 'INGESTED' | 'REPLACED' | 'UNCHANGED',
    format: report.format === 'export' ? ('EXPORT' as const) : ('QUERY_RESPONSE' as const),
    timeframe: report.timeframe ?? null,
    metrics: report.metrics,
    series: report.series,
    dayRecords: report.dayRecords,
    notes: report.notes,
  };
}

function dynatraceSource(ctx: GatewayContext, id: string | null | undefined): DynatraceSource {
  const source = id != null ? ctx.registry.get(id) : ctx.registry.only('dynatrace');
  if (!(source instanceof DynatraceSource)) {
    throw new BadUserInputError(`source '${source.id}' is a ${source.kind} source; export documents go to dynatrace sources`, { field: 'source' });
  }
  return source;
}
