import { DecimalScalar, DurationScalar, JSONScalar, TimeScalar } from '../scalars/index.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { allocationResolvers } from './allocation.js';
import { analyticsResolvers } from './analytics.js';
import { argusResolvers } from './argus.js';
import { collectorResolvers } from './collector.js';
import { darktraceResolvers } from './darktrace.js';
import { dynatraceResolvers } from './dynatrace.js';
import { metricDataResolvers } from './metric-data.js';
import { sourceResolvers } from './sources.js';
import { streamResolvers } from './streams.js';

export const resolvers: Resolvers[] = [
  { Time: TimeScalar, Duration: DurationScalar, Decimal: DecimalScalar, JSON: JSONScalar },
  sourceResolvers,
  metricDataResolvers,
  collectorResolvers,
  darktraceResolvers,
  dynatraceResolvers,
  argusResolvers,
  analyticsResolvers,
  allocationResolvers,
  streamResolvers,
];
