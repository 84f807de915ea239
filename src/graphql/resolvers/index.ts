import { DecimalScalar, DurationScalar, JSONScalar, TimeScalar } from '../scalars/index.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { allocationResolvers } from './allocation.js';
import { analyticsResolvers } from './analytics.js';
import { collectorResolvers } from './collector.js';
import { metricDataResolvers } from './metric-data.js';
import { sourceResolvers } from './sources.js';

export const resolvers: Resolvers[] = [
  { Time: TimeScalar, Duration: DurationScalar, Decimal: DecimalScalar, JSON: JSONScalar },
  sourceResolvers,
  metricDataResolvers,
  collectorResolvers,
  analyticsResolvers,
  allocationResolvers,
];
