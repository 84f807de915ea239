import { describe, expect, it } from 'vitest';
import { describeError, rateLimitWaitMs } from '../../src/sources/dynatrace/errors.js';

describe('dynatrace error envelopes', () => {
  it('puts constraint violation paths into the reason', () => {
    const body = JSON.stringify({
      error: {
        code: 400,
        message: 'Constraints violated.',
        constraintViolations: [
          { path: 'entitySelector', message: 'Predicate name mzId not applicable for type SERVICE_METHOD', parameterLocation: 'QUERY', location: null },
          { path: 'resolution', message: 'must be a timespan', parameterLocation: 'QUERY', location: null },
        ],
      },
    });
    expect(describeError(400, body)).toBe(
      'Constraints violated. (entitySelector: Predicate name mzId not applicable for type SERVICE_METHOD; resolution: must be a timespan)',
    );
  });

  it('reads plain envelopes and ignores bodies that are not envelopes', () => {
    expect(describeError(401, '{"error":{"code":401,"message":"Token Authentication failed"}}')).toBe('Token Authentication failed');
    expect(describeError(502, '<html>Bad gateway</html>')).toBeUndefined();
    expect(describeError(500, '{"status":"down"}')).toBeUndefined();
  });
});

describe('dynatrace rate-limit waits', () => {
  const now = 1_700_000_000_000;

  it('waits until X-RateLimit-Reset, which is in microseconds', () => {
    expect(rateLimitWaitMs(429, { 'x-ratelimit-reset': String((now + 1500) * 1000) }, now)).toBe(1500);
    expect(rateLimitWaitMs(429, { 'x-ratelimit-reset': String((now + 1500) * 1000 + 1) }, now)).toBe(1501);
  });

  it('does not wait for a reset in the past, and knows nothing without the header', () => {
    expect(rateLimitWaitMs(429, { 'x-ratelimit-reset': String((now - 5000) * 1000) }, now)).toBe(0);
    expect(rateLimitWaitMs(429, {}, now)).toBeUndefined();
    expect(rateLimitWaitMs(429, { 'x-ratelimit-reset': 'soon' }, now)).toBeUndefined();
    expect(rateLimitWaitMs(503, { 'x-ratelimit-reset': String((now + 1500) * 1000) }, now)).toBeUndefined();
  });
});
