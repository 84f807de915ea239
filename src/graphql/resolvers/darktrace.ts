import { alignedColumn, darktraceExtras } from '../../sources/darktrace/extras.js';
import type { Resolvers } from '../generated/resolvers-types.js';

/**
 * The Darktrace extras on Series (schema/darktrace.graphql). They read `Series.extras`, where the
 * Darktrace adapter keeps in/out, model alerts and device details; series from other sources
 * answer null. In/out are looked up by timestamp, so they stay aligned with `timestamps` after
 * the series was trimmed to the requested range.
 */
export const darktraceResolvers: Resolvers = {
  Series: {
    inbound: (series) => {
      const extras = darktraceExtras(series.extras);
      return extras ? alignedColumn(extras, 'in', series.timestamps) : null;
    },
    outbound: (series) => {
      const extras = darktraceExtras(series.extras);
      return extras ? alignedColumn(extras, 'out', series.timestamps) : null;
    },
    breaches: (series) => darktraceExtras(series.extras)?.breaches ?? null,
    devices: (series) => darktraceExtras(series.extras)?.devices ?? null,
  },
};
