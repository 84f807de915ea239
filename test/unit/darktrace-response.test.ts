import { describe, expect, it } from 'vitest';
import { UpstreamUnavailableError } from '../../src/core/errors.js';
import { matchItems } from '../../src/sources/darktrace/match.js';
import { parseMetricData } from '../../src/sources/darktrace/response.js';

const point = (timems: number, size: number, inbound: number, outbound: number) => ({
  time: new Date(timems).toISOString().slice(0, 19).replace('T', ' '),
  timems,
  size,
  in: inbound,
  out: outbound,
});
const T = Date.parse('2026-03-01T10:00:00Z');
const device = { did: 12, ip: '10.0.18.4', ips: [{ ip: '10.0.18.4', timems: T, time: '2026-03-01 10:00:00', sid: 18 }], sid: 18, hostname: 'fs12', tags: [{ tid: 50, name: 'Admin' }], os: 'Linux' };

describe('reading /metricdata answers', () => {
  it('maps the real array shape: value = size, in and out kept, points sorted', () => {
    const [item] = parseMetricData('dt', [{ metric: 'connections', data: [point(T + 60_000, 9, 0, 9), point(T, 12, 1, 11)] }]);
    expect(item).toEqual({ metric: 'connections', timestamps: [T, T + 60_000], values: [12, 9], in: [1, 0], out: [11, 9] });
  });

  it('reads breachtimes into breaches', () => {
    const [item] = parseMetricData('dt', [
      { metric: 'connections', data: [], breachtimes: [{ pid: 341, pbid: 292504, score: 0.6043, name: 'Compromise::Sustained SSL or HTTP Increase', time: T }] },
    ]);
    expect(item!.breaches).toEqual([{ pid: 341, pbid: 292504, score: 0.6043, name: 'Compromise::Sustained SSL or HTTP Increase', time: T }]);
  });

  it.each([
    ['wrapped next to a devices list', { metrics: [{ metric: 'connections', data: [point(T, 1, 0, 1)] }], devices: [device] }],
    ['inline on each element', [{ metric: 'connections', data: [point(T, 1, 0, 1)], devices: [device] }]],
  ])('reads fulldevicedetails %s', (_, body) => {
    const [item] = parseMetricData('dt', body);
    expect(item!.values).toEqual([1]);
    expect(item!.devices).toEqual([
      {
        did: 12, hostname: 'fs12', ip: '10.0.18.4', ips: [{ ip: '10.0.18.4', time: T, sid: 18 }], macaddress: null, vendor: null, os: 'Linux',
        typename: null, typelabel: null, sid: 18, firstSeen: null, lastSeen: null, tags: ['Admin'], details: device,
      },
    ]);
  });

  it('falls back to the readable time and to in + out when timems or size are absent', () => {
    const [item] = parseMetricData('dt', [{ metric: 'm', data: [{ time: '2026-03-01 10:00:00', in: 2, out: 3 }] }]);
    expect(item).toMatchObject({ timestamps: [T], values: [5], in: [2], out: [3] });
  });

  it.each([
    [{ metric: 'm', interval: 60, data: [] }, /expected a list of metrics, or one list of metrics next to devices; got an object with keys metric, interval, data/],
    ['nope', /expected a list of metrics, got string "nope"/],
    [[{ metric: 'm', data: [{ timestamp: T, value: 1 }] }], /\[0\]\.data\[0\] has neither timems nor a readable time/],
    [[{ metric: 'm', data: [{ timems: T, size: '12' }] }], /\[0\]\.data\[0\]\.size should be a number, got "12"/],
    [[{ metric: 'm', data: {} }], /\[0\]\.data should be a list, got an object/],
    [[{ metric: 'm', data: [], breachtimes: [{ name: 'x', time: T }] }], /breachtimes\[0\]\.pbid should be an integer, got null/],
  ])('refuses the seed-docs shape and other surprises clearly (%#)', (body, message) => {
    let thrown: unknown;
    try {
      parseMetricData('dt', body);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UpstreamUnavailableError);
    expect((thrown as Error).message).toMatch(/^dt answered \/metricdata in an unexpected shape: /);
    expect((thrown as Error).message).toMatch(message);
  });
});

describe('pairing asked metrics with answer elements', () => {
  const item = (metric: string) => ({ metric, timestamps: [], values: [], in: [], out: [] });

  it('goes by name, whatever the order of the answer', () => {
    const matched = matchItems(['a', 'b'], [item('b'), item('a')]);
    expect(matched.get('a')!.metric).toBe('a');
    expect(matched.get('b')!.metric).toBe('b');
  });

  it('falls back to case, then to position when the counts agree', () => {
    expect(matchItems(['Conn'], [item('conn')]).get('Conn')!.metric).toBe('conn');
    const matched = matchItems(['a', 'b'], [item('Label A'), item('b')]);
    expect(matched.get('a')!.metric).toBe('Label A');
  });

  it('leaves a metric without an element unmatched', () => {
    expect(matchItems(['a', 'b'], [item('a')]).has('b')).toBe(false);
  });
});
