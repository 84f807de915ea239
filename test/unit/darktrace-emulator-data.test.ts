import { describe, expect, it } from 'vitest';
import { breachesBetween } from '../../src/emulators/darktrace/breaches.js';
import { buildDevices, METRICS } from '../../src/emulators/darktrace/catalog.js';
import { metricData, type MetricDataSettings } from '../../src/emulators/darktrace/metricdata.js';
import { rhythm } from '../../src/emulators/darktrace/traffic.js';

/** The emulated network is seeded, realistic in shape, and answers in the real /metricdata form. */
const NOW = Date.parse('2026-03-06T23:59:00Z'); // a Friday
const settings: MetricDataSettings = { unknownMetric: 'error', capitalBooleans: 'reject', fullDeviceDetailsShape: 'wrapped', maxPoints: 100_000 };
const world = (seed: number) => ({ seed, devices: buildDevices(seed, NOW), metrics: METRICS });
const ask = (query: string, seed = 7) => metricData(new URL(`http://appliance/metricdata?${query}`), world(seed), settings, NOW);
const day = (iso: string) => `starttime=${Date.parse(`${iso}T00:00:00Z`)}&endtime=${Date.parse(`${iso}T00:00:00Z`) + 86_400_000}`;

describe('emulated Darktrace data', () => {
  it('is the same for the same seed and different for another', () => {
    const query = `metric=connections&${day('2026-03-04')}&interval=3600`;
    expect(ask(query)).toEqual(ask(query));
    expect(ask(query, 8)).not.toEqual(ask(query));
  });

  it('answers with the real shape: one element per metric, buckets of time, timems, size = in + out', () => {
    const reply = ask(`metric1=connections&metric2=datatransfervolume&${day('2026-03-04')}&interval=3600`);
    expect(reply.status).toBe(200);
    const body = reply.body as Array<{ metric: string; data: Array<{ time: string; timems: number; size: number; in: number; out: number }> }>;
    expect(body.map((item) => item.metric)).toEqual(['connections', 'datatransfervolume']);
    expect(body[0]!.data).toHaveLength(24);
    expect(body[0]!.data[0]).toEqual({ time: '2026-03-04 00:00:00', timems: Date.parse('2026-03-04T00:00:00Z'), size: expect.any(Number), in: expect.any(Number), out: expect.any(Number) });
    for (const point of body.flatMap((item) => item.data)) expect(point.size).toBe(point.in + point.out);
  });

  it('follows a working day: busier on a weekday afternoon than at night or at the weekend', () => {
    const desktop = { ...world(7).devices.find((device) => device.kind === 'desktop')!, utcOffsetHours: 0 };
    const at = (iso: string) => rhythm(desktop, Date.parse(iso));
    expect(at('2026-03-04T14:00:00Z')).toBeGreaterThan(3 * at('2026-03-04T03:00:00Z'));
    expect(at('2026-03-04T14:00:00Z')).toBeGreaterThan(3 * at('2026-03-07T14:00:00Z'));
  });

  it('keeps the largest sample of each bucket, so a wide bucket is at least as high as its narrow ones', () => {
    const wide = (ask(`metric=connections&${day('2026-03-04')}&interval=3600`).body as Array<{ data: Array<{ size: number }> }>)[0]!.data;
    const narrow = (ask(`metric=connections&${day('2026-03-04')}&interval=600`).body as Array<{ data: Array<{ size: number }> }>)[0]!.data;
    wide.forEach((bucket, hour) => {
      expect(bucket.size).toBe(Math.max(...narrow.slice(hour * 6, hour * 6 + 6).map((point) => point.size)));
    });
  });

  it('raises the anomaly score to the breach score around a model alert', () => {
    const devices = world(7).devices;
    const breach = breachesBetween(7, devices, Date.parse('2026-03-01T00:00:00Z'), NOW, NOW).find((candidate) => candidate.score > 0.5)!;
    expect(breach).toBeDefined();
    const start = Math.floor(breach.time / 3_600_000) * 3_600_000;
    const reply = ask(`metric=anomalyscore&starttime=${start - 3_600_000}&endtime=${start + 2 * 3_600_000}&interval=600&did=${breach.did}&breachtimes=true`);
    const [item] = reply.body as Array<{ data: Array<{ size: number }>; breachtimes: Array<{ pbid: number }> }>;
    expect(Math.max(...item!.data.map((point) => point.size))).toBeGreaterThanOrEqual(Math.round(breach.score * 100));
    expect(item!.breachtimes.map((entry) => entry.pbid)).toContain(breach.pbid);
  });

  it('has nothing after now', () => {
    const reply = ask(`metric=connections&starttime=${NOW - 3_600_000}&endtime=${NOW + 3_600_000}&interval=600`);
    const [item] = reply.body as Array<{ data: Array<{ timems: number }> }>;
    expect(Math.max(...item!.data.map((point) => point.timems))).toBeLessThanOrEqual(NOW);
  });
});
