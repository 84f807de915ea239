import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { stableStringify } from '../cache/keys.js';
import { gatewayErrorFromData, gatewayErrorToData, isGatewayError, UpstreamUnavailableError, type GatewayErrorData } from '../core/errors.js';
import { lowerBound, matchesFilters, type LabelFilter, type Series } from '../core/series.js';
import type { MetricQuery, MetricSource } from '../sources/source.js';
import type { GatewayMetrics } from '../telemetry/metrics.js';
import type { StreamCoordination } from './coordination.js';
import { EventQueue } from './event-queue.js';
import { NewPointFilter, seriesKey } from './new-points.js';

/**
 * Live metric streams. Subscribers of the same source and normalised query share one channel;
 * a channel is started by its first subscriber and stopped after its last. Push sources (the
 * native collector) feed a channel as points arrive; other sources are polled, once per channel
 * however many subscribers it has (and, with Redis, once per channel across all instances).
 * Each subscriber first gets the recent window (backfill), then only points it has not seen.
 */

export interface StreamRequest {
  source: MetricSource;
  metrics: readonly string[];
  filters: readonly LabelFilter[];
  params?: Readonly<Record<string, unknown>>;
  /** For polled sources; already checked against the source's minimum. */
  pollIntervalMs: number;
  backfillMs: number;
  /** Who subscribed (tenant and credential): channels are never shared across identities. */
  identity?: string;
  /** The subscriber's tenant: native points of other tenants never reach the channel. */
  tenantId?: string;
}

export type StreamEvent = { series: Series[]; backfill: boolean } | { error: Error };

export interface StreamHubOptions {
  log: Logger;
  metrics: GatewayMetrics;
  /** Answers a channel's first query for the recent window (through the cache, shared across instances). */
  backfill: (source: MetricSource, query: MetricQuery, request: StreamRequest) => Promise<Series[]>;
  coordination?: StreamCoordination;
  /** Events a subscriber may fall behind before it is disconnected. @default 1000 */
  maxQueued?: number;
  /**
   * Pushed points arriving within this long of each other go out as one event. Every event costs a
   * GraphQL execution and a write per subscriber, so at 100 points a second and 1,000 subscribers
   * batching is the difference between keeping up and falling behind. @default 50
   */
  coalesceMs?: number;
  now?: () => number;
}

type WireEvent = { series: Series[] } | { error: GatewayErrorData };

export class StreamHub {
  readonly #channels = new Map<string, Channel>();
  readonly #options: StreamHubOptions;
  #closed = false;

  constructor(options: StreamHubOptions) {
    this.#options = options;
  }

  subscribe(request: StreamRequest): AsyncIterableIterator<StreamEvent> {
    if (this.#closed) throw new UpstreamUnavailableError('the gateway is shutting down; reconnect to another instance');
    const key = channelKey(request);
    let channel = this.#channels.get(key);
    if (!channel) {
      channel = new Channel(key, request, this.#options, () => this.#channels.delete(key));
      this.#channels.set(key, channel);
      channel.start();
    }
    return channel.add();
  }

  get channelCount(): number {
    return this.#channels.size;
  }

  /** Completes every stream (subscribers see `complete`) and stops every poller. */
  close(): void {
    this.#closed = true;
    for (const channel of [...this.#channels.values()]) channel.close();
  }
}

export function channelKey(request: StreamRequest): string {
  const normalised = stableStringify({
    source: request.source.id,
    identity: request.identity ?? null,
    tenant: request.tenantId ?? null,
    metrics: request.metrics,
    filters: [...request.filters]
      .map((filter) => ({ key: filter.key, values: [...filter.values].sort(), exclude: filter.exclude }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : Number(a.exclude) - Number(b.exclude))),
    params: request.params ?? null,
    poll: request.source.watch ? null : request.pollIntervalMs,
  });
  return `${request.source.id}:${createHash('sha256').update(normalised).digest('base64url').slice(0, 24)}`;
}

/**
 * A subscriber needs no filter of its own: its backfill is the channel's window at the moment it
 * is sent, and everything after comes from the same delivery sequence, so nothing can repeat.
 */
interface Subscriber {
  queue: EventQueue<StreamEvent>;
  /** False until the subscriber got its backfill (the channel is still priming). */
  ready: boolean;
}

class Channel {
  readonly #subscribers = new Set<Subscriber>();
  /** Drops what this channel already delivered: overlapping polls, a new poller after handover. */
  readonly #delivered: NewPointFilter;
  /** Drops what this instance's poller already published. */
  readonly #polled: NewPointFilter;
  /** The recent window, kept from everything delivered: every new subscriber's backfill. */
  readonly #window = new Map<string, Series>();
  readonly #log: Logger;
  #primed = false;
  readonly #batch: Series[] = [];
  #batchTimer: NodeJS.Timeout | undefined;
  #stop: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastPollTo: number | undefined;
  #failing = false;
  #owner: boolean | undefined;
  #closed = false;

  constructor(
    readonly key: string,
    private readonly request: StreamRequest,
    private readonly options: StreamHubOptions,
    private readonly onEmpty: () => void,
  ) {
    this.#log = options.log.child({ stream: key });
    this.#delivered = new NewPointFilter(request.backfillMs);
    this.#polled = new NewPointFilter(request.backfillMs);
  }

  start(): void {
    const { source } = this.request;
    if (source.watch) {
      this.#stop = source.watch((series) => {
        if (this.request.tenantId !== undefined && series.labels.tenant_id !== this.request.tenantId) return;
        if (this.request.metrics.includes(series.metric) && matchesFilters(series.labels, this.request.filters)) this.#coalesce(series);
      });
    } else {
      const { coordination } = this.options;
      const unlisten = coordination?.listen(this.key, (message) => this.#receive(message as WireEvent));
      this.#stop = () => {
        unlisten?.();
        if (this.#owner) void coordination?.releaseLock(this.key);
      };
    }
    void this.#prime();
  }

  add(): EventQueue<StreamEvent> {
    const subscriber: Subscriber = {
      queue: new EventQueue<StreamEvent>(this.options.maxQueued ?? 1000, () => this.#remove(subscriber), mergeEvents),
      ready: false,
    };
    this.#subscribers.add(subscriber);
    this.options.metrics.activeStreams.inc();
    if (this.#primed) this.#sendBackfill(subscriber);
    return subscriber.queue;
  }

  close(): void {
    for (const subscriber of [...this.#subscribers]) subscriber.queue.end();
    this.#shutdown();
  }

  /**
   * Fills the window once per channel (through the cache), so a thousand subscribers joining cost
   * the upstream one query, not a thousand. A failed prime tells the waiting subscribers and tries
   * again after one interval.
   */
  async #prime(): Promise<void> {
    const now = this.#now();
    try {
      const series = await this.options.backfill(this.request.source, this.#query(now - this.request.backfillMs, now), this.request);
      if (this.#closed) return;
      if (!this.request.source.watch) {
        this.#lastPollTo = now;
        this.#polled.take(series);
      }
      this.#deliver(series);
      this.#primed = true;
      for (const subscriber of this.#subscribers) if (!subscriber.ready) this.#sendBackfill(subscriber);
      if (!this.request.source.watch) this.#schedule(this.request.pollIntervalMs);
    } catch (error) {
      if (this.#closed) return;
      const failure = asError(error, this.request.source.id);
      for (const subscriber of this.#subscribers) subscriber.queue.push({ error: failure });
      this.#log.warn({ err: failure.message }, 'stream backfill failed; retrying');
      this.#timer = setTimeout(() => void this.#prime(), this.request.pollIntervalMs);
    }
  }

  #sendBackfill(subscriber: Subscriber): void {
    const from = this.#now() - this.request.backfillMs;
    const window = [...this.#window.values()].map((series) => trimBefore(series, from)).filter((series) => series.timestamps.length > 0);
    subscriber.queue.push({ series: window, backfill: true });
    subscriber.ready = true;
  }

  /** Pushed points wait up to `coalesceMs` for company, then go out together. */
  #coalesce(series: Series): void {
    this.#batch.push(series);
    if (this.#batchTimer) return;
    this.#batchTimer = setTimeout(() => {
      this.#batchTimer = undefined;
      const bySeries = new Map<string, Series>();
      for (const one of this.#batch.splice(0, this.#batch.length)) {
        const known = bySeries.get(seriesKey(one));
        if (known) appendInOrder(known, one);
        else bySeries.set(seriesKey(one), { ...one, timestamps: [...one.timestamps], values: [...one.values] });
      }
      this.#deliver([...bySeries.values()]);
    }, this.options.coalesceMs ?? 50);
  }

  #deliver(series: Series[]): void {
    const fresh = this.#delivered.take(series);
    if (fresh.length === 0) return;
    this.#remember(fresh);
    for (const subscriber of this.#subscribers) if (subscriber.ready) subscriber.queue.push({ series: fresh, backfill: false });
  }

  /**
   * Appends delivered points to the window (arrays owned by the channel, grown in place) and drops
   * what fell out of it in chunks, so a busy stream does not copy its window on every point.
   */
  #remember(fresh: Series[]): void {
    const from = this.#now() - this.request.backfillMs;
    for (const series of fresh) {
      const key = seriesKey(series);
      const known = this.#window.get(key);
      if (!known) {
        this.#window.set(key, { ...series, timestamps: [...series.timestamps], values: [...series.values] });
        continue;
      }
      appendInOrder(known, series);
      const expired = lowerBound(known.timestamps, from);
      if (expired >= Math.max(64, known.timestamps.length / 10)) {
        known.timestamps.splice(0, expired);
        known.values.splice(0, expired);
      }
    }
  }

  #receive(message: WireEvent): void {
    if ('error' in message) {
      const error = gatewayErrorFromData(message.error);
      for (const subscriber of this.#subscribers) subscriber.queue.push({ error });
    } else {
      this.#deliver(message.series);
    }
  }

  /** One poll, when this instance is the channel's poller; then the next tick is scheduled. */
  async #tick(): Promise<void> {
    if (this.#closed) return;
    const { source, pollIntervalMs } = this.request;
    const { coordination } = this.options;
    const lock = coordination ? await coordination.holdLock(this.key, pollIntervalMs * 1.5) : undefined;
    this.#owner = lock;
    if (this.#closed) return;
    if (lock === false) {
      // Someone else polls; be ready to take over soon after their lock lapses.
      this.#schedule(pollIntervalMs / 2);
      return;
    }
    const now = this.#now();
    // Overlap the previous window by one interval: vendors add points a little late.
    const from = (this.#lastPollTo ?? now - this.request.backfillMs) - pollIntervalMs;
    let event: WireEvent | undefined;
    try {
      const [answer] = await source.query([this.#query(from, now)], { log: this.#log, ...(this.request.tenantId !== undefined ? { tenantId: this.request.tenantId } : {}) });
      if (answer instanceof Error) throw answer;
      this.#lastPollTo = now;
      const fresh = this.#polled.take(answer ?? []);
      if (this.#failing) this.#log.info('stream source recovered');
      this.#failing = false;
      if (fresh.length > 0) event = { series: fresh };
    } catch (error) {
      // Tell subscribers once per failure streak, then keep polling until the source recovers.
      if (!this.#failing) event = { error: gatewayErrorToData(asError(error, source.id)) };
      this.#failing = true;
      this.#log.warn({ err: (error as Error).message }, 'stream poll failed');
    }
    if (event && !this.#closed) await this.#emit(event, lock === true);
    this.#schedule(pollIntervalMs);
  }

  async #emit(event: WireEvent, shared: boolean): Promise<void> {
    if (shared && (await this.options.coordination!.publish(this.key, event))) return;
    this.#receive(event);
  }

  #query(from: number, to: number): MetricQuery {
    return {
      metrics: this.request.metrics,
      filters: this.request.filters,
      range: { from, to },
      ...(this.request.params ? { params: this.request.params } : {}),
    };
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }

  #schedule(delayMs: number): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => void this.#tick(), delayMs);
  }

  #remove(subscriber: Subscriber): void {
    if (!this.#subscribers.delete(subscriber)) return;
    this.options.metrics.activeStreams.dec();
    if (this.#subscribers.size === 0) this.#shutdown();
  }

  #shutdown(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#batchTimer);
    this.#stop?.();
    this.onEmpty();
  }
}

/**
 * Folds a run of queued events into as few as keep their meaning: consecutive point events merge
 * into one (points of a series together, in time order); an error or the backfill stays its own
 * event, in place.
 */
export function mergeEvents(events: StreamEvent[]): StreamEvent[] {
  const out: StreamEvent[] = [];
  for (const event of events) {
    const previous = out[out.length - 1];
    if (previous && !('error' in previous) && !('error' in event) && !previous.backfill && !event.backfill) {
      const bySeries = new Map(previous.series.map((series) => [seriesKey(series), series]));
      for (const series of event.series) {
        const known = bySeries.get(seriesKey(series));
        if (known) appendInOrder(known, series);
        else {
          const copy = { ...series, timestamps: [...series.timestamps], values: [...series.values] };
          bySeries.set(seriesKey(series), copy);
          previous.series.push(copy);
        }
      }
      continue;
    }
    out.push('error' in event ? event : { ...event, series: event.series.map((series) => ({ ...series, timestamps: [...series.timestamps], values: [...series.values] })) });
  }
  return out;
}

/** Adds `more` to `into` in place, keeping time order (late pushed points slot in where they belong). */
function appendInOrder(into: Series, more: Series): void {
  for (let i = 0; i < more.timestamps.length; i++) {
    const timestamp = more.timestamps[i]!;
    const last = into.timestamps[into.timestamps.length - 1];
    if (last === undefined || timestamp > last) {
      into.timestamps.push(timestamp);
      into.values.push(more.values[i]!);
    } else {
      const at = lowerBound(into.timestamps, timestamp);
      into.timestamps.splice(at, 0, timestamp);
      into.values.splice(at, 0, more.values[i]!);
    }
  }
}

function trimBefore(series: Series, from: number): Series {
  const start = lowerBound(series.timestamps, from);
  return start === 0 ? series : { ...series, timestamps: series.timestamps.slice(start), values: series.values.slice(start) };
}

function asError(error: unknown, source: string) {
  if (isGatewayError(error)) return error;
  return new UpstreamUnavailableError(`${source} failed: ${(error as Error)?.message ?? String(error)}`, { source });
}
