import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capMessage, MAX_ECHO_CHARS, MAX_MESSAGE_CHARS, quoted } from '../../src/core/echo.js';
import type { Gateway } from '../../src/gateway.js';
import { read } from '../helpers/collector.js';
import { gql, startGateway } from '../helpers/gateway.js';

/**
 * Errors echo the bad value, cut short: a message is never longer than MAX_MESSAGE_CHARS (plus
 * the note saying it was cut), whichever code wrote it, in GraphQL responses and REST bodies.
 */

/** The longest message that can leave: the cap plus the "(message cut; it had N chars)" note. */
const LONGEST = capMessage('x'.repeat(10_000_000)).length;
const HUGE = 'a'.repeat(200_000);

describe('quoted and capMessage', () => {
  it('show short values whole and long ones as a prefix with their length', () => {
    expect(quoted('5 minutes')).toBe('"5 minutes"');
    expect(quoted(HUGE)).toBe(`"${'a'.repeat(MAX_ECHO_CHARS)}…" (200000 chars)`);
    expect(quoted({ minutes: 5 })).toBe('{"minutes":5}');
    expect(quoted(null)).toBe('null');
  });

  it('describe a deep value by its size instead of walking it', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(quoted(deep)).toBe('a list of 1 item');
    expect(quoted({ a: deep, b: 1, c: 2, d: 3 })).toBe('an object with keys "a", "b", "c" and 1 more');
  });

  it('cut only messages over the cap', () => {
    expect(capMessage('short')).toBe('short');
    expect(capMessage('x'.repeat(MAX_MESSAGE_CHARS + 1))).toBe(`${'x'.repeat(MAX_MESSAGE_CHARS)}… (message cut; it had ${MAX_MESSAGE_CHARS + 1} chars)`);
  });
});

describe('error echoes through the gateway', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('cuts graphql-js’s echo of a long literal in a validation error', async () => {
    const response = await gql(gateway, `{ metricData(source: "native", metric: ["${HUGE}"]) { metric } }`);
    expect(response.status).toBe(400);
    expect(response.errors![0]!.message).toMatch(/^String cannot represent a non string value: \["aaaa/);
    expect(response.errors![0]!.message.length).toBeLessThanOrEqual(LONGEST);
  });

  it('cuts graphql-js’s echo of a long variable in a coercion error', async () => {
    const response = await gql(gateway, 'query ($m: String) { metricData(source: "native", metric: $m) { metric } }', { m: [HUGE] });
    expect(response.errors![0]!.message).toMatch(/^Variable "\$m" got invalid value/);
    expect(response.errors![0]!.message.length).toBeLessThanOrEqual(LONGEST);
  });

  it('cuts a REST detail that echoes a long path', async () => {
    const answer = await read(gateway, `/metrics/${'p'.repeat(12_000)}`);
    expect(answer.status).toBe(404);
    expect(answer.body.detail.length).toBeLessThanOrEqual(LONGEST);
    const trend = await read(gateway, `/metrics/trends/${'m'.repeat(12_000)}`);
    expect(trend.status).toBe(404);
    expect(trend.body.detail).toContain(`(12000 chars)`);
  });
});
