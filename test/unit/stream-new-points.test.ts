import { describe, expect, it } from 'vitest';
import type { Series } from '../../src/core/series.js';
import { EventQueue } from '../../src/streams/event-queue.js';
import { NewPointFilter } from '../../src/streams/new-points.js';

const series = (timestamps: number[], values: Array<number | null> = timestamps.map((t) => t * 10), labels = { host: 'a' }): Series => ({
  source: 's', metric: 'm', labels, timestamps, values,
});

describe('NewPointFilter', () => {
  it('passes each point once, even when polls overlap', () => {
    const filter = new NewPointFilter(1000);
    expect(filter.take([series([1, 2, 3])])[0]!.timestamps).toEqual([1, 2, 3]);
    expect(filter.take([series([2, 3, 4, 5])])[0]!.timestamps).toEqual([4, 5]);
    expect(filter.take([series([4, 5])])).toEqual([]);
  });

  it('delivers a late point that was never sent, and sorts each answer by time', () => {
    const filter = new NewPointFilter(1000);
    filter.take([series([10, 12])]);
    expect(filter.take([series([14, 11])])[0]).toMatchObject({ timestamps: [11, 14], values: [110, 140] });
  });

  it('keeps series apart by labels and drops gaps', () => {
    const filter = new NewPointFilter(1000);
    filter.take([series([1], [1], { host: 'a' })]);
    expect(filter.take([series([1], [1], { host: 'b' })])).toHaveLength(1);
    expect(filter.take([series([2, 3], [null, 5], { host: 'b' })])[0]!.timestamps).toEqual([3]);
  });

  it('drops points older than the horizon behind the newest', () => {
    const filter = new NewPointFilter(100);
    filter.take([series([1000])]);
    expect(filter.take([series([850, 950])])[0]!.timestamps).toEqual([950]);
  });
});

describe('EventQueue', () => {
  it('hands events to a waiting reader and ends a pending read on return', async () => {
    let closed = 0;
    const queue = new EventQueue<number>(10, () => closed++);
    const first = queue.next();
    queue.push(1);
    expect(await first).toEqual({ value: 1, done: false });
    const pending = queue.next();
    await queue.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(closed).toBe(1);
  });

  it('disconnects a subscriber that falls too far behind instead of growing without bound', async () => {
    const queue = new EventQueue<number>(2, () => {});
    queue.push(1);
    queue.push(2);
    queue.push(3);
    await expect(queue.next()).rejects.toThrow(/fell 2 events behind/);
  });
});
