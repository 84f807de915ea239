import { describe, expect, it } from 'vitest';
import {
  ArgusRequestError,
  argusErrorFor,
  argusRetryAfterMs,
  formatMessages,
  parseEnvelope,
  relabelField,
} from '../../src/sources/argus/envelope.js';

const errorFor = argusErrorFor('argus-eu');

function body(status: number, messages: unknown[], metaData: Record<string, unknown> = {}): string {
  return JSON.stringify({ responseCode: status, limit: 0, offset: 0, count: 0, size: 0, metaData, messages, data: null });
}

describe('the Argus envelope', () => {
  it('unwraps a page: count is the total, size this page', () => {
    const envelope = parseEnvelope(JSON.stringify({ responseCode: 200, limit: 25, offset: 50, count: 120, size: 25, metaData: {}, messages: [], data: [1, 2] }));
    expect(envelope).toMatchObject({ responseCode: 200, limit: 25, offset: 50, count: 120, size: 25, data: [1, 2], messages: [] });
  });

  it('is not fooled by a body that is not an envelope', () => {
    expect(parseEnvelope('<html>502 Bad Gateway</html>')).toBeUndefined();
    expect(parseEnvelope('[1,2]')).toBeUndefined();
    expect(parseEnvelope('{"status":"ok"}')).toBeUndefined();
  });

  it('formats messages as the Argus SDK does: FIELD_ERROR (field): message', () => {
    expect(
      formatMessages([
        { type: 'FIELD_ERROR', field: 'sortBy[0]', message: 'unknown field' },
        { type: 'ACTION_ERROR', message: 'try later' },
      ]),
    ).toBe('FIELD_ERROR (sortBy[0]): unknown field; ACTION_ERROR: try later');
  });
});

describe('Argus statuses as gateway errors', () => {
  it('412 is a validation refusal naming the field, with every message kept', () => {
    const error = errorFor(412, body(412, [{ type: 'FIELD_ERROR', field: 'limit', message: 'limit must be at most 10000' }]), undefined);
    expect(error).toBeInstanceOf(ArgusRequestError);
    expect(error.extensions()).toEqual({ code: 'UPSTREAM_BAD_REQUEST', source: 'argus-eu', field: 'limit', upstreamStatus: 412 });
    expect(error.message).toBe('argus-eu refused the request (HTTP 412): FIELD_ERROR (limit): limit must be at most 10000');
    expect((error as ArgusRequestError).fields()).toEqual(['limit']);
  });

  it.each([
    [401, 'UPSTREAM_AUTH_FAILED', "argus-eu rejected the gateway's credentials (HTTP 401): ACTION_ERROR: Invalid or expired API key"],
    [403, 'UPSTREAM_AUTH_FAILED', 'argus-eu denied access with the configured credentials (HTTP 403): ACTION_ERROR: Invalid or expired API key'],
    [404, 'UPSTREAM_NOT_FOUND', 'argus-eu has no such descriptor or resource (HTTP 404): ACTION_ERROR: Invalid or expired API key'],
    [503, 'UPSTREAM_UNAVAILABLE', 'argus-eu failed (HTTP 503): ACTION_ERROR: Invalid or expired API key'],
    [422, 'UPSTREAM_BAD_REQUEST', 'argus-eu refused the request (HTTP 422): ACTION_ERROR: Invalid or expired API key'],
  ])('%i becomes %s', (status, code, message) => {
    const error = errorFor(status, body(status, [{ type: 'ACTION_ERROR', message: 'Invalid or expired API key' }]), undefined);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.upstreamStatus).toBe(status);
  });

  it('402 is rate limiting with the wait Argus gives in metaData.millisUntilResourcesAvailable', () => {
    const text = body(402, [{ type: 'ACTION_ERROR', message: 'Resource limit reached' }], { millisUntilResourcesAvailable: 1500.2 });
    const wait = argusRetryAfterMs(402, {}, text);
    expect(wait).toBe(1501);
    const error = errorFor(402, text, wait);
    expect(error.extensions()).toEqual({ code: 'UPSTREAM_RATE_LIMITED', source: 'argus-eu', upstreamStatus: 402, retryAfterMs: 1501 });
  });

  it('finds no wait in other statuses or in a 402 without one', () => {
    expect(argusRetryAfterMs(503, {}, body(503, [], { millisUntilResourcesAvailable: 10 }))).toBeUndefined();
    expect(argusRetryAfterMs(402, {}, body(402, []))).toBeUndefined();
    expect(argusRetryAfterMs(402, {}, 'nope')).toBeUndefined();
  });

  it('quotes a short piece of a body that is not an envelope', () => {
    const error = errorFor(502, '<html><body>Bad   Gateway</body></html>', undefined);
    expect(error.message).toBe('argus-eu failed (HTTP 502): <html><body>Bad Gateway</body></html>');
  });

  it('relabels an Argus field as the gateway argument it came from', () => {
    const error = errorFor(412, body(412, [{ type: 'FIELD_ERROR', field: 'startTimestamp', message: 'bad' }]), undefined);
    const relabelled = relabelField(error, (field) => (field === 'startTimestamp' ? 'from' : field)) as ArgusRequestError;
    expect(relabelled.field).toBe('from');
    expect(relabelled.message).toContain('FIELD_ERROR (startTimestamp): bad');
    expect(relabelled.messages).toEqual((error as ArgusRequestError).messages);
  });
});
