import { describe, expect, it } from 'vitest';
import type { Series } from '../../src/core/series.js';
import { NativeSource } from '../../src/sources/native/adapter.js';
import { MemoryNativeStore } from '../../src/sources/native/memory-store.js';

describe('NativeSource.watch (memory store)', () => {
  it('hands each stored point to listeners as a one-point series, counters as running totals', async () => {
    const source = new NativeSource('native', new MemoryNativeStore({ sweepEveryMs: 0 }));
    const seen: Series[] = [];
    const stop = source.watch!((series) => seen.push(series));
    const now = Date.now();
    await source.writeMany(
      [
        { name: 'jobs', type: 'counter', value: 2, timestamp: now - 2000, service: 'w' },
        { name: 'jobs', type: 'counter', value: 3, timestamp: now - 1000, service: 'w' },
        { name: 'jobs', type: 'gauge', value: 1 },
        { name: 'temp', value: 21.5, timestamp: now },
      ],
      now,
    );
    expect(seen).toEqual([
      { source: 'native', metric: 'jobs', labels: { service: 'w' }, timestamps: [now - 2000], values: [2] },
      { source: 'native', metric: 'jobs', labels: { service: 'w' }, timestamps: [now - 1000], values: [5] },
      { source: 'native', metric: 'temp', labels: {}, timestamps: [now], values: [21.5] },
    ]);
    stop();
    await source.write({ name: 'temp', value: 22 }, now);
    expect(seen).toHaveLength(3);
  });
});
