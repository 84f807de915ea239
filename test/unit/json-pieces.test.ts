import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasAtLeastItems, jsonPieces } from '../../src/http/json-pieces.js';

const text = (value: unknown) => [...jsonPieces(value)].join('');

describe('jsonPieces', () => {
  it('writes what JSON.stringify writes, for any JSON-like value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(text(value)).toBe(JSON.stringify(value));
      }),
    );
  });

  it('drops undefined members, writes undefined array slots as null, and honours toJSON', () => {
    const value = { a: undefined, b: [1, undefined, null], c: new Date(0), d: { toJSON: () => 'x' }, e: () => 1 };
    expect(text(value)).toBe(JSON.stringify(value));
  });

  it('writes long flat arrays in slices that join to the same text', () => {
    const values = Array.from({ length: 10_001 }, (_, i) => (i % 7 === 0 ? null : i / 3));
    const pieces = [...jsonPieces({ values })];
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.join('')).toBe(JSON.stringify({ values }));
  });
});

describe('hasAtLeastItems', () => {
  it('counts the items of nested lists and stops at the bound', () => {
    const series = Array.from({ length: 5 }, () => ({ labels: [{ key: 'a' }], values: [1, 2, 3, 4] }));
    // 5 series + 5 label lists of 1 + 5 value lists of 4 = 30
    expect(hasAtLeastItems({ metricData: series }, 30)).toBe(true);
    expect(hasAtLeastItems({ metricData: series }, 31)).toBe(false);
    expect(hasAtLeastItems({ metricData: [null, ...series] }, 31)).toBe(true);
    expect(hasAtLeastItems(null, 1)).toBe(false);
  });
});
