import { describe, expect, it } from 'vitest';
import { DecodedAnswers } from '../../src/cache/decoded-answers.js';
import type { SeriesAnswer } from '../../src/sources/source.js';

const text = (value: number) => JSON.stringify([{ source: 'native', metric: 'm', labels: {}, timestamps: [1, 2], values: [value, null] }]);

describe('DecodedAnswers', () => {
  it('parses a cached text once and hands the same answer to later requests', () => {
    const decoded = new DecodedAnswers();
    let parses = 0;
    const parse = (raw: string): SeriesAnswer => {
      parses++;
      return JSON.parse(raw) as SeriesAnswer;
    };
    const first = decoded.decode('q:a', text(1), parse);
    const again = decoded.decode('q:a', text(1), parse);
    expect(again).toBe(first);
    expect(parses).toBe(1);
    expect(first[0]!.values).toEqual([1, null]);
  });

  it('parses again when the store holds a different text for the key (a refresh or another instance wrote it)', () => {
    const decoded = new DecodedAnswers();
    expect(decoded.decode('q:a', text(1), JSON.parse)[0]!.values[0]).toBe(1);
    expect(decoded.decode('q:a', text(2), JSON.parse)[0]!.values[0]).toBe(2);
    // Keys never share an answer, even for equal texts.
    expect(decoded.decode('q:b', text(2), JSON.parse)).not.toBe(decoded.decode('q:a', text(2), JSON.parse));
  });

  it('stays within its size bound by dropping the least recently used answers', () => {
    const decoded = new DecodedAnswers({ maxEntries: 2 });
    let parses = 0;
    const parse = (raw: string): SeriesAnswer => {
      parses++;
      return JSON.parse(raw) as SeriesAnswer;
    };
    decoded.decode('q:a', text(1), parse);
    decoded.decode('q:b', text(2), parse);
    decoded.decode('q:c', text(3), parse);
    decoded.decode('q:a', text(1), parse);
    expect(parses).toBe(4);
  });
});
