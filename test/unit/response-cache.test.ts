import { describe, expect, it } from 'vitest';
import { ResponseCache } from '../../src/cache/response-cache.js';

describe('ResponseCache', () => {
  const at = (start: number) => {
    const clock = { now: start };
    return { clock, cache: new ResponseCache({ maxChars: 64 * 1000, maxAgeMs: 10_000, now: () => clock.now }) };
  };

  it('serves a body until its answers expire, and not after', () => {
    const { clock, cache } = at(1000);
    cache.set('k', '{"data":1}', 4000);
    expect(cache.get('k')).toBe('{"data":1}');
    clock.now = 3999;
    expect(cache.get('k')).toBe('{"data":1}');
    clock.now = 4000;
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps nothing longer than the maximum age, however long its answers stay fresh', () => {
    const { clock, cache } = at(0);
    cache.set('k', 'body', 3_600_000);
    clock.now = 9_999;
    expect(cache.get('k')).toBe('body');
    clock.now = 10_000;
    expect(cache.get('k')).toBeUndefined();
  });

  it('does not keep what has already expired or what would crowd out the rest', () => {
    const { cache } = at(5000);
    cache.set('old', 'body', 5000);
    expect(cache.get('old')).toBeUndefined();
    // A sixty-fourth of the whole size at most.
    cache.set('big', 'x'.repeat(1001), 60_000);
    expect(cache.get('big')).toBeUndefined();
    cache.set('fits', 'x'.repeat(990), 60_000);
    expect(cache.get('fits')).toHaveLength(990);
  });

  it('stays within its size, dropping the least recently used', () => {
    const { cache } = at(0);
    for (let i = 0; i < 200; i++) cache.set(`key-${i}`, 'x'.repeat(900), 60_000);
    expect(cache.size).toBeLessThanOrEqual(71);
    expect(cache.get('key-199')).toBeDefined();
    expect(cache.get('key-0')).toBeUndefined();
  });
});
