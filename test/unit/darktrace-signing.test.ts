import { describe, expect, it } from 'vitest';
import { checkSignature, parseDtapiDate } from '../../src/emulators/darktrace/auth.js';
import type { EmulatedRequest } from '../../src/emulators/server.js';
import { pathWithQuery } from '../../src/sources/darktrace/params.js';
import { dtapiDate, signature, signedHeaders, signedPathOf } from '../../src/sources/darktrace/sign.js';

/** The Darktrace SDK's own test vectors (tests/test_auth.py), recomputed in research/upstreams.md §1.2. */
const SDK = { publicToken: 'test_public_token', privateToken: 'test_private_token' };

describe('Darktrace request signing', () => {
  it.each([
    ['/devices', '2025-01-15 12:30:00', 'e3c82b28eb735735b9d288d6d2d63b14cba2e008'],
    ['/devices?aparam=aval&mparam=mval&zparam=zval', '2025-06-01 00:00:00', '2f247e5248b933fccf527bebc479248613c320a4'],
    ['/modelbreaches/101/comments?{"message":"Test Comment","priority":"high"}', '2023-12-25 23:59:59', 'b309669f63f10c0de47230144c623b6869ebfac3'],
  ])('reproduces the SDK vector for %s', (path, date, expected) => {
    expect(signature(SDK, path, date)).toBe(expected);
  });

  it('signs the decoded query of what is sent, in the order sent', () => {
    const sent = pathWithQuery('/metricdata', [['metric', 'connections'], ['from', '2026-01-01 12:00:00'], ['to', '2026-01-01 13:00:00']]);
    expect(sent).toBe('/metricdata?metric=connections&from=2026-01-01%2012%3A00%3A00&to=2026-01-01%2013%3A00%3A00');
    expect(signedPathOf(sent)).toBe('/metricdata?metric=connections&from=2026-01-01 12:00:00&to=2026-01-01 13:00:00');
    // A form-encoded space (+) means the same to the appliance.
    expect(signedPathOf('/x?from=2026-01-01+12:00:00')).toBe('/x?from=2026-01-01 12:00:00');
    expect(signedPathOf('/metrics')).toBe('/metrics');
  });

  it('builds the three DTAPI headers with a UTC date in the SDK format', () => {
    const headers = signedHeaders(SDK, '/devices', new Date('2025-01-15T12:30:00.999Z'));
    expect(headers).toEqual({
      'DTAPI-Token': 'test_public_token',
      'DTAPI-Date': '2025-01-15 12:30:00',
      'DTAPI-Signature': 'e3c82b28eb735735b9d288d6d2d63b14cba2e008',
    });
    expect(dtapiDate(new Date(Date.UTC(2026, 1, 3, 4, 5, 6)))).toBe('2026-02-03 04:05:06');
  });
});

describe('the emulator checks signatures as the appliance does', () => {
  const now = Date.parse('2026-03-01T10:00:00Z');
  const tokens = [{ publicToken: 'pub', privateToken: 'priv' }];

  function request(rawPath: string, headers: Record<string, string>): EmulatedRequest {
    return { method: 'GET', rawPath, url: new URL(rawPath, 'http://emulator'), headers: lower(headers), body: '', receivedAt: now };
  }

  it('accepts a signature over the decoded query and says so', () => {
    const sent = pathWithQuery('/metricdata', [['metric', 'a'], ['from', '2026-03-01 09:00:00'], ['to', '2026-03-01 10:00:00']]);
    const check = checkSignature(request(sent, signedHeaders({ publicToken: 'pub', privateToken: 'priv' }, sent, new Date(now))), tokens, now);
    expect(check).toMatchObject({ ok: true, matched: 'decoded' });
  });

  it('also accepts a signature over the raw encoded query', () => {
    const sent = '/metricdata?metric=a&from=2026-03-01%2009%3A00%3A00&to=2026-03-01%2010%3A00%3A00';
    const date = '2026-03-01 10:00:00';
    const headers = { 'DTAPI-Token': 'pub', 'DTAPI-Date': date, 'DTAPI-Signature': signature({ publicToken: 'pub', privateToken: 'priv' }, sent, date) };
    expect(checkSignature(request(sent, headers), tokens, now)).toMatchObject({ ok: true, matched: 'raw' });
  });

  it('refuses a query sent in another order than signed', () => {
    const signedFor = '/metricdata?metric=a&interval=60';
    const headers = signedHeaders({ publicToken: 'pub', privateToken: 'priv' }, signedFor, new Date(now));
    expect(checkSignature(request('/metricdata?interval=60&metric=a', headers), tokens, now)).toMatchObject({ ok: false });
  });

  it('refuses a wrong private token, an unknown public token and missing headers', () => {
    const sent = '/metrics';
    expect(checkSignature(request(sent, signedHeaders({ publicToken: 'pub', privateToken: 'wrong' }, sent, new Date(now))), tokens, now)).toMatchObject({ ok: false });
    expect(checkSignature(request(sent, signedHeaders({ publicToken: 'who', privateToken: 'priv' }, sent, new Date(now))), tokens, now))
      .toEqual({ ok: false, reason: 'unknown public token' });
    expect(checkSignature(request(sent, {}), tokens, now)).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/) });
  });

  it('allows 30 minutes of clock skew and no more', () => {
    const sent = '/metrics';
    const at = (offsetMs: number) => checkSignature(request(sent, signedHeaders({ publicToken: 'pub', privateToken: 'priv' }, sent, new Date(now + offsetMs))), tokens, now);
    expect(at(29 * 60_000).ok).toBe(true);
    expect(at(-29 * 60_000).ok).toBe(true);
    expect(at(31 * 60_000)).toMatchObject({ ok: false, reason: expect.stringMatching(/30 minutes/) });
    expect(at(-31 * 60_000).ok).toBe(false);
  });

  it('reads the DTAPI-Date forms clients send', () => {
    const expected = Date.parse('2023-01-01T12:00:00Z');
    expect(parseDtapiDate('2023-01-01 12:00:00')).toBe(expected);
    expect(parseDtapiDate('20230101T120000')).toBe(expected);
    expect(parseDtapiDate('2023-01-01T12:00:00.123456+00:00')).toBe(expected + 123);
    expect(parseDtapiDate('01/01/2023 12:00')).toBeUndefined();
  });
});

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}
