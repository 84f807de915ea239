import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../src/core/errors.js';
import { planCalls, type CallScope } from '../../src/sources/dynatrace/plan.js';
import { filterCondition, metricExpression, parseResolution, queryString, quoteString, resolutionFor, selectorKey } from '../../src/sources/dynatrace/selector.js';

describe('dynatrace metric selector building', () => {
  it('quotes strings with tilde escapes and keys only when they need it', () => {
    expect(quoteString('Server "North"')).toBe('"Server ~"North~""');
    expect(quoteString('a~b')).toBe('"a~~b"');
    expect(selectorKey('builtin:service.requestCount.total')).toBe('builtin:service.requestCount.total');
    expect(selectorKey('shop.requests.count')).toBe('shop.requests.count');
    expect(selectorKey('custom.5xx_errors')).toBe('"custom.5xx_errors"');
    expect(selectorKey('ext:selfmonitoring.jmx.Agents: Type "APACHE"')).toBe('"ext:selfmonitoring.jmx.Agents: Type ~"APACHE~""');
  });

  it('turns label filters into conditions: eq, or of eq, ne, and of ne', () => {
    expect(filterCondition({ key: 'region', values: ['eu-west'], exclude: false })).toBe('eq("region","eu-west")');
    expect(filterCondition({ key: 'region', values: ['eu-west', 'us-east', 'eu-west'], exclude: false })).toBe('or(eq("region","eu-west"),eq("region","us-east"))');
    expect(filterCondition({ key: 'plan_tier', values: ['free'], exclude: true })).toBe('ne("plan_tier","free")');
    expect(filterCondition({ key: 'plan_tier', values: ['free', 'pro'], exclude: true })).toBe('and(ne("plan_tier","free"),ne("plan_tier","pro"))');
    expect(filterCondition({ key: 'plan_tier', values: [], exclude: true })).toBeUndefined();
  });

  it('chains filter, splitBy and aggregation in that order', () => {
    expect(
      metricExpression({
        key: 'builtin:service.response.time',
        filters: [{ key: 'dt.entity.service', values: ['SERVICE-1'], exclude: false }, { key: 'x', values: [], exclude: true }],
        splitBy: ['dt.entity.service'],
        aggregation: 'percentile(95)',
      }),
    ).toBe('builtin:service.response.time:filter(eq("dt.entity.service","SERVICE-1")):splitBy("dt.entity.service"):percentile(95)');
    expect(metricExpression({ key: 'a.b', filters: [], splitBy: [] })).toBe('a.b:splitBy()');
    expect(metricExpression({ key: 'a.b', filters: [] })).toBe('a.b');
  });

  it.each([
    [60_000, '1m'],
    [300_000, '5m'],
    [5_400_000, '90m'],
    [3_600_000, '1h'],
    [86_400_000, '1d'],
    [2 * 86_400_000, '2d'],
    [7 * 86_400_000, '1w'],
  ])('asks for resolution %s ms as %s', (ms, resolution) => {
    expect(resolutionFor(ms)).toBe(resolution);
    expect(parseResolution(resolution)).toBe(ms);
  });

  it.each([30_000, 90_000, 1500])('refuses interval %s ms, which is not whole minutes', (ms) => {
    expect(() => resolutionFor(ms)).toThrow(BadUserInputError);
    expect(() => resolutionFor(ms)).toThrow(/must be a whole number of minutes/);
  });

  it('reads the resolution of an answer, Inf included, and refuses calendar slots', () => {
    expect(parseResolution('Inf')).toBe(Infinity);
    expect(parseResolution('1M')).toBeUndefined();
  });

  it('always sends from and to, and encodes every parameter', () => {
    expect(queryString({ selector: 'a.b:filter(eq("k","v w"))', from: 1, to: 2, resolution: '1h', entitySelector: 'type("SERVICE")', mzSelector: 'mzName("prod")' })).toBe(
      'metricSelector=a.b%3Afilter(eq(%22k%22%2C%22v%20w%22))&from=1&to=2&resolution=1h&entitySelector=type(%22SERVICE%22)&mzSelector=mzName(%22prod%22)',
    );
    expect(queryString({ selector: 'a.b', from: 1, to: 2 })).toBe('metricSelector=a.b&from=1&to=2');
  });
});

describe('dynatrace call planning', () => {
  const scope: CallScope = { from: 0, to: 3_600_000, resolution: '1m' };
  const parts = (count: number, at: CallScope = scope) => Array.from({ length: count }, (_, i) => ({ expression: `m${i}.count`, scope: at }));

  it('packs ten expressions into one call and the eleventh into another', () => {
    expect(planCalls(parts(10)).map((call) => call.expressions.length)).toEqual([10]);
    expect(planCalls(parts(11)).map((call) => call.expressions.length)).toEqual([10, 1]);
    expect(planCalls(parts(25)).map((call) => call.expressions.length)).toEqual([10, 10, 5]);
  });

  it('asks an expression several queries share once', () => {
    const calls = planCalls([...parts(3), ...parts(3)]);
    expect(calls).toEqual([{ scope, expressions: ['m0.count', 'm1.count', 'm2.count'] }]);
  });

  it('keeps different time frames, resolutions and scopes apart', () => {
    const calls = planCalls([
      ...parts(2),
      ...parts(2, { ...scope, resolution: '1h' }),
      ...parts(2, { ...scope, entitySelector: 'type("SERVICE")' }),
      ...parts(2, { ...scope, to: 7_200_000 }),
    ]);
    expect(calls).toHaveLength(4);
    for (const call of calls) expect(call.expressions).toEqual(['m0.count', 'm1.count']);
  });

  it('starts a new call before the selector passes 5,000 characters', () => {
    const long = Array.from({ length: 4 }, (_, i) => ({ expression: `k${i}:filter(eq("a","${'x'.repeat(1500)}"))`, scope }));
    const calls = planCalls(long);
    expect(calls.map((call) => call.expressions.length)).toEqual([3, 1]);
    for (const call of calls) expect(call.expressions.join(',').length).toBeLessThanOrEqual(5000);
  });
});
