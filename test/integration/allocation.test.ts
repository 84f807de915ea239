import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { gql, startGateway } from '../helpers/gateway.js';

const DAY1 = '2026-11-01';
const DAY2 = '2026-11-02';

/** Usage pushed into the native collector as counter increments at noon UTC of each day. */
const USAGE = [
  { metric: 'http_requests', label: 'customer_id', day: DAY1, values: { acme: 50_000, globex: 30_000, initech: 20_000 } },
  { metric: 'http_requests', label: 'customer_id', day: DAY2, values: { acme: 10_000, globex: 10_000, initech: 0 } },
  { metric: 'bytes_served', label: 'region', day: DAY1, values: { eu: 2_000_000, us: 1_500_000, ap: 500_000 } },
];

const SPLIT = `allocation(input: $input) {
  total currency strategy per from to
  shares { segment usage fraction percent amount }
  days { day total fellBack shares { segment amount } }
}`;

describe('Query.allocation', () => {
  let gateway: Gateway;

  beforeAll(async () => {
    // Billing looks back weeks; the collector's default 24h retention would refuse these points.
    gateway = await startGateway({ sources: [{ id: 'native', kind: 'native', retention: '90d' }] });
    const inputs = USAGE.flatMap(({ metric, label, day, values }) =>
      Object.entries(values).map(([segment, value]) => ({ name: metric, type: 'COUNTER', value, labels: { [label]: segment }, timestamp: `${day}T12:00:00Z` })),
    );
    const tracked = await gql(gateway, 'mutation ($inputs: [TrackMetricInput!]!) { trackMetrics(inputs: $inputs) { failed } }', { inputs });
    expect(tracked.data!.trackMetrics.failed).toBe(0);
  });
  afterAll(() => gateway.close());

  const allocation = (input: Record<string, unknown>) => gql(gateway, `query ($input: AllocationInput!) { ${SPLIT} }`, { input });
  const amounts = (shares: Array<{ segment: string; amount: string }>) => Object.fromEntries(shares.map((share) => [share.segment, share.amount]));

  it('$10,000/day by http_requests on customer_id: 50k/30k/20k -> $5,000/$3,000/$2,000', async () => {
    const response = await allocation({
      amount: '10000', per: 'DAY', source: 'native', metric: 'http_requests', segmentBy: 'customer_id',
      strategy: 'PROPORTIONAL_ON', from: DAY1, to: `${DAY1}T23:59:59Z`,
    });
    expect(response.errors).toBeUndefined();
    const result = response.data!.allocation;
    expect(result).toMatchObject({ total: '10000.00', currency: 'USD', strategy: 'PROPORTIONAL_ON', per: 'DAY', from: `${DAY1}T00:00:00.000Z`, to: `${DAY2}T00:00:00.000Z` });
    expect(amounts(result.shares)).toEqual({ acme: '5000.00', globex: '3000.00', initech: '2000.00' });
    expect(result.shares.find((share: { segment: string }) => share.segment === 'acme')).toMatchObject({ usage: 50_000, fraction: 0.5, percent: 50 });
  });

  it('$50,000/day by region: 2M/1.5M/0.5M -> $25,000/$18,750/$6,250', async () => {
    const response = await allocation({
      amount: '50000', per: 'DAY', source: 'native', metric: 'bytes_served', segmentBy: 'region',
      strategy: 'PROPORTIONAL_ON', from: DAY1, to: DAY1,
    });
    expect(amounts(response.data!.allocation.shares)).toEqual({ eu: '25000.00', us: '18750.00', ap: '6250.00' });
  });

  it('per day over two days: each day by its own usage, totals summed exactly', async () => {
    const response = await allocation({
      amount: '100', per: 'DAY', source: 'native', metric: 'http_requests', segmentBy: 'customer_id',
      strategy: 'PROPORTIONAL_ON', from: DAY1, to: '2026-11-03',
    });
    const result = response.data!.allocation;
    expect(result.days.map((day: { day: string; total: string }) => [day.day, day.total])).toEqual([[`${DAY1}T00:00:00.000Z`, '100.00'], [`${DAY2}T00:00:00.000Z`, '100.00']]);
    expect(amounts(result.days[1].shares)).toEqual({ acme: '50.00', globex: '50.00', initech: '0.00' });
    expect(amounts(result.shares)).toEqual({ acme: '100.00', globex: '80.00', initech: '20.00' });
    expect(result.total).toBe('200.00');
  });

  it('a segment filter keeps only the named segments, unused ones at zero', async () => {
    const response = await allocation({
      amount: '90', source: 'native', metric: 'http_requests', segmentBy: 'customer_id', segments: ['globex', 'initech', 'umbrella'],
      strategy: 'PROPORTIONAL_ON', from: DAY1, to: DAY1,
    });
    expect(amounts(response.data!.allocation.shares)).toEqual({ globex: '54.00', initech: '36.00', umbrella: '0.00' });
  });

  it('EVEN, FIXED and WEIGHTED_AVERAGE', async () => {
    const base = { amount: '100', source: 'native', metric: 'http_requests', segmentBy: 'customer_id', from: DAY1, to: '2026-11-03' };
    const even = await allocation({ ...base, strategy: 'EVEN' });
    expect(amounts(even.data!.allocation.shares)).toEqual({ acme: '33.34', globex: '33.33', initech: '33.33' });
    const fixed = await allocation({ ...base, strategy: 'FIXED', fixedShares: { acme: '0.5', globex: 0.25, initech: '0.25' } });
    expect(amounts(fixed.data!.allocation.shares)).toEqual({ acme: '50.00', globex: '25.00', initech: '25.00' });
    const weighted = await allocation({ ...base, strategy: 'WEIGHTED_AVERAGE', windowDays: 2, per: 'DAY' });
    // Day 2's window is days 1-2: acme 60k, globex 40k, initech 20k.
    expect(amounts(weighted.data!.allocation.days[1].shares)).toEqual({ acme: '50.00', globex: '33.33', initech: '16.67' });
  });

  it('yen have no minor unit', async () => {
    const response = await allocation({ amount: '1000', currency: 'JPY', source: 'native', metric: 'http_requests', segmentBy: 'customer_id', strategy: 'EVEN', from: DAY1, to: DAY1 });
    expect(amounts(response.data!.allocation.shares)).toEqual({ acme: '334', globex: '333', initech: '333' });
  });

  it.each([
    [{ amount: '-5' }, /amount must not be negative/],
    [{ amount: '1.005' }, /more decimals than USD has \(2\)/],
    [{ currency: 'DOLLARS' }, /currency must be an ISO 4217 code/],
    [{ segmentBy: 'planet' }, /no series of 'http_requests' has the label 'planet'/],
    [{ strategy: 'FIXED', fixedShares: { acme: '0.5', globex: '0.4' } }, /fixedShares must sum to 1; they sum to 0.9/],
    [{ strategy: 'FIXED' }, /FIXED needs fixedShares/],
    [{ strategy: 'WEIGHTED_AVERAGE', windowDays: 0 }, /windowDays must be a whole number of days from 1 to 90; got 0/],
    [{ from: DAY2, to: DAY1 }, /from must be before to/],
    [{ from: '2026-10-25', to: '2026-10-27' }, /no segment has any usage between 2026-10-25 and 2026-10-26: 'http_requests' has no data there/],
  ])('refuses %j', async (change, message) => {
    const response = await allocation({ amount: '100', source: 'native', metric: 'http_requests', segmentBy: 'customer_id', strategy: 'PROPORTIONAL_ON', from: DAY1, to: DAY1, ...change });
    expect(response.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(response.errors![0]!.message).toMatch(message);
  });

  it('splits evenly when nobody has usage and the fallback says so', async () => {
    const response = await allocation({ amount: '10', source: 'native', metric: 'http_requests', segmentBy: 'customer_id', segments: ['a', 'b'], strategy: 'PROPORTIONAL_ON', fallback: 'EVEN', from: '2026-10-25', to: '2026-10-25' });
    expect(amounts(response.data!.allocation.shares)).toEqual({ a: '5.00', b: '5.00' });
    expect(response.data!.allocation.days[0].fellBack).toBe(true);
  });
});
