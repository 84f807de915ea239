import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonNesting, jsonTextNestsDeeperThan } from '../../src/core/nesting.js';

/** Lists and objects nested in a parsed value: the answer the byte scan must agree with. */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

describe('JSON nesting read as bytes', () => {
  it('agrees with the parsed depth, however the text is cut into pieces (escapes and strings across cuts)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.array(fc.nat(), { maxLength: 4 }), fc.integer({ min: 0, max: 7 }), (value, cuts, max) => {
        const bytes = Buffer.from(JSON.stringify(value), 'utf8');
        const at = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
        const scan = new JsonNesting(max);
        let exceeded = false;
        let from = 0;
        for (const to of [...at, bytes.length]) {
          if (!exceeded) exceeded = scan.exceeds(bytes.subarray(from, to));
          from = to;
        }
        expect(exceeded).toBe(depthOf(value) > max);
        expect(jsonTextNestsDeeperThan(JSON.stringify(value), max)).toBe(depthOf(value) > max);
      }),
      { seed: 21, numRuns: 500 },
    );
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(jsonTextNestsDeeperThan(JSON.stringify({ a: '[[[[\\"{{{{' }), 1)).toBe(false);
    expect(jsonTextNestsDeeperThan(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 32)).toBe(true);
  });
});
