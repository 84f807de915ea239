/** Internal shapes behind small GraphQL object types, used by codegen's `mappers`. */
export interface LabelModel {
  key: string;
  value: string;
}

export interface PointModel {
  timestamp: number;
  value: number | null;
}

export interface AggregateGroupModel {
  labels: Record<string, string>;
  others: boolean;
  value: number | null;
  buckets?: { timestamps: number[]; values: Array<number | null> };
  seriesCount: number;
  pushedDown: boolean;
}

export interface TrendModel {
  labels: Record<string, string>;
  intervalMs: number;
  timestamps: number[];
  values: Array<number | null>;
  result: import('../core/trend.js').TrendResult;
}

export interface AllocationShareModel {
  segment: string;
  usage: number;
  units: bigint;
  /** Units of the whole this share is part of (for fraction and percent). */
  of: bigint;
  digits: number;
}

export interface AllocationDayModel {
  day: number;
  units: bigint;
  fellBack: boolean;
  digits: number;
  shares: AllocationShareModel[];
}

export interface AllocationModel {
  units: bigint;
  digits: number;
  currency: string;
  strategy: string;
  per: string;
  from: number;
  to: number;
  shares: AllocationShareModel[];
  days: AllocationDayModel[];
}

export interface MetricStreamEventModel {
  series: import('../core/series.js').Series[];
  backfill: boolean;
}
