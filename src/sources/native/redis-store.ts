import { createHash } from 'node:crypto';
import { Redis, type Result } from 'ioredis';
import type { Logger } from 'pino';
import { UpstreamUnavailableError } from '../../core/errors.js';
import { matchesFilters, type Labels } from '../../core/series.js';
import { exposedNames } from './exposed-names.js';
import { PROMETHEUS_BUCKETS } from './config.js';
import type { MetricType, TrackedPoint } from './point.js';
import { RECORD_SCRIPT, SWEEP_SCRIPT } from './redis-scripts.js';
import {
  bySeriesOrder,
  checkLimits,
  DEFAULT_LIMITS,
  emptyDrops,
  exposedNameConflict,
  seriesKey,
  timestampProblem,
  typeConflict,
  type MetricInfo,
  type NativeLimits,
  type NativeStore,
  type PointColumns,
  type SeriesSelector,
  type SeriesState,
  type StoreScope,
  type StoreStats,
} from './store.js';

/**
 * The shared store: series live in Redis, so every gateway instance configured with the same
 * Redis and source id reads and writes one view (a point tracked through instance A is read
 * through instance B). Writes go through one Lua script per batch (atomic: bounds and counts stay
 * exact under concurrent writers); reads are pipelined. Redis failures are never swallowed: the
 * call fails with UPSTREAM_UNAVAILABLE naming the store, and /health reports it.
 */

export interface RedisStoreOptions {
  url: string;
  /** Source id; part of every key, so two native sources never mix. */
  sourceId: string;
  /** Prefix of every key (the gateway's `redis.keyPrefix`). @default "mg:" */
  keyPrefix?: string;
  limits?: Partial<NativeLimits>;
  bucketsFor?: (name: string, unit: string | undefined) => number[];
  reservedNames?: ReadonlySet<string>;
  /** Longest one Redis command may take before the call fails. @default 2000 */
  commandTimeoutMs?: number;
  /** How often old points are swept out; 0 turns the timer off. @default 60000 */
  sweepEveryMs?: number;
  log: Logger;
}

interface Meta {
  n: string;
  t: MetricType;
  l: Record<string, string>;
  s?: string;
  tn?: string;
}

declare module 'ioredis' {
  interface RedisCommander<Context> {
    nativeRecord(stats: string, ...args: Array<string | number>): Result<string[], Context>;
    nativeSweep(stats: string, prefix: string, horizon: number): Result<number, Context>;
  }
}

export class RedisNativeStore implements NativeStore {
  readonly kind = 'redis' as const;
  readonly limits: NativeLimits;
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #stats: string;
  readonly #sourceId: string;
  readonly #bucketsFor: (name: string, unit: string | undefined) => number[];
  readonly #reserved: ReadonlySet<string>;
  readonly #log: Logger;
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #exposedCache = new Map<string, string>();
  #lastError: string | undefined;

  constructor(options: RedisStoreOptions) {
    this.limits = checkLimits({ ...DEFAULT_LIMITS, ...options.limits });
    this.#sourceId = options.sourceId;
    // One hash tag per source: all its keys share a Redis Cluster slot, so the scripts work there.
    this.#prefix = `${options.keyPrefix ?? 'mg:'}{native:${options.sourceId}}:`;
    this.#stats = `${this.#prefix}stats`;
    this.#bucketsFor = options.bucketsFor ?? (() => PROMETHEUS_BUCKETS);
    this.#reserved = options.reservedNames ?? new Set();
    this.#log = options.log;
    this.#redis = new Redis(options.url, {
      commandTimeout: options.commandTimeoutMs ?? 2000,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    this.#redis.defineCommand('nativeRecord', { numberOfKeys: 1, lua: RECORD_SCRIPT });
    this.#redis.defineCommand('nativeSweep', { numberOfKeys: 1, lua: SWEEP_SCRIPT });
    this.#redis.on('error', (error: Error) => this.#noteError(error));
    this.#redis.on('ready', () => {
      if (this.#lastError !== undefined) this.#log.info('native store: redis is back');
      this.#lastError = undefined;
    });
    const every = options.sweepEveryMs ?? 60_000;
    if (every > 0) {
      this.#timer = setInterval(() => {
        this.sweep(Date.now()).catch(() => {}); // already logged by #run
      }, every);
      this.#timer.unref();
    }
  }

  async record(points: readonly TrackedPoint[], now: number): Promise<Array<Error | undefined>> {
    const results: Array<Error | undefined> = new Array(points.length).fill(undefined);
    // One group per series (and type, so a point contradicting its series' type fails alone),
    // in order of first appearance; the script stores a group in a handful of commands.
    const groups = new Map<string, { first: TrackedPoint; indexes: number[]; unit?: string; help?: string }>();
    points.forEach((point, i) => {
      const problem = timestampProblem(point, now, this.limits) ?? this.#reservedProblem(point);
      if (problem) {
        results[i] = problem;
        return;
      }
      const key = `${point.type}|${seriesId(point)}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { first: point, indexes: [] }));
      group.indexes.push(i);
      if (point.unit !== undefined) group.unit = point.unit;
      if (point.help !== undefined) group.help = point.help;
    });
    if (groups.size === 0) return results;

    const args: Array<string | number> = [this.#prefix, now, this.limits.maxSeries, this.limits.maxPointsPerSeries];
    const order = [...groups.entries()];
    for (const [key, group] of order) {
      const point = group.first;
      const meta: Meta = { n: point.name, t: point.type, l: point.labels };
      if (point.service !== undefined) meta.s = point.service;
      if (point.tenantId !== undefined) meta.tn = point.tenantId;
      args.push(
        key.slice(key.indexOf('|') + 1),
        point.tenantId ?? '',
        point.name,
        point.type,
        JSON.stringify(meta),
        group.unit ?? '',
        group.help ?? '',
        this.#exposed(point.name, point.type),
        point.type === 'histogram' ? this.#bucketsFor(point.name, group.unit).join(',') : '',
        group.indexes.length,
      );
      for (const i of group.indexes) args.push(points[i]!.timestamp, String(points[i]!.value));
    }
    const answers = await this.#run('record', () => this.#redis.nativeRecord(this.#stats, ...args));
    answers.forEach((answer, g) => {
      if (answer === '') return;
      const [, group] = order[g]!;
      const point = group.first;
      let problem: Error;
      if (answer.startsWith('type:')) problem = typeConflict(point.name, answer.slice(5), point.type);
      else {
        const [, exposed, owner] = answer.split(':');
        problem = exposedNameConflict(point.name, exposed!, owner);
      }
      for (const i of group.indexes) results[i] = problem;
    });
    return results;
  }

  async series(selector: SeriesSelector): Promise<SeriesState[]> {
    return this.#run('series', async () => {
      const ids = await this.#ids(selector);
      if (ids.length === 0) return [];
      const metas = await this.#redis.hmget(`${this.#prefix}meta`, ...ids);
      const chosen: Array<{ id: string; meta: Meta }> = [];
      ids.forEach((id, i) => {
        const raw = metas[i];
        if (!raw) return; // evicted between the two reads
        const meta = JSON.parse(raw) as Meta;
        if (selector.tenantId !== undefined && (meta.tn ?? '') !== selector.tenantId) return;
        if (selector.service !== undefined && meta.s !== selector.service) return;
        if (selector.filters && !matchesFilters(meta.l, selector.filters)) return;
        chosen.push({ id, meta });
      });
      const pipeline = this.#redis.pipeline();
      for (const { id } of chosen) {
        pipeline.hgetall(`${this.#prefix}s:${id}`);
        pipeline.zcard(`${this.#prefix}p:${id}`);
      }
      const replies = await execPipeline(pipeline);
      const out: SeriesState[] = [];
      chosen.forEach(({ id, meta }, i) => {
        const fields = replies[2 * i] as Record<string, string>;
        const pointCount = replies[2 * i + 1] as number;
        if (pointCount === 0 || fields.lastTs === undefined) return;
        out.push(toState(id, meta, fields, pointCount));
      });
      return out.sort(bySeriesOrder);
    });
  }

  async points(ids: readonly string[], from = -Infinity): Promise<Map<string, PointColumns>> {
    if (ids.length === 0) return new Map();
    return this.#run('points', async () => {
      const pipeline = this.#redis.pipeline();
      for (const id of ids) {
        pipeline.hmget(`${this.#prefix}s:${id}`, 'type', 'base');
        // Counters need every point: running totals are the base plus the increments before.
        pipeline.zrange(`${this.#prefix}p:${id}`, 0, -1, 'WITHSCORES');
      }
      const replies = await execPipeline(pipeline);
      const out = new Map<string, PointColumns>();
      ids.forEach((id, i) => {
        const [type, base] = replies[2 * i] as Array<string | null>;
        if (type === null || type === undefined) return;
        const flat = replies[2 * i + 1] as string[];
        const counter = type === 'counter';
        let running = counter ? Number(base ?? 0) : 0;
        let before = counter ? running : 0;
        const timestamps: number[] = [];
        const values: number[] = [];
        for (let k = 0; k < flat.length; k += 2) {
          const timestamp = Number(flat[k + 1]);
          let value = Number(flat[k]!.slice(13));
          if (counter) value = running += value;
          if (timestamp < from) {
            before = value;
            continue;
          }
          timestamps.push(timestamp);
          values.push(value);
        }
        out.set(id, { timestamps, values, before: counter ? before : 0 });
      });
      return out;
    });
  }

  async metrics(scope: StoreScope = {}): Promise<MetricInfo[]> {
    return this.#run('metrics', async () => {
      const countsKey = scope.tenantId !== undefined ? `tn:${scope.tenantId}` : 'mcount';
      const [counts, types, units, helps] = (await execPipeline(
        this.#redis
          .pipeline()
          .hgetall(`${this.#prefix}${countsKey}`)
          .hgetall(`${this.#prefix}types`)
          .hgetall(`${this.#prefix}units`)
          .hgetall(`${this.#prefix}helps`),
      )) as Array<Record<string, string>>;
      const out: MetricInfo[] = [];
      for (const [name, count] of Object.entries(counts!)) {
        const type = types![name] as MetricType | undefined;
        if (type === undefined || Number(count) <= 0) continue;
        const info: MetricInfo = { name, type, seriesCount: Number(count) };
        if (units![name] !== undefined) info.unit = units![name];
        if (helps![name] !== undefined) info.help = helps![name];
        out.push(info);
      }
      return out;
    });
  }

  async stats(activeSince: number): Promise<StoreStats> {
    return this.#run('stats', async () => {
      const [fields, series, metrics, active] = await execPipeline(
        this.#redis
          .pipeline()
          .hgetall(this.#stats)
          .zcard(`${this.#prefix}latest`)
          .hlen(`${this.#prefix}types`)
          .zcount(`${this.#prefix}latest`, activeSince, '+inf'),
      );
      const f = fields as Record<string, string>;
      const droppedBy = emptyDrops();
      for (const reason of Object.keys(droppedBy) as Array<keyof typeof droppedBy>) droppedBy[reason] = Number(f[`d_${reason}`] ?? 0);
      const stats: StoreStats = {
        series: series as number,
        points: Number(f.points ?? 0),
        collected: Number(f.collected ?? 0),
        dropped: droppedBy.point_limit + droppedBy.series_limit + droppedBy.retention,
        droppedBy,
        metrics: metrics as number,
        active: active as number,
      };
      if (f.last !== undefined) stats.lastCollection = Number(f.last);
      return stats;
    });
  }

  async sweep(now: number): Promise<void> {
    await this.#run('sweep', () => this.#redis.nativeSweep(this.#stats, this.#prefix, now - this.limits.retentionMs));
  }

  async health(): Promise<{ healthy: boolean; message: string }> {
    try {
      const stats = await this.stats(Date.now());
      return { healthy: true, message: `${stats.series} series, ${stats.points} points in redis` };
    } catch (error) {
      return { healthy: false, message: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    try {
      await this.#redis.quit();
    } catch {
      this.#redis.disconnect();
    }
  }

  #reservedProblem(point: TrackedPoint): Error | undefined {
    for (const exposed of exposedNames(point.name, point.type)) {
      if (this.#reserved.has(exposed)) return exposedNameConflict(point.name, exposed, undefined);
    }
    return undefined;
  }

  #exposed(name: string, type: MetricType): string {
    const key = `${type}:${name}`;
    let joined = this.#exposedCache.get(key);
    if (joined === undefined) {
      joined = exposedNames(name, type).join(',');
      if (this.#exposedCache.size > 10_000) this.#exposedCache.clear();
      this.#exposedCache.set(key, joined);
    }
    return joined;
  }

  async #ids(selector: SeriesSelector): Promise<string[]> {
    const p = this.#prefix;
    if (selector.name !== undefined) {
      return selector.tenantId !== undefined
        ? this.#redis.smembers(`${p}ids:${selector.name}:${selector.tenantId}`)
        : this.#redis.smembers(`${p}nids:${selector.name}`);
    }
    if (selector.tenantId === undefined) return this.#redis.zrange(`${p}latest`, 0, -1);
    const names = await this.#redis.hkeys(`${p}tn:${selector.tenantId}`);
    if (names.length === 0) return [];
    const pipeline = this.#redis.pipeline();
    for (const name of names) pipeline.smembers(`${p}ids:${name}:${selector.tenantId}`);
    return (await execPipeline(pipeline)).flat() as string[];
  }

  /** Runs one store operation; a Redis failure becomes UPSTREAM_UNAVAILABLE with the reason. */
  async #run<T>(operation: string, body: () => Promise<T>): Promise<T> {
    try {
      // While reconnecting, waiting out the command timeout helps no one: fail at once. (Before
      // the first connection, commands queue briefly so a gateway can take traffic as it starts.)
      const status = this.#redis.status;
      if (status === 'reconnecting' || status === 'close' || status === 'end') throw new Error(`the connection is ${status}${this.#lastError ? ` after: ${this.#lastError}` : ''}`);
      return await body();
    } catch (error) {
      const message = redact((error as Error).message);
      this.#noteError(error as Error);
      throw new UpstreamUnavailableError(`the native store in Redis failed (${operation}): ${message}`, {
        source: this.#sourceId,
        cause: error,
      });
    }
  }

  #noteError(error: Error): void {
    const message = redact(error.message);
    if (this.#lastError !== message) this.#log.warn({ err: message }, 'native store: redis unavailable');
    this.#lastError = message;
  }
}

export function seriesId(point: Pick<TrackedPoint, 'name' | 'labels' | 'tenantId'>): string {
  return createHash('sha1').update(seriesKey(point)).digest('base64url');
}

async function execPipeline(pipeline: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
  const replies = (await pipeline.exec()) ?? [];
  return replies.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

function toState(id: string, meta: Meta, fields: Record<string, string>, pointCount: number): SeriesState {
  const type = meta.t;
  const state: SeriesState = {
    id,
    name: meta.n,
    type,
    labels: meta.l as Labels,
    pointCount,
    latestTimestamp: Number(fields.lastTs),
    latestValue: Number(type === 'counter' ? fields.total : fields.lastVal),
  };
  if (meta.s !== undefined) state.service = meta.s;
  if (meta.tn !== undefined) state.tenantId = meta.tn;
  if (type === 'histogram') {
    const bounds = (fields.bounds ?? '').split(',').filter((b) => b !== '').map(Number);
    state.histogram = {
      bounds,
      counts: Array.from({ length: bounds.length + 1 }, (_, i) => Number(fields[`b${i}`] ?? 0)),
      count: Number(fields.count ?? 0),
      sum: Number(fields.sum ?? 0),
    };
  } else if (type === 'summary') {
    state.summary = { count: Number(fields.count ?? 0), sum: Number(fields.sum ?? 0) };
  }
  return state;
}

function redact(message: string): string {
  return message.replace(/\/\/[^@/]*@/, '//');
}
