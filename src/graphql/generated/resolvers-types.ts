import type { TimeSpec } from '../../core/time.js';
import type { Decimal } from 'decimal.js';
import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Series as SeriesModel } from '../../core/series.js';
import type { MetricSource as SourceModel, MetricDescriptor as MetricDescriptorModel } from '../../sources/source.js';
import type { LabelModel, PointModel, AggregateGroupModel, TrendModel, MetricStreamEventModel, AllocationModel, AllocationDayModel, AllocationShareModel } from '../mappers.js';
import type { Anomaly as AnomalyModel } from '../../core/anomalies.js';
import type { ForecastPoint as ForecastPointModel } from '../../core/forecast.js';
import type { GatewayContext } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An exact decimal number, sent as a string (`"10000.00"`) so no precision is lost; input also takes a number. */
  Decimal: { input: Decimal; output: Decimal | string; }
  /**
   * A length of time. Input: `30s`, `5m`, `5min`, `1h`, `1hour`, `1d`, `7day`, `2w`, or a number of
   * seconds. Output: the short form, like `5m`.
   */
  Duration: { input: number; output: number | string; }
  /** Any JSON value. */
  JSON: { input: unknown; output: unknown; }
  /**
   * A point in time. Input: ISO-8601 (`2026-11-01T12:00:00Z`; a time without a zone is UTC), epoch
   * milliseconds (`1793534400000`), or relative to now (`now`, `now-15m`, `now-1d/d`; units s m h d w M y;
   * `/unit` rounds down for `from` and up for `to`). Output: ISO-8601 UTC.
   */
  Time: { input: TimeSpec; output: Date | number | string; }
};

export type AggregateFunction =
  | 'AVG'
  | 'COUNT'
  | 'FIRST'
  | 'LAST'
  | 'MAX'
  | 'MEDIAN'
  | 'MIN'
  /** Any percentile: give `percentile` (0..100), e.g. 95. */
  | 'PERCENTILE'
  /** Per second, counter-reset aware. */
  | 'RATE'
  | 'STDDEV'
  | 'SUM'
  /** Weighted average: give `weightBy`, a weight metric of the same source or a number. */
  | 'WAVG';

/** One group of an aggregation: the value over the whole range and, with `interval`, per bucket. */
export type AggregateGroup = {
  __typename?: 'AggregateGroup';
  /** Per-bucket values on UTC-aligned interval boundaries; null buckets are gaps. */
  buckets?: Maybe<Array<Point>>;
  label?: Maybe<Scalars['String']['output']>;
  labels: Array<Label>;
  /** True for the group that collects everything beyond `limit`. */
  others: Scalars['Boolean']['output'];
  /** Whether the source computed it upstream (true) or the gateway did (false). */
  pushedDown: Scalars['Boolean']['output'];
  /** How many series fell into this group. */
  seriesCount: Scalars['Int']['output'];
  /** Null when the group has no data in the range (no data is not zero). */
  value?: Maybe<Scalars['Float']['output']>;
};


/** One group of an aggregation: the value over the whole range and, with `interval`, per bucket. */
export type AggregateGroupLabelArgs = {
  key: Scalars['String']['input'];
};

export type Allocation = {
  __typename?: 'Allocation';
  currency: Scalars['String']['output'];
  /** One row per day with per DAY; one row for the whole range with per TOTAL. */
  days: Array<AllocationDay>;
  from: Scalars['Time']['output'];
  per: AllocationPeriod;
  shares: Array<AllocationShare>;
  strategy: AllocationStrategy;
  to: Scalars['Time']['output'];
  /** Sum of all amounts; equals the input amount (times the days, per DAY) to the minor unit. */
  total: Scalars['Decimal']['output'];
};

export type AllocationDay = {
  __typename?: 'AllocationDay';
  day: Scalars['Time']['output'];
  /** True when nobody had usage that day and the EVEN fallback split it. */
  fellBack: Scalars['Boolean']['output'];
  shares: Array<AllocationShare>;
  total: Scalars['Decimal']['output'];
};

export type AllocationInput = {
  /** The amount to split; exact, at most the currency's minor-unit decimals. */
  amount: Scalars['Decimal']['input'];
  argus?: InputMaybe<ArgusParams>;
  /** ISO 4217 code; sets the minor unit amounts are rounded to (cents for USD, none for JPY). */
  currency?: InputMaybe<Scalars['String']['input']>;
  darktrace?: InputMaybe<DarktraceParams>;
  dynatrace?: InputMaybe<DynatraceParams>;
  /** EVEN: when no segment has usage, split evenly instead of answering with an error. */
  fallback?: InputMaybe<AllocationStrategy>;
  filters?: InputMaybe<Array<LabelFilter>>;
  /** FIXED: {"acme": "0.5", "globex": "0.5"}; fractions that sum to 1. */
  fixedShares?: InputMaybe<Scalars['JSON']['input']>;
  /**
   * Whole UTC days: from the day of `from` up to `to` (exclusive, like every range here; a `to` on
   * the same day as `from` means that one day). Defaults to yesterday.
   */
  from?: InputMaybe<Scalars['Time']['input']>;
  /** The usage metric. */
  metric: Scalars['String']['input'];
  per?: InputMaybe<AllocationPeriod>;
  /** The label whose values are the segments (customer_id, region, team, ...). */
  segmentBy: Scalars['String']['input'];
  /** Only these segment values take part; each appears in the answer, with zero when it had no usage. */
  segments?: InputMaybe<Array<Scalars['String']['input']>>;
  source: Scalars['ID']['input'];
  strategy: AllocationStrategy;
  to?: InputMaybe<Scalars['Time']['input']>;
  /** WEIGHTED_AVERAGE window, in days (>= 1). Default 7. */
  windowDays?: InputMaybe<Scalars['Int']['input']>;
};

export type AllocationPeriod =
  /** `amount` is per day: each day is split by that day's usage. */
  | 'DAY'
  /** `amount` is for the whole range, split once. */
  | 'TOTAL';

export type AllocationShare = {
  __typename?: 'AllocationShare';
  amount: Scalars['Decimal']['output'];
  /** amount / total. */
  fraction: Scalars['Float']['output'];
  percent: Scalars['Float']['output'];
  segment: Scalars['String']['output'];
  /** The segment's usage over the range. */
  usage: Scalars['Float']['output'];
};

export type AllocationStrategy =
  /** Equal parts among the segments with usage. */
  | 'EVEN'
  /** Shares given in `fixedShares` (segment -> fraction; they must sum to 1). */
  | 'FIXED'
  /** Each segment's share of the metric's total over the range (or over each day, per DAY). */
  | 'PROPORTIONAL_ON'
  /** Shares from each segment's mean daily usage over the trailing `windowDays` ending at the allocation day. */
  | 'WEIGHTED_AVERAGE';

export type Anomaly = {
  __typename?: 'Anomaly';
  /** The rolling baseline's median just before this point. */
  expected: Scalars['Float']['output'];
  /** Robust z-score (MAD-based) against that baseline. */
  score: Scalars['Float']['output'];
  timestamp: Scalars['Time']['output'];
  value: Scalars['Float']['output'];
};

/** Mnemonic Argus metric search parameters. */
export type ArgusParams = {
  customer?: InputMaybe<Array<Scalars['String']['input']>>;
  keys?: InputMaybe<Scalars['JSON']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
  sortBy?: InputMaybe<Array<Scalars['String']['input']>>;
  subCriteria?: InputMaybe<Scalars['JSON']['input']>;
};

/**
 * One Mnemonic Argus metric record. It must carry exactly the descriptor's keys and values: for a
 * descriptor with keys ipAddress and vlan and values packages and frames,
 * `{ keys: { ipAddress: "10.0.0.1", vlan: 10 }, values: { packages: 120, frames: 130 } }`.
 */
export type ArgusRecordInput = {
  /** Every key of the descriptor, by name. */
  keys: Scalars['JSON']['input'];
  /** When it was measured; defaults to now. */
  timestamp?: InputMaybe<Scalars['Time']['input']>;
  /** Every value of the descriptor, by name, as numbers. */
  values: Scalars['JSON']['input'];
};

/** What happened to one submitted record. */
export type ArgusRecordResult = {
  __typename?: 'ArgusRecordResult';
  /** Why the record was not stored; null when it was. */
  error?: Maybe<Scalars['String']['output']>;
  /** The record field at fault, like `records[2].keys.vlan`, when one is. */
  field?: Maybe<Scalars['String']['output']>;
  /** Position in the submitted list. */
  index: Scalars['Int']['output'];
  stored: Scalars['Boolean']['output'];
};

export type ArgusSubmitResult = {
  __typename?: 'ArgusSubmitResult';
  descriptor: Scalars['String']['output'];
  refused: Scalars['Int']['output'];
  results: Array<ArgusRecordResult>;
  stored: Scalars['Int']['output'];
  /** True when every record was stored. */
  success: Scalars['Boolean']['output'];
  total: Scalars['Int']['output'];
};

/** A Darktrace model alert ("model breach") in a series' window, from `darktrace: { breachtimes: true }`. */
export type DarktraceBreach = {
  __typename?: 'DarktraceBreach';
  /** Model name, e.g. `Compromise::Beaconing Activity To External Rare`. */
  name?: Maybe<Scalars['String']['output']>;
  /** Model alert id (the appliance's pbid). */
  pbid: Scalars['Int']['output'];
  /** Id of the model that fired (pid). */
  pid?: Maybe<Scalars['Int']['output']>;
  /** Alert score from 0 to 1. */
  score?: Maybe<Scalars['Float']['output']>;
  time: Scalars['Time']['output'];
};

/** A device as the Darktrace appliance describes it, from `darktrace: { fulldevicedetails: true }`. */
export type DarktraceDevice = {
  __typename?: 'DarktraceDevice';
  /** The device object exactly as the appliance sent it. */
  details?: Maybe<Scalars['JSON']['output']>;
  /** Device id (the appliance's did). */
  did: Scalars['Int']['output'];
  firstSeen?: Maybe<Scalars['Time']['output']>;
  hostname?: Maybe<Scalars['String']['output']>;
  ip?: Maybe<Scalars['String']['output']>;
  ips: Array<DarktraceDeviceIp>;
  lastSeen?: Maybe<Scalars['Time']['output']>;
  macaddress?: Maybe<Scalars['String']['output']>;
  os?: Maybe<Scalars['String']['output']>;
  /** Subnet id. */
  sid?: Maybe<Scalars['Int']['output']>;
  /** Names of the tags applied to the device. */
  tags: Array<Scalars['String']['output']>;
  /** Device type in readable form (Desktop, Server, ...). */
  typelabel?: Maybe<Scalars['String']['output']>;
  /** Device type in system form (desktop, server, ...). */
  typename?: Maybe<Scalars['String']['output']>;
  /** Network card vendor, derived from the MAC address. */
  vendor?: Maybe<Scalars['String']['output']>;
};

/** One address a Darktrace device has had. */
export type DarktraceDeviceIp = {
  __typename?: 'DarktraceDeviceIp';
  ip: Scalars['String']['output'];
  /** Subnet id. */
  sid?: Maybe<Scalars['Int']['output']>;
  /** When the device was last seen with it. */
  time?: Maybe<Scalars['Time']['output']>;
};

/** Darktrace /metricdata parameters, as the appliance names them. */
export type DarktraceParams = {
  applicationprotocol?: InputMaybe<Scalars['String']['input']>;
  breachtimes?: InputMaybe<Scalars['Boolean']['input']>;
  ddid?: InputMaybe<Scalars['Int']['input']>;
  destinationport?: InputMaybe<Scalars['Int']['input']>;
  devices?: InputMaybe<Array<Scalars['String']['input']>>;
  did?: InputMaybe<Scalars['Int']['input']>;
  fulldevicedetails?: InputMaybe<Scalars['Boolean']['input']>;
  odid?: InputMaybe<Scalars['Int']['input']>;
  port?: InputMaybe<Scalars['Int']['input']>;
  protocol?: InputMaybe<Scalars['String']['input']>;
  sourceport?: InputMaybe<Scalars['Int']['input']>;
};

export type DynatraceDocumentOrigin =
  | 'CLIENT'
  | 'FILE';

/** An ingested export document. */
export type DynatraceExportDocument = {
  __typename?: 'DynatraceExportDocument';
  dayRecords: Scalars['Int']['output'];
  format: DynatraceExportFormat;
  ingestedAt: Scalars['Time']['output'];
  metrics: Array<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  notes: Array<Scalars['String']['output']>;
  origin: DynatraceDocumentOrigin;
  series: Scalars['Int']['output'];
  timeframe: DynatraceTimeframe;
};

export type DynatraceExportFormat =
  /** The export format: timeframe + metrics[].data[] with dimensions, timestamps (slot starts) and values. */
  | 'EXPORT'
  /** A saved GET /api/v2/metrics/query answer: resolution + result[].data[] with dimensionMap, timestamps (slot ends) and values. */
  | 'QUERY_RESPONSE';

export type DynatraceExports = {
  __typename?: 'DynatraceExports';
  /** Ingested documents in the order they apply: by timeframe, oldest first. */
  documents: Array<DynatraceExportDocument>;
  /** Why the export directory cannot be read or watched, when it cannot. */
  problem?: Maybe<Scalars['String']['output']>;
  /** The most recent refusals (up to 100). */
  rejected: Array<DynatraceRejectedDocument>;
  source: Scalars['ID']['output'];
};

/** What ingesting one export document did. */
export type DynatraceIngestResult = {
  __typename?: 'DynatraceIngestResult';
  /** (metric, labels, UTC day) usage records it holds values for. */
  dayRecords: Scalars['Int']['output'];
  format: DynatraceExportFormat;
  /** The metrics it holds, by the names queries use. */
  metrics: Array<Scalars['String']['output']>;
  /** The file name, the name the client gave, or sha256-<hash> for an unnamed document. */
  name: Scalars['String']['output'];
  /** Things worth knowing that did not stop ingestion (a timeframe not aligned to UTC days, Dynatrace's warnings). */
  notes: Array<Scalars['String']['output']>;
  series: Scalars['Int']['output'];
  source: Scalars['ID']['output'];
  status: DynatraceIngestStatus;
  /** What the document covers; null when it holds no data points. */
  timeframe?: Maybe<DynatraceTimeframe>;
};

export type DynatraceIngestStatus =
  /** New data was stored. */
  | 'INGESTED'
  /** The document replaced an earlier one of the same name. */
  | 'REPLACED'
  /** The same content was already ingested; nothing changed. */
  | 'UNCHANGED';

/** Where a Dynatrace query is answered from. */
export type DynatraceOrigin =
  /** The Metrics API only. */
  | 'API'
  /**
   * Ingested export files when they cover every UTC day of the range for every metric asked and the
   * query fits day records (from and to on UTC midnights, interval of whole days or none, no
   * entitySelector, mzSelector or aggregation); otherwise the Metrics API.
   */
  | 'AUTO'
  /** Ingested export files only. Days they do not cover are gaps (null), with a warning. */
  | 'EXPORTS';

/** Dynatrace Metrics API v2 selectors, passed through. */
export type DynatraceParams = {
  /** How values aggregate in each time slot: auto, avg, count, max, median, min, sum, value or percentile(N). */
  aggregation?: InputMaybe<Scalars['String']['input']>;
  entitySelector?: InputMaybe<Scalars['String']['input']>;
  mzSelector?: InputMaybe<Scalars['String']['input']>;
  /** Where the answer comes from; AUTO when not given. */
  origin?: InputMaybe<DynatraceOrigin>;
  /**
   * Dimension keys to keep, merging the rest (`:splitBy`); an empty list merges every series into
   * one. Without it each series keeps all its dimensions.
   */
  splitBy?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** An export document that was refused: nothing of it was stored. */
export type DynatraceRejectedDocument = {
  __typename?: 'DynatraceRejectedDocument';
  at: Scalars['Time']['output'];
  name: Scalars['String']['output'];
  origin: DynatraceDocumentOrigin;
  /** Where in the JSON the problem is, like $.metrics[0].data[2].values[5]. */
  path: Scalars['String']['output'];
  reason: Scalars['String']['output'];
};

/** A time span [from, to) in UTC. */
export type DynatraceTimeframe = {
  __typename?: 'DynatraceTimeframe';
  from: Scalars['Time']['output'];
  to: Scalars['Time']['output'];
};

export type ForecastPoint = {
  __typename?: 'ForecastPoint';
  /** Lower edge of the ~95% band. */
  lower: Scalars['Float']['output'];
  timestamp: Scalars['Time']['output'];
  upper: Scalars['Float']['output'];
  value: Scalars['Float']['output'];
};

export type Label = {
  __typename?: 'Label';
  key: Scalars['String']['output'];
  value: Scalars['String']['output'];
};

/** Keeps series whose label `key` has one of `values` (or, with `exclude`, none of them). */
export type LabelFilter = {
  exclude?: InputMaybe<Scalars['Boolean']['input']>;
  key: Scalars['String']['input'];
  values: Array<Scalars['String']['input']>;
};

/** A metric a source can answer for. */
export type MetricDescriptor = {
  __typename?: 'MetricDescriptor';
  description?: Maybe<Scalars['String']['output']>;
  /** The name to use in queries. */
  name: Scalars['String']['output'];
  source: Scalars['ID']['output'];
  /** counter, gauge, histogram or summary, when the source says. */
  type?: Maybe<Scalars['String']['output']>;
  unit?: Maybe<Scalars['String']['output']>;
  /** The source's own name for it, when it differs. */
  upstreamName?: Maybe<Scalars['String']['output']>;
};

/** One event of a live stream: the first carries the recent window (backfill), later ones only new points. */
export type MetricStreamEvent = {
  __typename?: 'MetricStreamEvent';
  /** True for the first event, which carries the backfill window. */
  backfill: Scalars['Boolean']['output'];
  series: Array<Series>;
};

export type MetricType =
  | 'COUNTER'
  | 'GAUGE'
  | 'HISTOGRAM'
  | 'SUMMARY';

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Ingests an export document (either format) into a Dynatrace source, by the same rules as files
   * in its exportDir: checked whole before anything is stored, applied in timeframe order, and
   * idempotent (the same content again changes nothing; a new version under the same name replaces
   * the old). A refused document fails with BAD_USER_INPUT naming the JSON path and the reason.
   * Ingested documents live in memory; files in exportDir survive a restart.
   */
  ingestDynatraceExport: DynatraceIngestResult;
  /**
   * Stores records for an Argus metric descriptor (`source` picks one when several Argus sources are
   * configured). Every record is checked against the descriptor first. Without `ignoreOnFailed` one
   * bad record stops the whole submit and nothing is stored; with it, the valid records are stored
   * and the others are reported. `customer` owns the records (id or shortName; default: the API key's
   * own customer; global descriptors take none). Never retried: when no answer comes, the error says
   * the records may or may not have been stored.
   */
  submitArgusMetrics: ArgusSubmitResult;
  /** Stores one point in the native collector (`source` picks one when several are configured). */
  trackMetric: TrackResult;
  /** Stores many points; a bad item fails alone and the good ones are stored. */
  trackMetrics: TrackBatchResult;
};


export type MutationIngestDynatraceExportArgs = {
  document: Scalars['JSON']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  source?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationSubmitArgusMetricsArgs = {
  customer?: InputMaybe<Scalars['String']['input']>;
  descriptor: Scalars['String']['input'];
  ignoreOnFailed?: InputMaybe<Scalars['Boolean']['input']>;
  records: Array<ArgusRecordInput>;
  source?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationTrackMetricArgs = {
  input: TrackMetricInput;
  source?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationTrackMetricsArgs = {
  inputs: Array<TrackMetricInput>;
  source?: InputMaybe<Scalars['ID']['input']>;
};

export type Point = {
  __typename?: 'Point';
  timestamp: Scalars['Time']['output'];
  /** Null is a gap: the source had no data for this timestamp. */
  value?: Maybe<Scalars['Float']['output']>;
};

export type Query = {
  __typename?: 'Query';
  /**
   * Aggregates a metric per group (label set) over the range, and per UTC-aligned bucket when
   * `interval` is given. Pushed down to the source when it can compute it; computed in the gateway
   * otherwise, with the same result. With `limit`, the top groups by value are kept and the rest
   * merge into one group with `others: true`.
   */
  aggregate?: Maybe<Array<AggregateGroup>>;
  /** Splits an amount across the segments of a usage metric from any source. */
  allocation: Allocation;
  /** Export documents a Dynatrace source has ingested and refused. `source` picks one when several are configured. */
  dynatraceExports: DynatraceExports;
  /**
   * Series for one or more metrics from one source. Give `metric` or `metrics`. The range defaults to
   * the last hour and must have `from` before `to`. With `interval` the series are resampled onto
   * UTC-aligned steps; without it the source's own resolution is kept. Null when the source fails:
   * the error names the source and its code, and the rest of the response is unaffected.
   */
  metricData?: Maybe<Array<Series>>;
  /**
   * Metric discovery. Without `source`, every source that supports discovery is asked; a source that
   * fails adds an error and leaves the others' answers in place. `search` matches names and descriptions.
   */
  metrics?: Maybe<Array<MetricDescriptor>>;
  /** Every configured source with its current health. */
  sources: Array<Source>;
  /**
   * Where a metric is heading over the range, per group when grouped by labels. Series in one group
   * are combined per bucket with `combine` (default: SUM for counters, AVG otherwise). `interval`
   * defaults to a step that gives about 100 buckets.
   */
  trend?: Maybe<Array<Trend>>;
};


export type QueryAggregateArgs = {
  argus?: InputMaybe<ArgusParams>;
  darktrace?: InputMaybe<DarktraceParams>;
  dynatrace?: InputMaybe<DynatraceParams>;
  filters?: InputMaybe<Array<LabelFilter>>;
  from?: InputMaybe<Scalars['Time']['input']>;
  function: AggregateFunction;
  groupBy?: InputMaybe<Array<Scalars['String']['input']>>;
  interval?: InputMaybe<Scalars['Duration']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  metric: Scalars['String']['input'];
  percentile?: InputMaybe<Scalars['Float']['input']>;
  source: Scalars['ID']['input'];
  to?: InputMaybe<Scalars['Time']['input']>;
  weightBy?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAllocationArgs = {
  input: AllocationInput;
};


export type QueryDynatraceExportsArgs = {
  source?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryMetricDataArgs = {
  argus?: InputMaybe<ArgusParams>;
  darktrace?: InputMaybe<DarktraceParams>;
  dynatrace?: InputMaybe<DynatraceParams>;
  filters?: InputMaybe<Array<LabelFilter>>;
  from?: InputMaybe<Scalars['Time']['input']>;
  interval?: InputMaybe<Scalars['Duration']['input']>;
  metric?: InputMaybe<Scalars['String']['input']>;
  metrics?: InputMaybe<Array<Scalars['String']['input']>>;
  source: Scalars['ID']['input'];
  to?: InputMaybe<Scalars['Time']['input']>;
};


export type QueryMetricsArgs = {
  search?: InputMaybe<Scalars['String']['input']>;
  source?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryTrendArgs = {
  anomalyThreshold?: InputMaybe<Scalars['Float']['input']>;
  argus?: InputMaybe<ArgusParams>;
  combine?: InputMaybe<AggregateFunction>;
  darktrace?: InputMaybe<DarktraceParams>;
  dynatrace?: InputMaybe<DynatraceParams>;
  filters?: InputMaybe<Array<LabelFilter>>;
  forecastIntervals?: InputMaybe<Scalars['Int']['input']>;
  from?: InputMaybe<Scalars['Time']['input']>;
  groupBy?: InputMaybe<Array<Scalars['String']['input']>>;
  interval?: InputMaybe<Scalars['Duration']['input']>;
  metric: Scalars['String']['input'];
  source: Scalars['ID']['input'];
  stableBand?: InputMaybe<Scalars['Float']['input']>;
  to?: InputMaybe<Scalars['Time']['input']>;
};

/** One time series: a metric for one set of label values. */
export type Series = {
  __typename?: 'Series';
  /** Darktrace: model alerts in the window, when the query set `darktrace: { breachtimes: true }`; otherwise null. */
  breaches?: Maybe<Array<DarktraceBreach>>;
  /** Darktrace: the devices the data refers to, when the query set `darktrace: { fulldevicedetails: true }`; otherwise null. */
  devices?: Maybe<Array<DarktraceDevice>>;
  /**
   * Darktrace: the inbound part of each value (`in`: events or bytes, depending on the metric),
   * aligned with `timestamps`; `values` holds in + out. Null on series from other sources.
   */
  inbound?: Maybe<Array<Maybe<Scalars['Float']['output']>>>;
  /** Step between points for regular series; null for raw points. */
  interval?: Maybe<Scalars['Duration']['output']>;
  label?: Maybe<Scalars['String']['output']>;
  labels: Array<Label>;
  metric: Scalars['String']['output'];
  /** Darktrace: the outbound part of each value (`out`), aligned with `timestamps`. Null on series from other sources. */
  outbound?: Maybe<Array<Maybe<Scalars['Float']['output']>>>;
  points: Array<Point>;
  source: Scalars['ID']['output'];
  /** Point times as epoch milliseconds, aligned with `values`. */
  timestamps: Array<Scalars['Float']['output']>;
  unit?: Maybe<Scalars['String']['output']>;
  /** The source's own name for the metric, when it differs from `metric`. */
  upstreamMetric?: Maybe<Scalars['String']['output']>;
  /** Point values aligned with `timestamps`; null is a gap, never a zero. */
  values: Array<Maybe<Scalars['Float']['output']>>;
};


/** One time series: a metric for one set of label values. */
export type SeriesLabelArgs = {
  key: Scalars['String']['input'];
};

/** A configured metric source: one vendor appliance or tenant, or the gateway's own collector. */
export type Source = {
  __typename?: 'Source';
  healthy: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
  kind: SourceKind;
  /** How long the health check took, in milliseconds. */
  latencyMs?: Maybe<Scalars['Int']['output']>;
  /** Why the source is unhealthy, or a short status line. */
  message?: Maybe<Scalars['String']['output']>;
};

export type SourceKind =
  | 'ARGUS'
  | 'DARKTRACE'
  | 'DYNATRACE'
  | 'NATIVE';

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Live points of one or more metrics. The first event is the backfill (the last `backfill`, default
   * 15m); each later event carries only points not sent before, per series, in timestamp order.
   * Pushed native metrics arrive at once; other sources are polled every `interval` (not below the
   * source's minimum), once per distinct stream however many clients follow it. When the source
   * fails, an event with an error arrives and the stream goes on once it recovers.
   */
  metricStream: MetricStreamEvent;
};


export type SubscriptionMetricStreamArgs = {
  argus?: InputMaybe<ArgusParams>;
  backfill?: InputMaybe<Scalars['Duration']['input']>;
  darktrace?: InputMaybe<DarktraceParams>;
  dynatrace?: InputMaybe<DynatraceParams>;
  filters?: InputMaybe<Array<LabelFilter>>;
  interval?: InputMaybe<Scalars['Duration']['input']>;
  metric?: InputMaybe<Scalars['String']['input']>;
  metrics?: InputMaybe<Array<Scalars['String']['input']>>;
  source: Scalars['ID']['input'];
};

export type TrackBatchResult = {
  __typename?: 'TrackBatchResult';
  failed: Scalars['Int']['output'];
  results: Array<TrackItemResult>;
  success: Scalars['Boolean']['output'];
  successful: Scalars['Int']['output'];
  total: Scalars['Int']['output'];
};

export type TrackItemResult = {
  __typename?: 'TrackItemResult';
  /** Why this item was refused; null when it was stored. */
  error?: Maybe<Scalars['String']['output']>;
  index: Scalars['Int']['output'];
  name?: Maybe<Scalars['String']['output']>;
  success: Scalars['Boolean']['output'];
};

/**
 * One pushed point. The name is sanitised as Prometheus requires (characters outside [A-Za-z0-9_]
 * become `_`; a name not starting with a letter gets a `metric_` prefix). A COUNTER value is an
 * increment (>= 0); gauges are the current value; histograms and summaries are one observation.
 */
export type TrackMetricInput = {
  /** What the metric measures; becomes its description and Prometheus HELP. */
  help?: InputMaybe<Scalars['String']['input']>;
  /** Label names to string values. */
  labels?: InputMaybe<Scalars['JSON']['input']>;
  name: Scalars['String']['input'];
  service?: InputMaybe<Scalars['String']['input']>;
  tenantId?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; defaults to now. */
  timestamp?: InputMaybe<Scalars['Time']['input']>;
  type?: InputMaybe<MetricType>;
  /** Unit of the value (ms, bytes, requests); kept per metric. */
  unit?: InputMaybe<Scalars['String']['input']>;
  value: Scalars['Float']['input'];
};

export type TrackResult = {
  __typename?: 'TrackResult';
  message: Scalars['String']['output'];
  /** The stored metric name after sanitising. */
  name: Scalars['String']['output'];
  success: Scalars['Boolean']['output'];
};

export type Trend = {
  __typename?: 'Trend';
  anomalies: Array<Anomaly>;
  /** (last - first) / |first| in percent; null when first is 0 and last is not. */
  changePercent?: Maybe<Scalars['Float']['output']>;
  direction: TrendDirection;
  first?: Maybe<Scalars['Float']['output']>;
  /** The next `forecastIntervals` buckets, by Holt's linear smoothing. */
  forecast: Array<ForecastPoint>;
  interval: Scalars['Duration']['output'];
  label?: Maybe<Scalars['String']['output']>;
  labels: Array<Label>;
  last?: Maybe<Scalars['Float']['output']>;
  max?: Maybe<Scalars['Float']['output']>;
  mean?: Maybe<Scalars['Float']['output']>;
  min?: Maybe<Scalars['Float']['output']>;
  /** Buckets with data. */
  points: Scalars['Int']['output'];
  /** The bucket values the trend was computed on. */
  series: Array<Point>;
  /** Least-squares slope per hour. */
  slopePerHour?: Maybe<Scalars['Float']['output']>;
};


export type TrendLabelArgs = {
  key: Scalars['String']['input'];
};

export type TrendDirection =
  | 'DECREASING'
  | 'INCREASING'
  | 'STABLE';



export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  AggregateFunction: AggregateFunction;
  AggregateGroup: ResolverTypeWrapper<AggregateGroupModel>;
  Allocation: ResolverTypeWrapper<AllocationModel>;
  AllocationDay: ResolverTypeWrapper<AllocationDayModel>;
  AllocationInput: AllocationInput;
  AllocationPeriod: AllocationPeriod;
  AllocationShare: ResolverTypeWrapper<AllocationShareModel>;
  AllocationStrategy: AllocationStrategy;
  Anomaly: ResolverTypeWrapper<AnomalyModel>;
  ArgusParams: ArgusParams;
  ArgusRecordInput: ArgusRecordInput;
  ArgusRecordResult: ResolverTypeWrapper<ArgusRecordResult>;
  ArgusSubmitResult: ResolverTypeWrapper<ArgusSubmitResult>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  DarktraceBreach: ResolverTypeWrapper<DarktraceBreach>;
  DarktraceDevice: ResolverTypeWrapper<DarktraceDevice>;
  DarktraceDeviceIp: ResolverTypeWrapper<DarktraceDeviceIp>;
  DarktraceParams: DarktraceParams;
  Decimal: ResolverTypeWrapper<Scalars['Decimal']['output']>;
  Duration: ResolverTypeWrapper<Scalars['Duration']['output']>;
  DynatraceDocumentOrigin: DynatraceDocumentOrigin;
  DynatraceExportDocument: ResolverTypeWrapper<DynatraceExportDocument>;
  DynatraceExportFormat: DynatraceExportFormat;
  DynatraceExports: ResolverTypeWrapper<DynatraceExports>;
  DynatraceIngestResult: ResolverTypeWrapper<DynatraceIngestResult>;
  DynatraceIngestStatus: DynatraceIngestStatus;
  DynatraceOrigin: DynatraceOrigin;
  DynatraceParams: DynatraceParams;
  DynatraceRejectedDocument: ResolverTypeWrapper<DynatraceRejectedDocument>;
  DynatraceTimeframe: ResolverTypeWrapper<DynatraceTimeframe>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  ForecastPoint: ResolverTypeWrapper<ForecastPointModel>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  Label: ResolverTypeWrapper<LabelModel>;
  LabelFilter: LabelFilter;
  MetricDescriptor: ResolverTypeWrapper<MetricDescriptorModel>;
  MetricStreamEvent: ResolverTypeWrapper<MetricStreamEventModel>;
  MetricType: MetricType;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Point: ResolverTypeWrapper<PointModel>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Series: ResolverTypeWrapper<SeriesModel>;
  Source: ResolverTypeWrapper<SourceModel>;
  SourceKind: SourceKind;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Time: ResolverTypeWrapper<Scalars['Time']['output']>;
  TrackBatchResult: ResolverTypeWrapper<TrackBatchResult>;
  TrackItemResult: ResolverTypeWrapper<TrackItemResult>;
  TrackMetricInput: TrackMetricInput;
  TrackResult: ResolverTypeWrapper<TrackResult>;
  Trend: ResolverTypeWrapper<TrendModel>;
  TrendDirection: TrendDirection;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AggregateGroup: AggregateGroupModel;
  Allocation: AllocationModel;
  AllocationDay: AllocationDayModel;
  AllocationInput: AllocationInput;
  AllocationShare: AllocationShareModel;
  Anomaly: AnomalyModel;
  ArgusParams: ArgusParams;
  ArgusRecordInput: ArgusRecordInput;
  ArgusRecordResult: ArgusRecordResult;
  ArgusSubmitResult: ArgusSubmitResult;
  Boolean: Scalars['Boolean']['output'];
  DarktraceBreach: DarktraceBreach;
  DarktraceDevice: DarktraceDevice;
  DarktraceDeviceIp: DarktraceDeviceIp;
  DarktraceParams: DarktraceParams;
  Decimal: Scalars['Decimal']['output'];
  Duration: Scalars['Duration']['output'];
  DynatraceExportDocument: DynatraceExportDocument;
  DynatraceExports: DynatraceExports;
  DynatraceIngestResult: DynatraceIngestResult;
  DynatraceParams: DynatraceParams;
  DynatraceRejectedDocument: DynatraceRejectedDocument;
  DynatraceTimeframe: DynatraceTimeframe;
  Float: Scalars['Float']['output'];
  ForecastPoint: ForecastPointModel;
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  JSON: Scalars['JSON']['output'];
  Label: LabelModel;
  LabelFilter: LabelFilter;
  MetricDescriptor: MetricDescriptorModel;
  MetricStreamEvent: MetricStreamEventModel;
  Mutation: Record<PropertyKey, never>;
  Point: PointModel;
  Query: Record<PropertyKey, never>;
  Series: SeriesModel;
  Source: SourceModel;
  String: Scalars['String']['output'];
  Subscription: Record<PropertyKey, never>;
  Time: Scalars['Time']['output'];
  TrackBatchResult: TrackBatchResult;
  TrackItemResult: TrackItemResult;
  TrackMetricInput: TrackMetricInput;
  TrackResult: TrackResult;
  Trend: TrendModel;
};

export type AggregateGroupResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['AggregateGroup'] = ResolversParentTypes['AggregateGroup']> = {
  buckets?: Resolver<Maybe<Array<ResolversTypes['Point']>>, ParentType, ContextType>;
  label?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType, RequireFields<AggregateGroupLabelArgs, 'key'>>;
  labels?: Resolver<Array<ResolversTypes['Label']>, ParentType, ContextType>;
  others?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  pushedDown?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  seriesCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  value?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type AllocationResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Allocation'] = ResolversParentTypes['Allocation']> = {
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  days?: Resolver<Array<ResolversTypes['AllocationDay']>, ParentType, ContextType>;
  from?: Resolver<ResolversTypes['Time'], ParentType, ContextType>;
  per?: Resolver<ResolversTypes['AllocationPeriod'], ParentType, ContextType>;
  shares?: Resolver<Array<ResolversTypes['AllocationShare']>, ParentType, ContextType>;
  strategy?: Resolver<ResolversTypes['AllocationStrategy'], ParentType, ContextType>;
  to?: Resolver<ResolversTypes['Time'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
};

export type AllocationDayResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['AllocationDay'] = ResolversParentTypes['AllocationDay']> = {
  day?: Resolver<ResolversTypes['Time'], ParentType, ContextType>;
  fellBack?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  shares?: Resolver<Array<ResolversTypes['AllocationShare']>, ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
};

export type AllocationShareResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['AllocationShare'] = ResolversParentTypes['AllocationShare']> = {
  amount?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  fraction?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  percent?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  segment?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  usage?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type AnomalyResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Anomaly'] = ResolversParentTypes['Anomaly']> = {
  expected?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  timestamp?: Resolver<ResolversTypes['Time'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type ArgusRecordResultResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['ArgusRecordResult'] = ResolversParentTypes['ArgusRecordResult']> = {
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  field?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  index?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  stored?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type ArgusSubmitResultResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['ArgusSubmitResult'] = ResolversParentTypes['ArgusSubmitResult']> = {
  descriptor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  refused?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  results?: Resolver<Array<ResolversTypes['ArgusRecordResult']>, ParentType, ContextType>;
  stored?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  success?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type DarktraceBreachResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['DarktraceBreach'] = ResolversParentTypes['DarktraceBreach']> = {
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  pbid?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  pid?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  score?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  time?: Resolver<ResolversTypes['Time'], ParentType, ContextType>;
};

export type DarktraceDeviceResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['DarktraceDevice'] = ResolversParentTypes['DarktraceDevice']> = {
  details?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  did?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  firstSeen?: Resolver<Maybe<ResolversTypes['Time']>, ParentType, ContextType>;
  hostname?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  ip?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  ips?: Resolver<Array<ResolversTypes['DarktraceDeviceIp']>, ParentType, ContextType>;
  lastSeen?: Resolver<Maybe<ResolversTypes['Time']>, ParentType, ContextType>;
  macaddress?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  os?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  sid?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  tags?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  typelabel?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  typename?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  vendor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type DarktraceDeviceIpResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['DarktraceDeviceIp'] = ResolversParentTypes['DarktraceDeviceIp']> = {
  ip?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  sid?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  time?: Resolver<Maybe<ResolversTypes['Time']>, ParentType, ContextType>;
};

export interface DecimalScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Decimal'], any> {
  name: 'Decimal';
}

export interface DurationScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Duration'], any> {
  name: 'Duration';
}

export type DynatraceExportDocumentResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['DynatraceExportDocument'] = ResolversParentTypes['DynatraceExportDocument']> = {
  dayRecords?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  format?: Resolver<ResolversTypes['DynatraceExportFormat'], ParentType, ContextType>;
  ingestedAt?: Resolver<ResolversTypes['Time'], ParentType, ContextType>;
  metrics?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  notes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  origin?: Resolver<ResolversTypes['DynatraceDocumentOrigin'], ParentType, ContextType>;
  series?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  timeframe?: Resolver<ResolversTypes['DynatraceTimeframe'], ParentType, ContextType>;
};

export type DynatraceExportsResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['DynatraceExports'] = ResolversParentTypes['DynatraceExports']> = {
  documents?: Resolver<Array<ResolversTypes['DynatraceExportDocument']>, ParentType, ContextType>;
  problem?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  rejected?: Resolver<Array<ResolversTypes['DynatraceRejectedDocument']>, ParentType, ContextType>;
  source?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type DynatraceIngestResultResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['DynatraceIngestResult'] = ResolversParentTypes['DynatraceIngestResult']> = {
  dayRecords?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  format?: Resolver<ResolversTypes['DynatraceExportFormat'], ParentType, ContextType>;
  metrics?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  notes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  series?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['DynatraceIngestStatus'], ParentType, ContextType>;
  timeframe?: Resolver<Maybe<ResolversTypes['DynatraceTimeframe']>, ParentType, ContextType>;
};

export type DynatraceRejectedDocumentResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['DynatraceRejectedDocument'] = ResolversParentTypes['DynatraceRejectedDocument']> = {
  at?: Resolver<ResolversTypes['Time'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  origin?: Resolver<ResolversTypes['DynatraceDocumentOrigin'], ParentType, ContextType>;
  path?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type DynatraceTimeframeResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['DynatraceTimeframe'] = ResolversParentTypes['DynatraceTimeframe']> = {
  from?: Resolver<ResolversTypes['Time'], ParentType, ContextType>;
  to?: Resolver<ResolversTypes['Time'], ParentType, ContextType>;
};

export type ForecastPointResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['ForecastPoint'] = ResolversParentTypes['ForecastPoint']> = {
  lower?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  timestamp?: Resolver<ResolversTypes['Time'], ParentType, ContextType>;
  upper?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type LabelResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Label'] = ResolversParentTypes['Label']> = {
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MetricDescriptorResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['MetricDescriptor'] = ResolversParentTypes['MetricDescriptor']> = {
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  type?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  unit?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  upstreamName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type MetricStreamEventResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['MetricStreamEvent'] = ResolversParentTypes['MetricStreamEvent']> = {
  backfill?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  series?: Resolver<Array<ResolversTypes['Series']>, ParentType, ContextType>;
};

export type MutationResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  ingestDynatraceExport?: Resolver<ResolversTypes['DynatraceIngestResult'], ParentType, ContextType, RequireFields<MutationIngestDynatraceExportArgs, 'document'>>;
  submitArgusMetrics?: Resolver<ResolversTypes['ArgusSubmitResult'], ParentType, ContextType, RequireFields<MutationSubmitArgusMetricsArgs, 'descriptor' | 'ignoreOnFailed' | 'records'>>;
  trackMetric?: Resolver<ResolversTypes['TrackResult'], ParentType, ContextType, RequireFields<MutationTrackMetricArgs, 'input'>>;
  trackMetrics?: Resolver<ResolversTypes['TrackBatchResult'], ParentType, ContextType, RequireFields<MutationTrackMetricsArgs, 'inputs'>>;
};

export type PointResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Point'] = ResolversParentTypes['Point']> = {
  timestamp?: Resolver<ResolversTypes['Time'], ParentType, ContextType>;
  value?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  aggregate?: Resolver<Maybe<Array<ResolversTypes['AggregateGroup']>>, ParentType, ContextType, RequireFields<QueryAggregateArgs, 'function' | 'metric' | 'source'>>;
  allocation?: Resolver<ResolversTypes['Allocation'], ParentType, ContextType, RequireFields<QueryAllocationArgs, 'input'>>;
  dynatraceExports?: Resolver<ResolversTypes['DynatraceExports'], ParentType, ContextType, Partial<QueryDynatraceExportsArgs>>;
  metricData?: Resolver<Maybe<Array<ResolversTypes['Series']>>, ParentType, ContextType, RequireFields<QueryMetricDataArgs, 'source'>>;
  metrics?: Resolver<Maybe<Array<ResolversTypes['MetricDescriptor']>>, ParentType, ContextType, Partial<QueryMetricsArgs>>;
  sources?: Resolver<Array<ResolversTypes['Source']>, ParentType, ContextType>;
  trend?: Resolver<Maybe<Array<ResolversTypes['Trend']>>, ParentType, ContextType, RequireFields<QueryTrendArgs, 'anomalyThreshold' | 'forecastIntervals' | 'metric' | 'source' | 'stableBand'>>;
};

export type SeriesResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Series'] = ResolversParentTypes['Series']> = {
  breaches?: Resolver<Maybe<Array<ResolversTypes['DarktraceBreach']>>, ParentType, ContextType>;
  devices?: Resolver<Maybe<Array<ResolversTypes['DarktraceDevice']>>, ParentType, ContextType>;
  inbound?: Resolver<Maybe<Array<Maybe<ResolversTypes['Float']>>>, ParentType, ContextType>;
  interval?: Resolver<Maybe<ResolversTypes['Duration']>, ParentType, ContextType>;
  label?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType, RequireFields<SeriesLabelArgs, 'key'>>;
  labels?: Resolver<Array<ResolversTypes['Label']>, ParentType, ContextType>;
  metric?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  outbound?: Resolver<Maybe<Array<Maybe<ResolversTypes['Float']>>>, ParentType, ContextType>;
  points?: Resolver<Array<ResolversTypes['Point']>, ParentType, ContextType>;
  source?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  timestamps?: Resolver<Array<ResolversTypes['Float']>, ParentType, ContextType>;
  unit?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  upstreamMetric?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  values?: Resolver<Array<Maybe<ResolversTypes['Float']>>, ParentType, ContextType>;
};

export type SourceResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Source'] = ResolversParentTypes['Source']> = {
  healthy?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['SourceKind'], ParentType, ContextType>;
  latencyMs?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  message?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  metricStream?: SubscriptionResolver<ResolversTypes['MetricStreamEvent'], "metricStream", ParentType, ContextType, RequireFields<SubscriptionMetricStreamArgs, 'source'>>;
};

export interface TimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Time'], any> {
  name: 'Time';
}

export type TrackBatchResultResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['TrackBatchResult'] = ResolversParentTypes['TrackBatchResult']> = {
  failed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  results?: Resolver<Array<ResolversTypes['TrackItemResult']>, ParentType, ContextType>;
  success?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  successful?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TrackItemResultResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['TrackItemResult'] = ResolversParentTypes['TrackItemResult']> = {
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  index?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  success?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type TrackResultResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['TrackResult'] = ResolversParentTypes['TrackResult']> = {
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  success?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type TrendResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Trend'] = ResolversParentTypes['Trend']> = {
  anomalies?: Resolver<Array<ResolversTypes['Anomaly']>, ParentType, ContextType>;
  changePercent?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  direction?: Resolver<ResolversTypes['TrendDirection'], ParentType, ContextType>;
  first?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  forecast?: Resolver<Array<ResolversTypes['ForecastPoint']>, ParentType, ContextType>;
  interval?: Resolver<ResolversTypes['Duration'], ParentType, ContextType>;
  label?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType, RequireFields<TrendLabelArgs, 'key'>>;
  labels?: Resolver<Array<ResolversTypes['Label']>, ParentType, ContextType>;
  last?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  max?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  mean?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  min?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  points?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  series?: Resolver<Array<ResolversTypes['Point']>, ParentType, ContextType>;
  slopePerHour?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type Resolvers<ContextType = GatewayContext> = {
  AggregateGroup?: AggregateGroupResolvers<ContextType>;
  Allocation?: AllocationResolvers<ContextType>;
  AllocationDay?: AllocationDayResolvers<ContextType>;
  AllocationShare?: AllocationShareResolvers<ContextType>;
  Anomaly?: AnomalyResolvers<ContextType>;
  ArgusRecordResult?: ArgusRecordResultResolvers<ContextType>;
  ArgusSubmitResult?: ArgusSubmitResultResolvers<ContextType>;
  DarktraceBreach?: DarktraceBreachResolvers<ContextType>;
  DarktraceDevice?: DarktraceDeviceResolvers<ContextType>;
  DarktraceDeviceIp?: DarktraceDeviceIpResolvers<ContextType>;
  Decimal?: GraphQLScalarType;
  Duration?: GraphQLScalarType;
  DynatraceExportDocument?: DynatraceExportDocumentResolvers<ContextType>;
  DynatraceExports?: DynatraceExportsResolvers<ContextType>;
  DynatraceIngestResult?: DynatraceIngestResultResolvers<ContextType>;
  DynatraceRejectedDocument?: DynatraceRejectedDocumentResolvers<ContextType>;
  DynatraceTimeframe?: DynatraceTimeframeResolvers<ContextType>;
  ForecastPoint?: ForecastPointResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  Label?: LabelResolvers<ContextType>;
  MetricDescriptor?: MetricDescriptorResolvers<ContextType>;
  MetricStreamEvent?: MetricStreamEventResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Point?: PointResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Series?: SeriesResolvers<ContextType>;
  Source?: SourceResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  Time?: GraphQLScalarType;
  TrackBatchResult?: TrackBatchResultResolvers<ContextType>;
  TrackItemResult?: TrackItemResultResolvers<ContextType>;
  TrackResult?: TrackResultResolvers<ContextType>;
  Trend?: TrendResolvers<ContextType>;
};

