import { MODELS, type EmulatedDevice } from './catalog.js';
import { noise, pick } from './random.js';

/**
 * Model alerts ("breaches") of the emulated network: each device gets a few per day, more when
 * it is riskier, at seeded times and mostly in working hours. The anomaly score metric rises
 * around them (traffic.ts), so a chart of scores and the breach list tell one story.
 */

export interface EmulatedBreach {
  pid: number;
  pbid: number;
  score: number;
  name: string;
  /** Epoch ms. */
  time: number;
  did: number;
}

const DAY_MS = 86_400_000;

/** The breaches of one device on the UTC day starting at `dayStart`. */
export function breachesOnDay(seed: number, device: EmulatedDevice, dayStart: number): EmulatedBreach[] {
  const day = Math.floor(dayStart / DAY_MS);
  const count = Math.floor(noise(seed, 'breaches', device.did, day) * (1 + 3 * device.risk));
  const out: EmulatedBreach[] = [];
  for (let k = 0; k < count; k++) {
    const working = noise(seed, 'breach-working', device.did, day, k) < 0.7;
    const hour = working ? 8 + pick(0, 9, seed, 'breach-hour', device.did, day, k) - device.utcOffsetHours : pick(0, 23, seed, 'breach-hour', device.did, day, k);
    const minute = pick(0, 59, seed, 'breach-minute', device.did, day, k);
    const second = pick(0, 59, seed, 'breach-second', device.did, day, k);
    const model = MODELS[pick(0, MODELS.length - 1, seed, 'breach-model', device.did, day, k)]!;
    out.push({
      pid: model.pid,
      // Unique per device, day and slot; grows with time like the appliance's own counter.
      pbid: day * 10_000 + (device.did % 1000) * 10 + k,
      score: Math.round((0.2 + 0.79 * noise(seed, 'breach-score', device.did, day, k)) * 10_000) / 10_000,
      name: model.name,
      time: dayStart + ((((hour % 24) + 24) % 24) * 3600 + minute * 60 + second) * 1000,
      did: device.did,
    });
  }
  return out;
}

/** Breaches of the given devices in [from, to) that have happened by `now`, oldest first. */
export function breachesBetween(seed: number, devices: readonly EmulatedDevice[], from: number, to: number, now: number): EmulatedBreach[] {
  const out: EmulatedBreach[] = [];
  for (let dayStart = Math.floor(from / DAY_MS) * DAY_MS; dayStart < to; dayStart += DAY_MS) {
    for (const device of devices) {
      for (const breach of breachesOnDay(seed, device, dayStart)) {
        if (breach.time >= from && breach.time < to && breach.time <= now) out.push(breach);
      }
    }
  }
  return out.sort((a, b) => a.time - b.time || a.pbid - b.pbid);
}
