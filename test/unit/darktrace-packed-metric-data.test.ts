import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { packMetricData, unpackMetricData } from '../../src/sources/darktrace/packed-metric-data.js';
import { parseMetricData } from '../../src/sources/darktrace/response.js';

const T = Date.parse('2026-03-01T10:00:00Z');
const ANSWER = [
  {
    metric: 'connections',
    data: [
      { timems: T, size: 12.5, in: 1, out: 11.5 },
      { timems: T + 3_600_000, in: null, out: null },
      { timems: T + 7_200_000, size: 0, in: 0, out: 0 },
    ],
    breachtimes: [{ pid: 341, pbid: 292504, score: 0.6, name: 'Compromise::Beaconing', time: T }],
  },
  { metric: 'externalconnections', data: [] },
  { metric: 'datatransfervolume', data: [{ timems: T, size: 1e15, in: -0, out: 5e-324 }], devices: [{ did: 12, hostname: 'fs12' }] },
];

/** What crosses a MessagePort, as it crosses between the upstream thread and the gateway's. */
function crossed<T>(value: T, transfer: ArrayBuffer[]): T {
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(value, transfer);
  const received = receiveMessageOnPort(port2)!.message as T;
  port1.close();
  return received;
}

describe('/metricdata answers packed for the trip between threads', () => {
  it('unpack to exactly what was read: nulls, zeros, extremes, breaches and devices', () => {
    const items = parseMetricData('dt', ANSWER);
    const { value, transfer } = packMetricData(items);
    expect(unpackMetricData(crossed(value, transfer))).toEqual(items);
  });

  it('move their numbers in one buffer instead of copying them', () => {
    const { value, transfer } = packMetricData(parseMetricData('dt', ANSWER));
    expect(transfer).toEqual([value.numbers.buffer]);
    // (3 + 0 + 1 points) x timestamps, values, in, out
    expect(value.numbers).toHaveLength(16);
    crossed(value, transfer);
    expect(value.numbers.buffer.byteLength).toBe(0);
  });
});
