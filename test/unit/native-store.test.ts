import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../src/core/errors.js';
import { toTrackedPoint, type RawTrack, type TrackedPoint } from '../../src/sources/native/point.js';
import { MemoryNativeStore } from '../../src/sources/native/memory-store.js';

const NOW = 1793534400000;
/** The store's clock and retention in these tests: every point below (from 1970 on) is kept. */
const STORE_NOW = NOW;
const KEEP_EVERYTHING = NOW;

/** The memory store, driven one point at a time as these tests do. */
class NativeStore {
  readonly store: MemoryNativeStore;

  constructor(options: { maxSeries?: number; maxPointsPerSeries?: number } = {}) {
    this.store = new MemoryNativeStore({ limits: { ...options, retentionMs: KEEP_EVERYTHING }, sweepEveryMs: 0 });
  }

  /** Stores one point, throwing what the store refuses. */
  record(point: TrackedPoint): void {
    const problem = this.store.recordOne(point, STORE_NOW);
    if (problem) throw problem;
  }

  /** Series of one metric with their points, in the store's order. */
  async select(name: string) {
    const states = await this.store.series({ name });
    const points = await this.store.points(states.map((state) => state.id));
    return states.map((state) => ({ ...state, ...points.get(state.id)! }));
  }

  stats(activeSince: number) {
    return this.store.stats(activeSince);
  }

  metrics() {
    return this.store.metrics();
  }

  async metric(name: string) {
    return (await this.store.metrics()).find((info) => info.name === name);
  }
}

function point(overrides: Partial<TrackedPoint> = {}): TrackedPoint {
  return { name: 'queue_depth', type: 'gauge', value: 1, timestamp: NOW, labels: {}, ...overrides };
}

function rejection(raw: RawTrack): BadUserInputError {
  try {
    toTrackedPoint(raw, NOW);
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInputError);
    return error as BadUserInputError;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
}

describe('NativeStore: counters', () => {
  it('stores running totals of the pushed increments', async () => {
    const store = new NativeStore();
    for (const [timestamp, value] of [[1000, 1], [2000, 2], [3000, 0], [4000, 5]] as const) {
      store.record(point({ name: 'jobs', type: 'counter', value, timestamp }));
    }
    const [series] = await store.select('jobs');
    expect(series!.timestamps).toEqual([1000, 2000, 3000, 4000]);
    expect(series!.values).toEqual([1, 3, 3, 8]);
  });

  it('slots a late increment into place and raises every later total', async () => {
    const store = new NativeStore();
    store.record(point({ name: 'jobs', type: 'counter', value: 1, timestamp: 1000 }));
    store.record(point({ name: 'jobs', type: 'counter', value: 2, timestamp: 3000 }));
    store.record(point({ name: 'jobs', type: 'counter', value: 10, timestamp: 4000 }));
    store.record(point({ name: 'jobs', type: 'counter', value: 5, timestamp: 2000 }));
    const [series] = await store.select('jobs');
    expect(series!.timestamps).toEqual([1000, 2000, 3000, 4000]);
    expect(series!.values).toEqual([1, 6, 8, 18]);
  });

  it('keeps separate totals per label set', async () => {
    const store = new NativeStore();
    store.record(point({ name: 'jobs', type: 'counter', value: 1, timestamp: 1000, labels: { queue: 'a' } }));
    store.record(point({ name: 'jobs', type: 'counter', value: 4, timestamp: 2000, labels: { queue: 'b' } }));
    store.record(point({ name: 'jobs', type: 'counter', value: 2, timestamp: 3000, labels: { queue: 'a' } }));
    expect((await store.select('jobs')).map((series) => [series.labels, series.values])).toEqual([
      [{ queue: 'a' }, [1, 3]],
      [{ queue: 'b' }, [4]],
    ]);
  });
});

describe('NativeStore: gauges', () => {
  it('stores values as given, in timestamp order', async () => {
    const store = new NativeStore();
    store.record(point({ value: 7, timestamp: 3000 }));
    store.record(point({ value: 3, timestamp: 1000 }));
    store.record(point({ value: 5, timestamp: 2000 }));
    const [series] = await store.select('queue_depth');
    expect(series!.timestamps).toEqual([1000, 2000, 3000]);
    expect(series!.values).toEqual([3, 5, 7]);
  });

  it('treats label sets that differ only in key order as one series', async () => {
    const store = new NativeStore();
    store.record(point({ labels: { a: '1', b: '2' }, timestamp: 1000 }));
    store.record(point({ labels: { b: '2', a: '1' }, timestamp: 2000 }));
    expect((await store.stats(0)).series).toBe(1);
  });
});

describe('NativeStore: bounds', () => {
  it('drops the oldest points beyond maxPointsPerSeries and counts them', async () => {
    const store = new NativeStore({ maxPointsPerSeries: 3 });
    for (let i = 1; i <= 5; i++) store.record(point({ value: i * 10, timestamp: i * 1000 }));
    const [series] = await store.select('queue_depth');
    expect(series!.timestamps).toEqual([3000, 4000, 5000]);
    expect(series!.values).toEqual([30, 40, 50]);
    expect(await store.stats(0)).toMatchObject({ series: 1, points: 3, collected: 5, dropped: 2 });
  });

  it('evicts the series whose latest point is oldest when maxSeries is reached', async () => {
    const store = new NativeStore({ maxSeries: 2 });
    store.record(point({ labels: { host: 'a' }, timestamp: 1000 }));
    store.record(point({ labels: { host: 'b' }, timestamp: 2000 }));
    store.record(point({ labels: { host: 'b' }, timestamp: 2500 }));
    store.record(point({ labels: { host: 'a' }, timestamp: 3000 }));
    store.record(point({ labels: { host: 'c' }, timestamp: 4000 }));
    expect((await store.select('queue_depth')).map((series) => series.labels.host)).toEqual(['a', 'c']);
    expect(await store.stats(0)).toMatchObject({ series: 2, points: 3, collected: 5, dropped: 2 });
  });

  it('forgets a metric whose last series was evicted', async () => {
    const store = new NativeStore({ maxSeries: 1 });
    store.record(point({ name: 'old_metric', timestamp: 1000, unit: 'items' }));
    store.record(point({ name: 'new_metric', timestamp: 2000 }));
    expect((await store.metrics()).map((info) => info.name)).toEqual(['new_metric']);
    expect(await store.metric('old_metric')).toBeUndefined();
  });

  it('refuses limits that are not positive integers', () => {
    expect(() => new NativeStore({ maxSeries: 0 })).toThrow('maxSeries must be a positive integer; got 0');
    expect(() => new NativeStore({ maxPointsPerSeries: 1.5 })).toThrow('maxPointsPerSeries must be a positive integer; got 1.5');
  });
});

describe('NativeStore: one name, one type', () => {
  it('refuses a point whose type differs from the metric\'s', async () => {
    const store = new NativeStore();
    store.record(point({ name: 'jobs', type: 'counter' }));
    let error: unknown;
    try {
      store.record(point({ name: 'jobs', type: 'gauge', labels: { other: 'series' } }));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BadUserInputError);
    expect((error as BadUserInputError).message).toBe("metric 'jobs' is already a counter; got type gauge (one name, one type)");
    expect((error as BadUserInputError).field).toBe('type');
    expect(await store.stats(0)).toMatchObject({ series: 1, points: 1, collected: 1, dropped: 0 });
  });

  it('describes metrics with their type, unit, help and series count', async () => {
    const store = new NativeStore();
    store.record(point({ name: 'jobs', type: 'counter', labels: { q: 'a' }, unit: 'jobs' }));
    store.record(point({ name: 'jobs', type: 'counter', labels: { q: 'b' }, help: 'Jobs done' }));
    expect(await store.metric('jobs')).toEqual({ name: 'jobs', type: 'counter', unit: 'jobs', help: 'Jobs done', seriesCount: 2 });
  });
});

describe('toTrackedPoint', () => {
  it('fills in defaults: gauge, now, no labels', () => {
    expect(toTrackedPoint({ name: 'cpu', value: 0.5 }, NOW)).toEqual({ name: 'cpu', type: 'gauge', value: 0.5, timestamp: NOW, labels: {} });
  });

  it('keeps the given timestamp, unit and help, and reads the type case-insensitively', () => {
    expect(toTrackedPoint({ name: 'jobs', value: 2, type: 'COUNTER', timestamp: 1000, unit: 'jobs', help: 'done' }, NOW)).toEqual({
      name: 'jobs', type: 'counter', value: 2, timestamp: 1000, labels: {}, unit: 'jobs', help: 'done',
    });
  });

  it('requires a name', () => {
    for (const name of [undefined, '', '   ', 42]) {
      const error = rejection({ name, value: 1 });
      expect(error.message).toBe('name is required and must be a non-empty string');
      expect(error.field).toBe('name');
    }
  });

  it('sanitises names the Prometheus way', () => {
    expect(toTrackedPoint({ name: 'my-metric', value: 1 }, NOW).name).toBe('my_metric');
    expect(toTrackedPoint({ name: '9lives', value: 1 }, NOW).name).toBe('metric_9lives');
    expect(toTrackedPoint({ name: ' api.latency ms ', value: 1 }, NOW).name).toBe('api_latency_ms');
  });

  it('refuses names over 200 characters', () => {
    expect(rejection({ name: 'a'.repeat(201), value: 1 }).message).toBe('name must be at most 200 characters; got 201');
  });

  it('refuses an unknown type', () => {
    const error = rejection({ name: 'x', value: 1, type: 'meter' });
    expect(error.message).toBe("type must be one of counter, gauge, histogram, summary; got 'meter'");
    expect(error.field).toBe('type');
  });

  it('requires a finite number as value', () => {
    expect(rejection({ name: 'x', value: Number.POSITIVE_INFINITY }).message).toBe('value must be a finite number; got Infinity');
    expect(rejection({ name: 'x', value: Number.NaN }).message).toBe('value must be a finite number; got NaN');
    expect(rejection({ name: 'x', value: 'abc' }).message).toBe("value must be a finite number; got the string 'abc'");
    expect(rejection({ name: 'x', value: '5' }).message).toBe("value must be a finite number; got the string '5'");
    expect(rejection({ name: 'x' }).message).toBe('value must be a finite number; got nothing');
    expect(rejection({ name: 'x', value: 'abc' }).field).toBe('value');
  });

  it('refuses a negative counter increment but takes a negative gauge', () => {
    expect(rejection({ name: 'jobs', type: 'counter', value: -1 }).message).toBe(
      'a counter only goes up: value is the increment and must be >= 0; got -1',
    );
    expect(toTrackedPoint({ name: 'temp', value: -1 }, NOW).value).toBe(-1);
  });

  it('requires labels to be an object of string values', () => {
    expect(rejection({ name: 'x', value: 1, labels: { region: 1 } }).message).toBe('labels.region must be a string; got 1');
    expect(rejection({ name: 'x', value: 1, labels: { region: 1 } }).field).toBe('labels.region');
    expect(rejection({ name: 'x', value: 1, labels: ['a'] }).message).toBe('labels must be an object of string values; got an array ["a"]');
    expect(rejection({ name: 'x', value: 1, labels: 'region=eu' }).message).toBe(
      "labels must be an object of string values; got the string 'region=eu'",
    );
  });

  it('sanitises label names and refuses reserved ones', () => {
    expect(toTrackedPoint({ name: 'x', value: 1, labels: { 'customer-id': 'acme' } }, NOW).labels).toEqual({ customer_id: 'acme' });
    expect(rejection({ name: 'x', value: 1, labels: { __name__: 'y' } }).message).toBe(
      "label name '__name__' is not valid (names starting with __ are reserved)",
    );
  });

  it('limits the number of labels', () => {
    const labels = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`l${i}`, 'v']));
    expect(rejection({ name: 'x', value: 1, labels }).message).toBe('labels may have at most 32 keys; got 33');
  });

  it('turns service and tenant into labels', () => {
    expect(toTrackedPoint({ name: 'x', value: 1, service: 'checkout', tenantId: 'acme', labels: { region: 'eu' } }, NOW)).toEqual({
      name: 'x',
      type: 'gauge',
      value: 1,
      timestamp: NOW,
      labels: { region: 'eu', service: 'checkout', tenant_id: 'acme' },
      service: 'checkout',
      tenantId: 'acme',
    });
  });

  it('accepts a label that agrees with service and keeps a differing one as exported_service', () => {
    expect(toTrackedPoint({ name: 'x', value: 1, service: 'auth', labels: { service: 'auth' } }, NOW).labels).toEqual({ service: 'auth' });
    // The 254Carbon README's own example: service "gateway-service" with labels.service "gateway".
    expect(toTrackedPoint({ name: 'x', value: 1, service: 'gateway-service', labels: { service: 'gateway' } }, NOW).labels).toEqual({
      service: 'gateway-service',
      exported_service: 'gateway',
    });
    expect(toTrackedPoint({ name: 'x', value: 1, tenantId: 'acme', labels: { tenant_id: 'globex' } }, NOW).labels).toEqual({
      tenant_id: 'acme',
      exported_tenant_id: 'globex',
    });
    const error = rejection({ name: 'x', value: 1, service: 'checkout', labels: { service: 'search', exported_service: 'other' } });
    expect(error.message).toBe(
      "labels.service ('search') differs from service ('checkout') and would move to labels.exported_service, which already holds 'other'",
    );
    expect(error.field).toBe('labels.service');
  });

  it('takes service and tenant from the labels when the fields are absent', () => {
    expect(toTrackedPoint({ name: 'x', value: 1, labels: { service: 'auth', tenant_id: 'acme' } }, NOW)).toMatchObject({
      service: 'auth',
      tenantId: 'acme',
      labels: { service: 'auth', tenant_id: 'acme' },
    });
  });

  it('refuses le on a histogram and quantile on a summary', () => {
    expect(rejection({ name: 'x', value: 1, type: 'histogram', labels: { le: '1' } }).message).toBe(
      "label name 'le' is reserved in a histogram: the Prometheus exposition adds it",
    );
    expect(rejection({ name: 'x', value: 1, type: 'summary', labels: { quantile: '0.5' } }).field).toBe('labels.quantile');
    expect(toTrackedPoint({ name: 'x', value: 1, labels: { le: '1' } }, NOW).labels).toEqual({ le: '1' });
  });

  it('requires service and tenantId to be strings', () => {
    expect(rejection({ name: 'x', value: 1, service: 7 }).message).toBe('service must be a string; got 7');
    expect(rejection({ name: 'x', value: 1, tenantId: { id: 1 } }).message).toBe('tenant_id must be a string; got object {"id":1}');
  });
});

describe('reading whole series without copying them', () => {
  it('hands out columns that later writes, late points, counters and trims never change', async () => {
    const native = new NativeStore({ maxPointsPerSeries: 100 });
    const counter = (timestamp: number, value: number) => point({ name: 'jobs_total', type: 'counter', timestamp, value });
    for (let i = 0; i < 100; i++) native.record(counter(NOW - 1000 + i * 10, 1));
    const [first] = await native.select('jobs_total');
    const seen = { timestamps: [...first!.timestamps], values: [...first!.values] };

    native.record(counter(NOW - 1000 + 5, 2)); // late: slots in and raises every total after it
    native.record(counter(NOW, 1)); // past the cap: trims the oldest
    for (let i = 0; i < 80; i++) native.record(counter(NOW + 1 + i, 1)); // enough trims to compact

    expect(first!.timestamps).toEqual(seen.timestamps);
    expect(first!.values).toEqual(seen.values);
    const [now] = await native.select('jobs_total');
    expect(now!.timestamps).toHaveLength(100);
    expect(now!.timestamps.at(-1)).toBe(NOW + 80);
    expect(now!.values.at(-1)).toBe(100 + 2 + 1 + 80);
  });

  it('copies only the part asked for when a read starts inside the series', async () => {
    const native = new NativeStore();
    for (let i = 0; i < 10; i++) native.record(point({ timestamp: NOW + i, value: i }));
    const [state] = await native.store.series({ name: 'queue_depth' });
    const whole = (await native.store.points([state!.id])).get(state!.id)!;
    const tail = (await native.store.points([state!.id], NOW + 5)).get(state!.id)!;
    expect(tail.timestamps).toEqual([NOW + 5, NOW + 6, NOW + 7, NOW + 8, NOW + 9]);
    native.record(point({ timestamp: NOW + 10, value: 10 }));
    expect(whole.timestamps).toHaveLength(10);
    expect(tail.values).toEqual([5, 6, 7, 8, 9]);
  });
});
