import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../src/core/errors.js';
import type { LabelFilter } from '../../src/core/series.js';
import { planAggregate } from '../../src/sources/argus/aggregate-plan.js';
import { DescriptorCatalog } from '../../src/sources/argus/descriptors.js';
import { planSearch } from '../../src/sources/argus/search.js';
import type { AggregateQuery, MetricQuery } from '../../src/sources/source.js';

const catalog = new DescriptorCatalog('argus', [
  { shortName: 'netstats', keys: [{ name: 'ipAddress', type: 'ip' }, { name: 'vlan', type: 'integer' }], values: ['packages', 'frames'], defaultFunctions: {}, global: false },
  { shortName: 'threatfeed', keys: [{ name: 'feed', type: undefined }], values: ['indicators'], global: true },
]);
const netstats = catalog.get('netstats');
const range = { from: 1_800_000_000_000, to: 1_800_003_600_000 };

function search(params: Record<string, unknown> = {}, filters: LabelFilter[] = [], extra: Partial<MetricQuery> = {}) {
  return planSearch(netstats, { metrics: ['netstats'], range, filters, params, ...extra }, 'argus');
}

function refusal(run: () => unknown): BadUserInputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInputError);
    return error as BadUserInputError;
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('search plan', () => {
  it('sends the range with an inclusive end, asks for every record (limit 0) and passes the Argus parameters', () => {
    const plan = search({ keys: { vlan: 10 }, customer: ['acme'], subCriteria: [{ keys: { vlan: 20 } }], sortBy: ['-packages'] });
    expect(plan.body).toEqual({
      startTimestamp: range.from,
      endTimestamp: range.to - 1,
      limit: 0,
      keys: { vlan: 10 },
      customer: ['acme'],
      subCriteria: [{ keys: { vlan: 20 } }],
      sortBy: ['-packages'],
    });
  });

  it('moves filters Argus can apply into the request and keeps the rest for the gateway', () => {
    const plan = search({}, [
      { key: 'customer', values: ['acme', 'globex'], exclude: false },
      { key: 'vlan', values: ['10'], exclude: false },
      { key: 'ipAddress', values: ['10.0.0.1', '10.0.0.2'], exclude: false },
      { key: 'ipAddress', values: ['10.0.0.3'], exclude: true },
    ]);
    expect(plan.body).toMatchObject({ customer: ['acme', 'globex'], keys: { vlan: 10 } });
    expect(plan.localFilters.map((filter) => filter.key)).toEqual(['ipAddress', 'ipAddress']);
  });

  it.each([
    [{ limit: 5000, offset: 5001 }, 'argus.limit', /first 10000 matching records \(limit \+ offset <= 10000\); got limit 5000 \+ offset 5001 = 10001; narrow the search: a shorter range/],
    [{ limit: 10_001 }, 'argus.limit', /argus.limit must be a whole number from 1 to 10000, or 0 for every matching record; got 10001/],
    [{ limit: -1 }, 'argus.limit', /got -1/],
    [{ offset: 10_000 }, 'argus.offset', /got offset 10000; narrow the search/],
    [{ offset: -3 }, 'argus.offset', /argus.offset must be a whole number of records to skip/],
    [{ keys: { mac: 'aa' } }, 'argus.keys.mac', /argus.keys.mac is not a key of Argus descriptor netstats; its keys are ipAddress, vlan/],
    [{ keys: { vlan: [10, 20] } }, 'argus.keys.vlan', /must be one string or number \(Argus matches keys exactly; for several values use filters\); got \[10,20\]/],
    [{ keys: 'vlan=10' }, 'argus.keys', /argus.keys must be an object of key values/],
    [{ customer: [''] }, 'argus.customer', /list of customer ids or shortNames/],
    [{ subCriteria: { keys: {} } }, 'argus.subCriteria', /argus.subCriteria must be a list of criteria objects/],
    [{ sortBy: [''] }, 'argus.sortBy', /key or value names/],
  ])('refuses %j before sending', (params, field, message) => {
    const error = refusal(() => search(params));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it('refuses a filter on a label the descriptor does not have (it would match nothing)', () => {
    const error = refusal(() => search({}, [{ key: 'region', values: ['eu'], exclude: false }]));
    expect(error.message).toBe("filters[].key must be a label of Argus descriptor netstats (customer, ipAddress, vlan); got 'region'");
  });

  it('refuses an interval that would make more than 10000 points per series', () => {
    const error = refusal(() => search({}, [], { intervalMs: 100 }));
    expect(error.field).toBe('interval');
    expect(error.message).toMatch(/36000 points per series/);
  });

  it('refuses customers for a global descriptor, whose records belong to no customer', () => {
    const error = refusal(() => planSearch(catalog.get('threatfeed'), { metrics: ['threatfeed'], range, filters: [], params: { customer: ['acme'] } }, 'argus'));
    expect(error.message).toMatch(/threatfeed is global/);
  });
});

function aggregate(query: Partial<AggregateQuery>) {
  return planAggregate(catalog, { metric: 'netstats.packages', fn: 'sum', groupBy: [], range, filters: [], ...query });
}

describe('aggregate plan', () => {
  it('asks Argus for the function, groups and buckets; customer grouping is a flag', () => {
    const plan = aggregate({ fn: 'max', groupBy: ['customer', 'vlan'], intervalMs: 300_000 })!;
    expect(plan.body).toEqual({
      values: [{ name: 'packages', aggregationFunction: 'max' }],
      groupBy: [{ key: 'vlan', limit: 10_000 }],
      groupByCustomer: true,
      resolution: 5,
      resolutionUnit: 'minutes',
      startTimestamp: range.from,
      endTimestamp: range.to - 1,
      includeOthers: false,
    });
    expect(plan.totals).toBeUndefined();
    // Groups that leave out ipAddress hold several series; a second request counts them.
    expect(plan.seriesCount).toMatchObject({ groupBy: [{ key: 'ipAddress', limit: 10_000 }, { key: 'vlan', limit: 10_000 }], groupByCustomer: true, resolution: 0 });
  });

  it('adds an unbucketed request for averages, whose whole-range value buckets cannot give', () => {
    const plan = aggregate({ fn: 'avg', groupBy: ['customer', 'ipAddress', 'vlan'], intervalMs: 3_600_000 })!;
    expect(plan.totals).toMatchObject({ resolution: 0, values: [{ name: 'packages', aggregationFunction: 'avg' }] });
    expect(plan.seriesCount).toBeUndefined();
  });

  it('weighs wavg by another value of the same descriptor, named as a value or as a metric', () => {
    expect(aggregate({ fn: 'wavg', weightBy: 'frames' })!.body.values).toEqual([{ name: 'packages', aggregationFunction: 'wavg', valueAsWeight: 'frames' }]);
    expect(aggregate({ fn: 'wavg', weightBy: 'netstats.frames' })!.body.values).toEqual([{ name: 'packages', aggregationFunction: 'wavg', valueAsWeight: 'frames' }]);
    // With a limit, the weight's sum comes along to weigh the "others" group.
    expect(aggregate({ fn: 'wavg', weightBy: 'frames', groupBy: ['vlan'], limit: 2 })!.body.values).toEqual([
      { name: 'packages', aggregationFunction: 'wavg', valueAsWeight: 'frames' },
      { name: 'frames', aggregationFunction: 'sum' },
    ]);
  });

  it('refuses WAVG without a weight before anything is sent', () => {
    const error = refusal(() => aggregate({ fn: 'wavg' }));
    expect(error.field).toBe('weightBy');
    expect(error.message).toBe('function WAVG needs weightBy: the value of Argus descriptor netstats that weighs each record (netstats.packages, netstats.frames)');
  });

  it.each([
    ['a function Argus lacks', { fn: 'median' as const }],
    ['a constant weight', { fn: 'wavg' as const, weightBy: '2' }],
    ['an excluding filter', { filters: [{ key: 'vlan', values: ['10'], exclude: true }] }],
    ['several values of one key', { filters: [{ key: 'vlan', values: ['10', '20'], exclude: false }] }],
    ['a page of records', { params: { limit: 100 } }],
  ])('leaves %s to the gateway (undefined)', (_, query) => {
    expect(aggregate(query)).toBeUndefined();
  });

  it.each([
    [{ metric: 'netstats' }, 'metric', /aggregate one value at a time: name netstats.packages or netstats.frames; got 'netstats'/],
    [{ groupBy: ['region'] }, 'groupBy', /groupBy must name labels of Argus descriptor netstats \(customer, ipAddress, vlan\); got 'region'/],
    [{ limit: 0, groupBy: ['vlan'] }, 'limit', /limit must be a positive whole number of groups; got 0/],
    [{ intervalMs: 10_001 }, 'interval', /Argus takes at most 10000 of a unit/],
  ])('refuses %j', (query, field, message) => {
    const error = refusal(() => aggregate(query));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it('takes up to 10000 buckets: an hour of seconds, not a day of them', () => {
    expect(aggregate({ intervalMs: 1000 })).toBeDefined();
    const error = refusal(() => aggregate({ intervalMs: 1000, range: { from: range.from, to: range.from + 86_400_000 } }));
    expect(error.field).toBe('interval');
    expect(error.message).toMatch(/86400 buckets over this range; at most 10000/);
  });

  it('has no customer label on a global descriptor', () => {
    const error = refusal(() => planAggregate(catalog, { metric: 'threatfeed.indicators', fn: 'sum', groupBy: ['customer'], range, filters: [] }));
    expect(error.message).toMatch(/labels of Argus descriptor threatfeed \(feed\)/);
    const plan = planAggregate(catalog, { metric: 'threatfeed.indicators', fn: 'sum', groupBy: ['feed'], range, filters: [] })!;
    expect(plan.body.groupByCustomer).toBeUndefined();
    expect(plan.seriesCount).toBeUndefined();
  });
});
