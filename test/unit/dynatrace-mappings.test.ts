import { describe, expect, it } from 'vitest';
import { closestKeys } from '../../src/sources/dynatrace/closest-keys.js';
import { buildMappings, DEFAULT_MAPPINGS, MetricMappings } from '../../src/sources/dynatrace/mappings.js';
import { convert, unitConversion } from '../../src/sources/dynatrace/units.js';

describe('dynatrace mappings', () => {
  it('resolves the default table by name, by key and by the integration document\'s wrong keys', () => {
    const mappings = MetricMappings.fromConfig(undefined, undefined);
    expect(mappings.resolve('http_requests')).toMatchObject({ name: 'http_requests', key: 'builtin:service.requestCount.total' });
    expect(mappings.resolve('builtin:service.response.time')).toMatchObject({ name: 'http_duration_ms', key: 'builtin:service.response.time' });
    expect(mappings.resolve('builtin:service.errors.total')).toMatchObject({ name: 'error_count', key: 'builtin:service.errors.total.count' });
    expect(mappings.resolve('builtin:service.keyRequest.count')).toMatchObject({ name: 'key_requests', key: 'builtin:service.keyRequest.count.total' });
    expect(mappings.resolve('builtin:host.cpu.usage')).toEqual({ name: 'builtin:host.cpu.usage', key: 'builtin:host.cpu.usage' });
    expect(mappings.names().sort()).toEqual(['cpu_time_ms', 'db_connections', 'error_count', 'http_duration_ms', 'http_requests', 'key_requests']);
  });

  it('states the real units: response and CPU time are microseconds', () => {
    const units = Object.fromEntries(DEFAULT_MAPPINGS.map((mapping) => [mapping.key, mapping.upstreamUnit]));
    expect(units['builtin:service.response.time']).toBe('MicroSecond');
    expect(units['builtin:service.cpu.time']).toBe('MicroSecond');
  });

  it('adds custom mappings on top of the defaults, and metricMappings replaces them', () => {
    const custom = MetricMappings.fromConfig(undefined, { 'custom:myapp.transactions': 'app_transactions', 'builtin:service.errors.total': 'errors' });
    expect(custom.resolve('app_transactions').key).toBe('custom:myapp.transactions');
    expect(custom.resolve('http_requests').key).toBe('builtin:service.requestCount.total');
    // A custom entry for an alias key takes that metric over, under its literal key.
    expect(custom.resolve('errors')).toMatchObject({ key: 'builtin:service.errors.total' });
    expect(custom.resolve('error_count')).toEqual({ name: 'error_count', key: 'error_count' });

    const replaced = MetricMappings.fromConfig({ 'builtin:service.requestCount.total': 'requests' }, undefined);
    expect(replaced.names()).toEqual(['requests']);
    expect(replaced.resolve('requests').mapping).toMatchObject({ upstreamUnit: 'Count', rollup: 'sum' });
  });

  it('reports every name claimed twice, at its config path', () => {
    const { problems } = buildMappings(undefined, { 'a.b': 'http_requests', 'c.d': 'x', 'e.f': 'x' });
    expect(problems).toEqual([
      { path: ['customMappings', 'a.b'], message: expect.stringContaining("maps to 'http_requests', which 'builtin:service.requestCount.total' already maps to") },
      { path: ['customMappings', 'e.f'], message: expect.stringContaining("maps to 'x', which 'c.d' already maps to") },
    ]);
  });
});

describe('dynatrace units', () => {
  it('converts microseconds to milliseconds exactly', () => {
    const conversion = unitConversion('http_duration_ms', 'MicroSecond');
    expect(conversion.unit).toBe('ms');
    expect(convert(1234, conversion)).toBe(1.234);
    expect(convert(250_000, conversion)).toBe(250);
  });

  it('converts other time units and leaves names without a unit alone', () => {
    expect(convert(2, unitConversion('batch_seconds', 'MilliSecond'))).toBe(0.002);
    expect(convert(2, unitConversion('wait_ms', 'Second'))).toBe(2000);
    expect(convert(7, unitConversion('wait_ms', 'MilliSecond'))).toBe(7);
    expect(unitConversion('http_requests', 'Count')).toEqual({ multiply: 1, divide: 1, unit: 'count' });
    expect(unitConversion('bytes_sent', 'Byte').unit).toBe('Byte');
  });

  it('refuses to guess when the name promises time and Dynatrace says otherwise or nothing', () => {
    expect(() => unitConversion('http_duration_ms', 'Count')).toThrow("'http_duration_ms' promises MilliSecond values but Dynatrace reports the metric in Count");
    expect(() => unitConversion('http_duration_ms', undefined)).toThrow('the Dynatrace unit of its key is unknown');
  });
});

describe('closest keys', () => {
  const catalogue = [
    'builtin:service.errors.total.count', 'builtin:service.errors.total.rate', 'builtin:service.errors.total.successCount',
    'builtin:service.errors.server.count', 'builtin:service.requestCount.total', 'builtin:host.cpu.usage',
  ];

  it('puts keys that extend the unknown one first', () => {
    expect(closestKeys('builtin:service.errors.total', catalogue)).toEqual([
      'builtin:service.errors.total.rate', 'builtin:service.errors.total.count', 'builtin:service.errors.total.successCount',
    ]);
  });

  it('finds typos and finds nothing for keys far from everything', () => {
    expect(closestKeys('builtin:service.requestCount.totl', catalogue)).toEqual(['builtin:service.requestCount.total']);
    expect(closestKeys('something.else.entirely', catalogue)).toEqual([]);
  });
});
