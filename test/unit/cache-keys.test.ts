import { describe, expect, it } from 'vitest';
import { queryCacheKey, stableStringify } from '../../src/cache/keys.js';
import { cacheTtlMs, type CachePolicy } from '../../src/cache/ttl.js';
import type { MetricQuery } from '../../src/sources/source.js';

const HOUR = 3_600_000;

const query: MetricQuery = {
  metrics: ['http_requests'],
  range: { from: 1793530800000, to: 1793534400000 },
  intervalMs: 300_000,
  filters: [
    { key: 'service', values: ['checkout', 'auth'], exclude: false },
    { key: 'customer_id', values: ['acme'], exclude: true },
    { key: 'customer_id', values: ['globex', 'initech'], exclude: false },
  ],
  params: { did: 7, options: { depth: 2, mode: 'fast' } },
};

describe('queryCacheKey', () => {
  const key = queryCacheKey('dt', 'key-a', query);

  it('is namespaced by source and carries a 32-character digest', () => {
    expect(key).toMatch(/^q:dt:[A-Za-z0-9_-]{32}$/);
  });

  it('is the same for filters, filter values and params given in another order', () => {
    const reordered: MetricQuery = {
      ...query,
      filters: [
        { key: 'customer_id', values: ['initech', 'globex'], exclude: false },
        { key: 'service', values: ['auth', 'checkout'], exclude: false },
        { key: 'customer_id', values: ['acme'], exclude: true },
      ],
      params: { options: { mode: 'fast', depth: 2 }, did: 7 },
    };
    expect(queryCacheKey('dt', 'key-a', reordered)).toBe(key);
  });

  it('differs for another credential identity', () => {
    expect(queryCacheKey('dt', 'key-b', query)).not.toBe(key);
  });

  it('differs for another source', () => {
    expect(queryCacheKey('dt2', 'key-a', query)).not.toBe(key);
  });

  it('differs for another range or interval', () => {
    expect(queryCacheKey('dt', 'key-a', { ...query, range: { from: query.range.from - HOUR, to: query.range.to } })).not.toBe(key);
    expect(queryCacheKey('dt', 'key-a', { ...query, range: { from: query.range.from, to: query.range.to + HOUR } })).not.toBe(key);
    expect(queryCacheKey('dt', 'key-a', { ...query, intervalMs: 60_000 })).not.toBe(key);
    expect(queryCacheKey('dt', 'key-a', { ...query, intervalMs: undefined })).not.toBe(key);
  });

  it('differs when a filter flips between include and exclude', () => {
    const flipped: MetricQuery = {
      ...query,
      filters: query.filters.map((filter) => (filter.key === 'service' ? { ...filter, exclude: true } : filter)),
    };
    expect(queryCacheKey('dt', 'key-a', flipped)).not.toBe(key);
  });

  it('differs for other params or metrics', () => {
    expect(queryCacheKey('dt', 'key-a', { ...query, params: { did: 8, options: { depth: 2, mode: 'fast' } } })).not.toBe(key);
    expect(queryCacheKey('dt', 'key-a', { ...query, metrics: ['http_requests', 'cpu'] })).not.toBe(key);
  });

  it('does not sort the caller\'s filter values in place', () => {
    const values = ['b', 'a'];
    queryCacheKey('dt', 'key-a', { ...query, filters: [{ key: 'x', values, exclude: false }] });
    expect(values).toEqual(['b', 'a']);
  });
});

describe('stableStringify', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(stableStringify({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('drops undefined members as JSON does', () => {
    expect(stableStringify({ a: undefined, b: 2 })).toBe('{"b":2}');
    expect(stableStringify(undefined)).toBe('null');
  });

  it('writes scalars as JSON', () => {
    expect(stableStringify('x"y')).toBe('"x\\"y"');
    expect(stableStringify(1.5)).toBe('1.5');
    expect(stableStringify(false)).toBe('false');
  });
});

describe('cacheTtlMs', () => {
  const policy: CachePolicy = { openTtlMs: 10_000, closedTtlMs: HOUR, settleMs: 300_000 };
  const now = 1793534400000;

  it('gives the open TTL for a window that reaches now', () => {
    expect(cacheTtlMs({ from: now - HOUR, to: now }, now, policy)).toBe(10_000);
    expect(cacheTtlMs({ from: now - HOUR, to: now + HOUR }, now, policy)).toBe(10_000);
  });

  it('gives the open TTL for a window that ended within the settle time', () => {
    expect(cacheTtlMs({ from: now - HOUR, to: now - 299_999 }, now, policy)).toBe(10_000);
  });

  it('gives the closed TTL once the window ended settleMs ago or longer', () => {
    expect(cacheTtlMs({ from: now - HOUR, to: now - 300_000 }, now, policy)).toBe(HOUR);
    expect(cacheTtlMs({ from: now - 48 * HOUR, to: now - 24 * HOUR }, now, policy)).toBe(HOUR);
  });
});
