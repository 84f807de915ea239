/**
 * The collector's own figures in the Prometheus scrape, named as the 254Carbon Metrics Service
 * documents them. They come from the store (shared by every instance in Redis mode), so they are
 * rendered at scrape time rather than kept in prom-client. Pushed metrics may not use these names.
 */
export const COLLECTOR_FAMILIES = {
  collected: { name: 'metrics_collected_total', type: 'counter', help: 'Points the native collector accepted and stored' },
  // The documented names end in _total, yet they are current sizes that go down on eviction;
  // `untyped` keeps them honest (a counter must not go down) and lint-clean (a gauge must not end in _total).
  series: { name: 'metrics_series_total', type: 'untyped', help: 'Series the native collector holds now' },
  points: { name: 'metrics_points_total', type: 'untyped', help: 'Points the native collector holds now' },
  dropped: {
    name: 'metrics_dropped_points_total',
    type: 'counter',
    help: 'Points that fell out of the native collector: point_limit (oldest past maxPointsPerSeries), series_limit (evicted series), retention (too old)',
  },
} as const;

export const COLLECTOR_FAMILY_NAMES = Object.values(COLLECTOR_FAMILIES).map((family) => family.name);
