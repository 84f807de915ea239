import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { resolveNativeSettings } from '../../src/sources/native/config.js';

describe('native source settings', () => {
  it('take config first, then the 254Carbon environment variables, then the documented defaults', () => {
    const env = { ACCESS_MAX_METRIC_SERIES: '20', ACCESS_MAX_POINTS_PER_SERIES: '30', ACCESS_AGGREGATION_WINDOW_SECONDS: '60', ACCESS_RETENTION_HOURS: '6' };
    expect(resolveNativeSettings({}, {})).toMatchObject({ limits: { maxSeries: 10_000, maxPointsPerSeries: 1_000, retentionMs: 86_400_000 }, aggregationWindowMs: 300_000 });
    expect(resolveNativeSettings({}, env)).toMatchObject({ limits: { maxSeries: 20, maxPointsPerSeries: 30, retentionMs: 21_600_000 }, aggregationWindowMs: 60_000 });
    expect(resolveNativeSettings({ maxSeries: 5, retention: 60_000 }, env)).toMatchObject({ limits: { maxSeries: 5, maxPointsPerSeries: 30, retentionMs: 60_000 } });
    expect(resolveNativeSettings({}, { ACCESS_MAX_METRIC_SERIES: '' }).limits.maxSeries).toBe(10_000);
  });

  it('refuse an environment value that is not a positive whole number', () => {
    expect(() => resolveNativeSettings({}, { ACCESS_MAX_POINTS_PER_SERIES: '1.5', ACCESS_AGGREGATION_WINDOW_SECONDS: '0' })).toThrow(
      "native source settings from the environment: ACCESS_MAX_POINTS_PER_SERIES must be a positive whole number; got '1.5'; ACCESS_AGGREGATION_WINDOW_SECONDS must be a positive whole number; got '0'",
    );
  });

  it("pick histogram buckets: per metric, then the source's, then Prometheus's (in ms for a metric in ms)", () => {
    const plain = resolveNativeSettings({}, {});
    expect(plain.bucketsFor('x', undefined)).toEqual([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
    expect(plain.bucketsFor('x', 'ms')).toEqual([5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000]);
    const configured = resolveNativeSettings({ histogramBuckets: [1, 2], metricBuckets: { size: [100] } }, {});
    expect(configured.bucketsFor('size', 'ms')).toEqual([100]);
    expect(configured.bucketsFor('other', 'ms')).toEqual([1, 2]);
  });

  it('are validated with the rest of gateway.yaml, one line per problem', () => {
    let message = '';
    try {
      validateConfig(
        { sources: [{ id: 'native', kind: 'native', store: 'disk', histogramBuckets: [1, 1], summaryQuantiles: [1.5], aggregationWindow: '5 fortnights', maxBodyBytes: 0 }] },
        'gateway.yaml',
        {},
      );
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('sources[0].store:');
    expect(message).toContain('sources[0].histogramBuckets: bucket bounds must be strictly increasing');
    expect(message).toContain('sources[0].summaryQuantiles[0]: quantiles are between 0 and 1');
    expect(message).toContain('sources[0].aggregationWindow: must be a duration like 30s, 5m, 5min, 1h, 1hour, 1d, 7day or a number of seconds; got "5 fortnights"');
    expect(message).toContain('sources[0].maxBodyBytes: must be more than 0; got 0');
  });
});
