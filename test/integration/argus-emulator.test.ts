import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARGUS_ACME_KEY, ARGUS_DEMO_KEY, ARGUS_READ_ONLY_KEY, argusFaults, startArgusEmulator, type ArgusEmulator } from '../../src/emulators/argus/index.js';
import { EMULATOR_CERT } from '../../src/emulators/server.js';
import { ARGUS_NOW, HOUR, storedRecords } from '../helpers/argus.js';

/** The emulator itself, over real HTTPS: the behaviour of research/upstreams.md §2.6. */
describe('Argus emulator', () => {
  let argus: ArgusEmulator;
  const agent = new Agent({ connect: { ca: EMULATOR_CERT } });

  beforeAll(async () => {
    argus = await startArgusEmulator({ now: ARGUS_NOW, clock: () => ARGUS_NOW });
  });
  afterAll(async () => {
    await argus.close();
    await agent.close();
  });

  async function post(path: string, body: unknown, key: string | null = ARGUS_DEMO_KEY) {
    const response = await request(`${argus.url}${path}`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', ...(key ? { 'Argus-API-Key': key } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.statusCode, body: (await response.body.json()) as Record<string, any> };
  }

  const lastHour = { startTimestamp: ARGUS_NOW - HOUR, endTimestamp: ARGUS_NOW - 1 };

  it('wraps answers in the envelope, count the total and size the page', async () => {
    const { status, body } = await post('/metrics/v1/metric/netstats/search', { ...lastHour, limit: 10, offset: 5 });
    expect(status).toBe(200);
    expect(body).toMatchObject({ responseCode: 200, limit: 10, offset: 5, count: 36 * 12, size: 10, metaData: {}, messages: [] });
    expect(body.data[0]).toEqual({
      timestamp: expect.any(Number),
      customer: { id: expect.any(Number), shortName: expect.any(String), name: expect.any(String) },
      keys: { ipAddress: expect.stringMatching(/^10\./), vlan: expect.any(Number) },
      values: { packages: expect.any(Number), frames: expect.any(Number) },
    });
  });

  it('returns a page of 25 when no limit is given', async () => {
    const { body } = await post('/metrics/v1/metric/netstats/search', lastHour);
    expect(body.size).toBe(25);
  });

  it.each([
    ['no key', null],
    ['an unknown key', 'not-a-key'],
  ])('answers 401 with the envelope for %s, and the message is not a field error', async (_, key) => {
    const { status, body } = await post('/metrics/v1/metric/netstats/search', lastHour, key);
    expect(status).toBe(401);
    expect(body.responseCode).toBe(401);
    expect(body.messages[0].type).not.toBe('FIELD_ERROR');
    expect(body.data).toBeNull();
  });

  it('accepts the key header in any case', async () => {
    const response = await request(`${argus.url}/metrics/v1/metric/netstats/search`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', 'ARGUS-API-KEY': ARGUS_DEMO_KEY },
      body: JSON.stringify({ ...lastHour, limit: 1 }),
    });
    expect(response.statusCode).toBe(200);
    await response.body.dump();
  });

  it('finds a descriptor by numeric id or shortName, and answers 404 for neither', async () => {
    const byId = await post('/metrics/v1/metric/1001/search', { ...lastHour, limit: 1 });
    const byName = await post('/metrics/v1/metric/netstats/search', { ...lastHour, limit: 1 });
    expect(byId.body.count).toBe(byName.body.count);
    const missing = await post('/metrics/v1/metric/nosuch/search', lastHour);
    expect(missing.status).toBe(404);
    expect(missing.body.messages[0].message).toMatch(/nosuch not found/);
  });

  it('answers 403 to a key without the write function, and to one that may not see the customer', async () => {
    const write = await post('/metrics/v1/metric/netstats', { records: [] }, ARGUS_READ_ONLY_KEY);
    expect(write.status).toBe(403);
    expect(write.body.messages[0].message).toMatch(/lacks function write-netstats/);
    const other = await post('/metrics/v1/metric/netstats/search', { ...lastHour, customer: ['globex'] }, ARGUS_ACME_KEY);
    expect(other.status).toBe(403);
  });

  it('shows a customer-limited key only its own records', async () => {
    const { body } = await post('/metrics/v1/metric/netstats/search', { ...lastHour, limit: 0 }, ARGUS_ACME_KEY);
    expect(body.count).toBe(9 * 12);
    expect(new Set(body.data.map((record: any) => record.customer.shortName))).toEqual(new Set(['acme']));
  });

  describe('the 10,000 result window', () => {
    it.each([
      [{ limit: 10_001 }, 'limit'],
      [{ limit: 5000, offset: 5001 }, 'offset'],
    ])('refuses %j with 412 naming the field', async (page, field) => {
      const { status, body } = await post('/metrics/v1/metric/netstats/search', { ...lastHour, ...page });
      expect(status).toBe(412);
      expect(body.messages[0]).toMatchObject({ type: 'FIELD_ERROR', field });
    });

    it('limit 0 returns every match up to 10000, and beyond that asks to narrow the search', async () => {
      const hour = await post('/metrics/v1/metric/netstats/search', { ...lastHour, limit: 0 });
      expect(hour.body.size).toBe(432);
      const day = await post('/metrics/v1/metric/netstats/search', { startTimestamp: ARGUS_NOW - 24 * HOUR, limit: 0 });
      expect(day.status).toBe(412);
      expect(day.body.messages[0]).toMatchObject({ type: 'FIELD_ERROR', field: 'limit' });
      expect(day.body.messages[0].message).toMatch(/matches 10368 records, more than 10000 can be returned; narrow your search/);
    });
  });

  it('sorts by values and keys, descending with -, and refuses unknown names', async () => {
    const { body } = await post('/metrics/v1/metric/netstats/search', { ...lastHour, limit: 5, sortBy: ['-packages'] });
    const top = storedRecords(argus, 'netstats', ARGUS_NOW - HOUR, ARGUS_NOW).map((record) => record.values.packages!).sort((a, b) => b - a).slice(0, 5);
    expect(body.data.map((record: any) => record.values.packages)).toEqual(top);
    const bad = await post('/metrics/v1/metric/netstats/search', { ...lastHour, sortBy: ['packages', 'bytes'] });
    expect(bad.status).toBe(412);
    expect(bad.body.messages[0]).toMatchObject({ type: 'FIELD_ERROR', field: 'sortBy[1]' });
  });

  describe('aggregate', () => {
    const records = () => storedRecords(argus, 'netstats', ARGUS_NOW - HOUR, ARGUS_NOW);

    it('computes sum, avg, min and max, default the descriptor function', async () => {
      const { body } = await post('/metrics/v1/metric/netstats/aggregate', {
        ...lastHour,
        values: [{ name: 'packages' }, { name: 'frames', aggregationFunction: 'max' }],
      });
      const packages = records().map((record) => record.values.packages!);
      const frames = records().map((record) => record.values.frames!);
      expect(body.data).toEqual([
        {
          keys: [],
          values: [
            { name: 'packages', value: packages.reduce((a, b) => a + b, 0) },
            { name: 'frames', value: Math.max(...frames) },
          ],
          metricDescriptorID: 1001,
        },
      ]);
    });

    it('needs valueAsWeight for wavg', async () => {
      const { status, body } = await post('/metrics/v1/metric/netstats/aggregate', { ...lastHour, values: [{ name: 'packages', aggregationFunction: 'wavg' }] });
      expect(status).toBe(412);
      expect(body.messages[0]).toMatchObject({ type: 'FIELD_ERROR', field: 'values[0].valueAsWeight' });
      const weighted = await post('/metrics/v1/metric/netstats/aggregate', {
        ...lastHour,
        values: [{ name: 'packages', aggregationFunction: 'wavg', valueAsWeight: 'frames' }],
      });
      const all = records();
      const expected = all.reduce((sum, r) => sum + r.values.packages! * r.values.frames!, 0) / all.reduce((sum, r) => sum + r.values.frames!, 0);
      expect(weighted.body.data[0].values[0].value).toBeCloseTo(expected, 9);
    });

    it('keeps the top groups of a key by record count, and buckets by resolution units', async () => {
      const { body } = await post('/metrics/v1/metric/netstats/aggregate', {
        ...lastHour,
        customer: ['acme', 'globex'],
        values: [{ name: 'packages', aggregationFunction: 'sum' }],
        groupBy: [{ key: 'vlan', limit: 2 }],
        resolution: 30,
        resolutionUnit: 'minutes',
      });
      // Every vlan has as many records; ties go by value, so 10 and 20.
      expect(body.data.map((item: any) => [item.keys[0].value, item.metricTimestamp])).toEqual([
        [10, ARGUS_NOW - HOUR],
        [10, ARGUS_NOW - HOUR / 2],
        [20, ARGUS_NOW - HOUR],
        [20, ARGUS_NOW - HOUR / 2],
      ]);
      const expected = records()
        .filter((r) => ['acme', 'globex'].includes(r.customer!.shortName) && r.keys.vlan === 20 && r.timestamp >= ARGUS_NOW - HOUR / 2)
        .reduce((sum, r) => sum + r.values.packages!, 0);
      expect(body.data[3].values[0].value).toBe(expected);
    });

    it.each([
      [{ resolution: 1, resolutionUnit: 'day' }, 'resolutionUnit'],
      [{ resolution: -1, resolutionUnit: 'hours' }, 'resolution'],
      [{ groupBy: [{ key: 'mac', limit: 3 }] }, 'groupBy[0].key'],
      [{ values: [] }, 'values'],
      [{ values: [{ name: 'packages', aggregationFunction: 'median' }] }, 'values[0].aggregationFunction'],
      [{ calendarInterval: 'month' }, 'calendarInterval'],
      [{ colour: 'blue' }, 'colour'],
    ])('refuses %j with 412 on %s', async (change, field) => {
      const { status, body } = await post('/metrics/v1/metric/netstats/aggregate', { ...lastHour, values: [{ name: 'packages' }], ...change });
      expect(status).toBe(412);
      expect(body.messages.map((message: any) => message.field)).toContain(field);
    });

    it('caps resolution at 10000 of its unit', async () => {
      const capped = await post('/metrics/v1/metric/netstats/aggregate', { ...lastHour, values: [{ name: 'packages' }], resolution: 20_000, resolutionUnit: 'seconds' });
      const tenThousand = await post('/metrics/v1/metric/netstats/aggregate', { ...lastHour, values: [{ name: 'packages' }], resolution: 10_000, resolutionUnit: 'seconds' });
      expect(capped.body.data).toEqual(tenThousand.body.data);
    });
  });

  describe('submit', () => {
    const record = (vlan: unknown, timestamp = ARGUS_NOW + 60_000) => ({ timestamp, keys: { ipAddress: '10.9.9.9', vlan }, values: { packages: 1, frames: 1 } });

    it('refuses the whole request when one record is invalid, naming records[i].keys.x', async () => {
      const before = argus.store.records(argus.store.descriptor('netstats')!).length;
      const { status, body } = await post('/metrics/v1/metric/netstats', { records: [record(5), record('five')], customer: 'acme' });
      expect(status).toBe(412);
      expect(body.messages).toEqual([expect.objectContaining({ type: 'FIELD_ERROR', field: 'records[1].keys.vlan' })]);
      expect(argus.store.records(argus.store.descriptor('netstats')!).length).toBe(before);
    });

    it('stores the valid records with ignoreOnFailed and names the skipped ones', async () => {
      const { status, body } = await post('/metrics/v1/metric/netstats', { records: [record('x'), record(7)], customer: 'acme', ignoreOnFailed: true });
      expect(status).toBe(200);
      expect(body.count).toBe(1);
      expect(body.data[0]).toMatchObject({ customer: { shortName: 'acme' }, keys: { vlan: 7 } });
      expect(body.messages).toEqual([expect.objectContaining({ field: 'records[0].keys.vlan' })]);
    });

    it('owns records by the key customer by default and takes no customer on global descriptors', async () => {
      const own = await post('/metrics/v1/metric/netstats', { records: [record(8)] }, ARGUS_ACME_KEY);
      expect(own.body.data[0].customer.shortName).toBe('acme');
      const global = await post('/metrics/v1/metric/threatfeed', { records: [{ timestamp: ARGUS_NOW, keys: { feed: 'x' }, values: { indicators: 1 } }], customer: 'acme' });
      expect(global.status).toBe(412);
      expect(global.body.messages[0].field).toBe('customer');
    });
  });

  it('injects Argus failures in the envelope: 503 and 402 with the wait', async () => {
    argus.server.inject(argusFaults.resourcesExhausted(2500));
    const limited = await post('/metrics/v1/metric/netstats/search', lastHour);
    expect(limited.status).toBe(402);
    expect(limited.body.metaData).toEqual({ millisUntilResourcesAvailable: 2500 });
    argus.server.inject(argusFaults.unavailable());
    const down = await post('/metrics/v1/metric/netstats/search', lastHour);
    expect(down.status).toBe(503);
    expect(down.body.responseCode).toBe(503);
    const fine = await post('/metrics/v1/metric/netstats/search', lastHour);
    expect(fine.status).toBe(200);
  });
});
