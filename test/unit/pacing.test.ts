import { describe, expect, it } from 'vitest';
import { Pacer } from '../../src/graphql/pacing.js';

describe('Pacer', () => {
  it('gives small answers back at once', () => {
    const pacer = new Pacer(100, 10);
    const list = Array.from({ length: 60 }, (_, i) => i);
    expect(pacer.pace(list)).toBe(list);
    expect(pacer.pace(list.slice(0, 40))).toHaveLength(40);
  });

  it('past the free items, hands out large lists one per turn of the event loop, in order', async () => {
    const pacer = new Pacer(100, 10);
    pacer.pace(Array.from({ length: 100 }, () => 0));
    // Counts turns of the event loop: an immediate set from an immediate runs on the next turn.
    let turn = 0;
    let counting = true;
    const count = () => {
      turn++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const seen: Array<[string, number]> = [];
    const lists = ['a', 'b', 'c'].map((name) => Promise.resolve(pacer.pace(Array.from({ length: 20 }, () => name))).then((list) => seen.push([list[0]!, turn])));
    // A short list past the bound still comes back at once.
    expect(Array.isArray(pacer.pace([1, 2]))).toBe(true);
    await Promise.all(lists);
    counting = false;
    expect(seen.map(([name]) => name)).toEqual(['a', 'b', 'c']);
    const turns = seen.map(([, at]) => at);
    expect(turns[1]).toBeGreaterThan(turns[0]!);
    expect(turns[2]).toBeGreaterThan(turns[1]!);
  });
});
