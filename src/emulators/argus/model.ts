/**
 * What the Argus emulator holds: customers, metric descriptors, their records and the API keys
 * that may read or write them. Shapes follow docs.mnemonic.no (metric descriptors and metrics
 * pages) as summarised in research/upstreams.md §2.
 */

export interface ArgusCustomer {
  id: number;
  shortName: string;
  name: string;
}

export type KeyType = 'ip' | 'integer' | 'string';
export type AggregationFunction = 'sum' | 'avg' | 'min' | 'max' | 'wavg';
export type TimeUnit = 'milliseconds' | 'seconds' | 'minutes' | 'hours' | 'days';

export interface ArgusDescriptor {
  id: number;
  /** Unique; paths take it or the numeric id. */
  shortName: string;
  description: string;
  keys: Array<{ name: string; type: KeyType }>;
  values: Array<{ name: string; defaultFunction: Exclude<AggregationFunction, 'wavg'> }>;
  timeFrameSize: number;
  timeFrameSizeUnit: TimeUnit;
  /** Within one time frame, for the same customer and keys: keep the first record, the last, or all. */
  deduplication: 'first' | 'last' | 'none';
  /** Global descriptors hold records that belong to no customer. */
  global: boolean;
  /** Access functions a key needs to read and to write (case-sensitive). */
  readFunction: string;
  writeFunction: string;
}

export interface ArgusRecord {
  timestamp: number;
  /** Null for global descriptors. */
  customer: ArgusCustomer | null;
  keys: Record<string, string | number>;
  values: Record<string, number>;
}

export interface ArgusApiKey {
  key: string;
  user: string;
  /** Access functions granted. */
  functions: string[];
  /** Customers (shortNames) the key may see; absent means every customer. */
  customers?: string[];
  /** The key's own customer: the owner of submitted records when the request names none. */
  defaultCustomer: string;
}

export const UNIT_MS: Record<TimeUnit, number> = {
  milliseconds: 1,
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
};
