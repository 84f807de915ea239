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
