/** Internal shapes behind small GraphQL object types, used by codegen's `mappers`. */
export interface LabelModel {
  key: string;
  value: string;
}

export interface PointModel {
  timestamp: number;
  value: number | null;
}
