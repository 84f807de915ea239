import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ECHO_CHARS, MAX_MESSAGE_CHARS } from '../../src/core/echo.js';
import type { Gateway } from '../../src/gateway.js';
import { DECIMAL_MAX_DECIMAL_PLACES, DECIMAL_MAX_INTEGER_DIGITS, DECIMAL_MAX_TEXT_CHARS } from '../../src/graphql/scalars/decimal-text.js';
import { gql, startGateway } from '../helpers/gateway.js';

/**
 * Decimal inputs are money: bounded in magnitude and decimal places, checked on the text, so an
 * exponent cannot make decimal.js build a billion-digit number (once ~57 s of frozen process and
 * a crash). Every refusal is BAD_USER_INPUT with a short message, for literals and variables.
 */

const QUERY = 'query ($amount: Decimal!) { allocation(input: { amount: $amount, source: "native", metric: "m", segmentBy: "s", strategy: EVEN }) { total } }';
const literal = (amount: string) => `{ allocation(input: { amount: ${amount}, source: "native", metric: "m", segmentBy: "s", strategy: EVEN }) { total } }`;

describe('Decimal bounds', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(async () => {
    await gateway?.close();
  });

  const largest = `${'9'.repeat(DECIMAL_MAX_INTEGER_DIGITS)}.${'9'.repeat(DECIMAL_MAX_DECIMAL_PLACES)}`;
  const smallest = `0.${'0'.repeat(DECIMAL_MAX_DECIMAL_PLACES - 1)}1`;

  it.each([
    ['a billion-digit exponent', '1e1000000000'],
    ['a hundred-million-digit exponent', '1e100000000'],
    ['a million decimal places by exponent', '1e-1000000'],
    ['one past the magnitude bound', `1${'0'.repeat(DECIMAL_MAX_INTEGER_DIGITS)}`],
    ['the magnitude bound by exponent', `1e${DECIMAL_MAX_INTEGER_DIGITS}`],
    ['one decimal place too many', `0.${'0'.repeat(DECIMAL_MAX_DECIMAL_PLACES)}1`],
    ['a number beyond the bound', 1e300],
    ['text over the length bound', `1.${'0'.repeat(DECIMAL_MAX_TEXT_CHARS)}`],
    // Half the default body limit.
    ['half a megabyte of digits', '1'.repeat(512 * 1024)],
  ])('refuses %s as a variable, with a short message', async (_, amount) => {
    const response = await gql(gateway, QUERY, { amount });
    expect(response.status).toBe(200);
    expect(response.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })]);
    const message = response.errors![0]!.message;
    expect(message).toMatch(/Decimal must be/);
    // The echo is a prefix of the value: the whole message stays around the size of the contract.
    expect(message.length).toBeLessThan(300 + MAX_ECHO_CHARS);
  });

  it.each([
    ['a float with a billion-digit exponent', '1e1000000000'],
    ['a string with a billion-digit exponent', '"1e1000000000"'],
    ['a string with a million decimal places', '"1e-1000000"'],
    ['a string of 100,000 digits', `"${'1'.repeat(100_000)}"`],
  ])('refuses %s as a literal', async (_, amount) => {
    const response = await gql(gateway, literal(amount));
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'input.amount' }) })]);
    expect(response.errors![0]!.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS + 60);
  });

  it.each([[largest], [`-${largest}`], [smallest], ['1.5e3'], ['0e99999'], ['10000.00']])('accepts %s, right at or inside the bounds', async (amount) => {
    const response = await gql(gateway, QUERY, { amount });
    // The amount passed: what fails now is the metric, which does not exist.
    expect(response.errors?.[0]?.message ?? '').not.toMatch(/Decimal/);
  });
});
