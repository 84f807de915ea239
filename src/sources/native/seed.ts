import { MS } from '../../core/duration.js';
import type { RawTrack } from './point.js';
import type { NativeSource } from './adapter.js';
import { seededRandom } from '../../core/seeded-random.js';

/**
 * Deterministic demo data for the native collector: a day of request counters, CPU gauges and
 * latency observations for three services and three customers, the same numbers on every start
 * (a seeded generator, timestamps on 5-minute boundaries), then a live point every few seconds.
 */

const SERVICES = ['checkout', 'search', 'auth'] as const;
const CUSTOMERS = ['acme', 'globex', 'initech'] as const;
const STEP_MS = 5 * MS.MINUTE;

/** The points of one demo tick at `timestamp`; `random` decides the noise. */
export function demoPoints(timestamp: number, random: () => number): RawTrack[] {
  const hour = new Date(timestamp).getUTCHours();
  const daily = 1 + 0.5 * Math.sin(((hour - 6) / 24) * 2 * Math.PI); // busier in the afternoon
  const points: RawTrack[] = [];
  SERVICES.forEach((service, s) => {
    CUSTOMERS.forEach((customer, c) => {
      points.push({
        name: 'http_requests', type: 'counter', service, timestamp, unit: 'requests',
        help: 'HTTP requests served, by service and customer',
        labels: { customer_id: customer }, value: Math.round((40 + 30 * s + 20 * c) * daily * (0.8 + 0.4 * random())),
      });
    });
    points.push({
      name: 'cpu_usage_percent', type: 'gauge', service, timestamp, unit: 'percent',
      help: 'CPU use of the service', value: round(20 + 15 * s + 25 * (daily - 0.5) + 10 * random()),
    });
    for (let i = 0; i < 3; i++) {
      points.push({
        name: 'http_request_duration_ms', type: 'histogram', service, timestamp, unit: 'ms',
        help: 'HTTP request latency', value: round(20 + 30 * s + 200 * random() ** 4),
      });
    }
  });
  return points;
}

/** Loads the last `hours` of demo data ending at the 5-minute boundary before `now`. */
export async function seedDemoData(source: NativeSource, now: number, hours = 24): Promise<void> {
  const random = seededRandom(254);
  const end = Math.floor(now / STEP_MS) * STEP_MS;
  const points: RawTrack[] = [];
  for (let t = end - hours * MS.HOUR + STEP_MS; t <= end; t += STEP_MS) points.push(...demoPoints(t, random));
  for (let i = 0; i < points.length; i += 1000) await source.writeMany(points.slice(i, i + 1000), now);
}

/** Keeps the demo alive: one tick of points every `everyMs`. Returns the function that stops it. */
export function startDemoFeed(source: NativeSource, everyMs = 15 * MS.SECOND): () => void {
  const random = seededRandom(Date.now());
  const timer = setInterval(() => {
    const now = Date.now();
    // A failing store (Redis down) already reports itself in /health; the feed just tries again.
    source.writeMany(demoPoints(now, random), now).catch(() => {});
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
