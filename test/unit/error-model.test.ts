import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  BadUserInputError,
  CircuitBreakerOpenError,
  DocumentLimitExceededError,
  ERROR_CODES,
  GatewayError,
  GatewayTimeoutError,
  isGatewayError,
  ForbiddenError,
  RateLimitedError,
  StaleDataError,
  UnauthenticatedError,
  UpstreamAuthFailedError,
  UpstreamBadRequestError,
  UpstreamNotFoundError,
  UpstreamRateLimitedError,
  UpstreamUnavailableError,
} from '../../src/core/errors.js';
import { resolveFor, toGraphQLError } from '../../src/graphql/errors.js';

const one: GatewayError[] = [
  new BadUserInputError('m'),
  new UpstreamAuthFailedError('m'),
  new UpstreamNotFoundError('m'),
  new UpstreamBadRequestError('m'),
  new UpstreamRateLimitedError('m', undefined),
  new GatewayTimeoutError('m', 'total'),
  new UpstreamUnavailableError('m'),
  new CircuitBreakerOpenError('m'),
  new StaleDataError('m'),
  new UnauthenticatedError('m'),
  new ForbiddenError('m'),
  new RateLimitedError('m', 1000),
  new DocumentLimitExceededError('m', 'nesting'),
];

describe('GatewayError subclasses', () => {
  it('cover every error code exactly once', () => {
    expect(one.map((error) => error.code).sort()).toEqual([...ERROR_CODES].sort());
  });

  it('are Errors named after their class', () => {
    for (const error of one) {
      expect(error).toBeInstanceOf(Error);
      expect(isGatewayError(error)).toBe(true);
      expect(error.name).toBe(error.constructor.name);
    }
    expect(isGatewayError(new Error('plain'))).toBe(false);
    expect(isGatewayError({ code: 'BAD_USER_INPUT', message: 'm' })).toBe(false);
  });

  it('put code, source and field into extensions, and only those that are set', () => {
    expect(new UpstreamNotFoundError('no such device').extensions()).toEqual({ code: 'UPSTREAM_NOT_FOUND' });
    expect(new BadUserInputError('bad did', { source: 'dt', field: 'darktrace.did' }).extensions()).toEqual({
      code: 'BAD_USER_INPUT',
      source: 'dt',
      field: 'darktrace.did',
    });
  });

  it('keep the cause without exposing it in extensions', () => {
    const cause = new Error('ECONNRESET');
    const error = new UpstreamUnavailableError('argus is unreachable', { source: 'argus', cause });
    expect(error.cause).toBe(cause);
    expect(error.extensions()).toEqual({ code: 'UPSTREAM_UNAVAILABLE', source: 'argus' });
    expect(new UpstreamUnavailableError('x')).not.toHaveProperty('cause');
  });

  it('add retryAfterMs for rate limits when it is known', () => {
    expect(new UpstreamRateLimitedError('slow down', 1500, { source: 'dt' }).extensions()).toEqual({
      code: 'UPSTREAM_RATE_LIMITED',
      source: 'dt',
      retryAfterMs: 1500,
    });
    expect(new UpstreamRateLimitedError('slow down', undefined).extensions()).toEqual({ code: 'UPSTREAM_RATE_LIMITED' });
  });

  it('say which phase timed out', () => {
    const error = new GatewayTimeoutError('dynatrace sent no headers within 5000 ms', 'headers', { source: 'dyn' });
    expect(error.phase).toBe('headers');
    expect(error.extensions()).toEqual({ code: 'GATEWAY_TIMEOUT', source: 'dyn', phase: 'headers' });
  });
});

describe('toGraphQLError', () => {
  it('maps a GatewayError to a GraphQLError with its message and extensions', () => {
    const mapped = toGraphQLError(new UpstreamRateLimitedError('slow down', 2000, { field: 'metric' }));
    expect(mapped).toBeInstanceOf(GraphQLError);
    const error = mapped as GraphQLError;
    expect(error.message).toBe('slow down');
    expect(error.extensions).toEqual({ code: 'UPSTREAM_RATE_LIMITED', field: 'metric', retryAfterMs: 2000 });
    expect(error.originalError).toBeUndefined();
  });

  it('adds the source it is told about when the error names none', () => {
    const error = toGraphQLError(new UpstreamAuthFailedError('token rejected'), 'dt') as GraphQLError;
    expect(error.extensions).toEqual({ code: 'UPSTREAM_AUTH_FAILED', source: 'dt' });
  });

  it('keeps the source the error already names', () => {
    const error = toGraphQLError(new UpstreamAuthFailedError('token rejected', { source: 'argus' }), 'dt') as GraphQLError;
    expect(error.extensions.source).toBe('argus');
  });

  it('passes non-gateway errors and GraphQLErrors through unchanged', () => {
    const plain = new Error('bug');
    const graphQLError = new GraphQLError('already mapped', { extensions: { code: 'X' } });
    expect(toGraphQLError(plain, 'dt')).toBe(plain);
    expect(toGraphQLError(graphQLError, 'dt')).toBe(graphQLError);
    expect(toGraphQLError('a string', 'dt')).toBe('a string');
  });
});

describe('resolveFor', () => {
  it('returns what the body returns', async () => {
    expect(await resolveFor('dt', () => 42)).toBe(42);
  });

  it('reports a gateway failure as a GraphQL error for the source', async () => {
    const failure = resolveFor('dt', async () => {
      throw new CircuitBreakerOpenError('dt is failing; retrying in 30s');
    });
    await expect(failure).rejects.toBeInstanceOf(GraphQLError);
    await expect(failure).rejects.toMatchObject({
      message: 'dt is failing; retrying in 30s',
      extensions: { code: 'CIRCUIT_BREAKER_OPEN', source: 'dt' },
    });
  });

  it('rethrows other failures as they are', async () => {
    const bug = new TypeError('x is undefined');
    await expect(resolveFor('dt', () => Promise.reject(bug))).rejects.toBe(bug);
  });
});
