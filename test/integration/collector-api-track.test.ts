import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { read, track } from '../helpers/collector.js';
import { startGateway } from '../helpers/gateway.js';

/**
 * POST /metrics/track and POST /metrics/track/batch, as clients of the 254Carbon Metrics Service
 * call them: the documented request bodies are accepted with the documented responses, and every
 * bad input gets a 4xx whose `detail` restates the contract and shows the bad value.
 */

describe('POST /metrics/track', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway({ sources: [{ id: 'native', kind: 'native', maxBodyBytes: 4096 }] });
  });
  afterAll(() => gateway.close());

  it("takes the README's own example and answers as documented", async () => {
    const response = await track(gateway, '/metrics/track', {
      name: 'api_requests_total',
      value: 1,
      type: 'counter',
      labels: { service: 'gateway', endpoint: '/api/v1/instruments', method: 'GET', status_code: '200' },
      service: 'gateway-service',
      tenant_id: 'tenant-1',
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: true, message: 'Metric tracked successfully', name: 'api_requests_total' });

    const series = await read(gateway, '/metrics/series?name=api_requests_total');
    expect(series.body.series).toEqual([
      {
        name: 'api_requests_total',
        type: 'counter',
        // The pushed labels.service clashes with the service field; it is kept as exported_service.
        labels: { endpoint: '/api/v1/instruments', exported_service: 'gateway', method: 'GET', status_code: '200' },
        service: 'gateway-service',
        tenant_id: 'tenant-1',
        point_count: 1,
        latest_value: 1,
        latest_timestamp: expect.stringMatching(/Z$/),
        points: [{ value: 1, timestamp: expect.stringMatching(/Z$/) }],
      },
    ]);
  });

  it('defaults the type to gauge, sanitises the name and takes all four types, 0, negatives and 1e10', async () => {
    expect((await track(gateway, '/metrics/track', { name: 'queue-depth', value: 0 })).body.name).toBe('queue_depth');
    expect((await track(gateway, '/metrics/track', { name: '9lives', value: -3.5 })).body.name).toBe('metric_9lives');
    for (const type of ['counter', 'gauge', 'histogram', 'summary']) {
      const response = await track(gateway, '/metrics/track', { name: `kind_${type}`, value: 1e10, type });
      expect(response.status, type).toBe(200);
    }
    const series = await read(gateway, '/metrics/series?name=queue_depth');
    expect(series.body.series[0]).toMatchObject({ type: 'gauge', latest_value: 0 });
  });

  it('takes a timestamp as ISO-8601, epoch milliseconds or relative to now', async () => {
    const at = Date.now() - 60_000;
    for (const timestamp of [new Date(at).toISOString(), at, 'now-1m']) {
      expect((await track(gateway, '/metrics/track', { name: 'stamped', value: 1, timestamp })).status).toBe(200);
    }
    const [series] = (await read(gateway, '/metrics/series?name=stamped')).body.series;
    expect(Date.parse(series.points[0].timestamp)).toBeGreaterThanOrEqual(at - 1000);
    expect(Date.parse(series.points[0].timestamp)).toBeLessThanOrEqual(at + 1000);
  });

  it.each([
    ['a missing value', { name: 'x' }, 'Missing required fields: name, value; value is missing', 'value'],
    ['a null value', { name: 'x', value: null }, 'Missing required fields: name, value; value is missing', 'value'],
    ['a missing name', { value: 1 }, 'Missing required fields: name, value; name is missing', 'name'],
    ['an empty name', { name: '', value: 1 }, 'Missing required fields: name, value; name is missing', 'name'],
    ['neither', {}, 'Missing required fields: name, value; name and value are missing', 'name'],
    ['the value "abc" (the original stored it)', { name: 'x', value: 'abc' }, "value must be a finite number; got the string 'abc'", 'value'],
    ['a numeric string', { name: 'x', value: '5' }, "value must be a finite number; got the string '5'", 'value'],
    ['a boolean value', { name: 'x', value: true }, 'value must be a finite number; got boolean true', 'value'],
    ['an unknown type', { name: 'x', value: 1, type: 'meter' }, "type must be one of counter, gauge, histogram, summary; got 'meter'", 'type'],
    ['a negative counter increment', { name: 'c', value: -1, type: 'counter' }, 'a counter only goes up: value is the increment and must be >= 0; got -1', 'value'],
    ['labels that are not an object', { name: 'x', value: 1, labels: ['a'] }, 'labels must be an object of string values; got an array ["a"]', 'labels'],
    ['a label value that is not a string', { name: 'x', value: 1, labels: { region: 7 } }, 'labels.region must be a string; got 7', 'labels.region'],
    ['a reserved label name', { name: 'x', value: 1, labels: { __name__: 'y' } }, "label name '__name__' is not valid (names starting with __ are reserved)", 'labels.__name__'],
    ['le on a histogram', { name: 'h', value: 1, type: 'histogram', labels: { le: '1' } }, "label name 'le' is reserved in a histogram: the Prometheus exposition adds it", 'labels.le'],
    ['a service that is not a string', { name: 'x', value: 1, service: 5 }, 'service must be a string; got 5', 'service'],
    ['a tenant_id that is not a string', { name: 'x', value: 1, tenant_id: ['a'] }, 'tenant_id must be a string; got an array ["a"]', 'tenant_id'],
    ['a name that stays invalid', { name: 'x'.repeat(201), value: 1 }, 'name must be at most 200 characters; got 201', 'name'],
    ['an unknown field', { name: 'x', value: 1, lables: {} }, "unknown field 'lables'; a metric takes name, value, type, labels, service, tenant_id, timestamp, unit, help", 'lables'],
    ['tenantId for tenant_id', { name: 'x', value: 1, tenantId: 'a' }, "unknown field 'tenantId'; this API calls it 'tenant_id'", 'tenantId'],
    ['metric_type for type', { name: 'x', value: 1, metric_type: 'gauge' }, "unknown field 'metric_type'; this API calls it 'type'", 'metric_type'],
    ['a timestamp in words', { name: 'x', value: 1, timestamp: 'yesterday' }, /^timestamp must be ISO-8601 .*; got 'yesterday'$/, 'timestamp'],
    ['a timestamp older than the retention', { name: 'x', value: 1, timestamp: 'now-2d' }, /^timestamp .* is older than the retention of 1d/, 'timestamp'],
    ['a timestamp an hour ahead', { name: 'x', value: 1, timestamp: 'now+1h' }, /is more than 10m ahead of the gateway's clock/, 'timestamp'],
  ])('refuses %s with 400', async (_, body, detail, field) => {
    const response = await track(gateway, '/metrics/track', body);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('BAD_USER_INPUT');
    expect(response.body.field).toBe(field);
    if (typeof detail === 'string') expect(response.body.detail).toBe(detail);
    else expect(response.body.detail).toMatch(detail);
  });

  it('refuses a second type for one name, and a name that would clash in the scrape', async () => {
    await track(gateway, '/metrics/track', { name: 'jobs', value: 1, type: 'counter' });
    const typed = await track(gateway, '/metrics/track', { name: 'jobs', value: 1, type: 'gauge' });
    expect(typed.status).toBe(400);
    expect(typed.body).toEqual({ detail: "metric 'jobs' is already a counter; got type gauge (one name, one type)", code: 'BAD_USER_INPUT', field: 'type' });
    // The counter jobs is exposed as jobs_total; a gauge of that name would be a second family.
    const clash = await track(gateway, '/metrics/track', { name: 'jobs_total', value: 1 });
    expect(clash.status).toBe(400);
    expect(clash.body.detail).toBe("metric 'jobs_total' would appear in the Prometheus scrape as 'jobs_total', which metric 'jobs' already uses; pick another name");
    const own = await track(gateway, '/metrics/track', { name: 'gateway_http_requests', value: 1, type: 'counter' });
    expect(own.body.detail).toBe(
      "metric 'gateway_http_requests' would appear in the Prometheus scrape as 'gateway_http_requests_total', which the gateway's own metrics already uses; pick another name",
    );
  });

  it.each([
    ['an array', '[{"name":"x","value":1}]', 'POST /metrics/track takes one metric as a JSON object {name, value, type, labels, service, tenant_id}; got an array of 1 (send arrays to POST /metrics/track/batch)'],
    ['a number', '42', 'POST /metrics/track takes one metric as a JSON object {name, value, type, labels, service, tenant_id}; got number 42'],
    ['null', 'null', 'POST /metrics/track takes one metric as a JSON object {name, value, type, labels, service, tenant_id}; got null'],
    ['broken JSON', '{"name": "x", ', /^POST \/metrics\/track: the body is not valid JSON \(.+\)$/],
    ['an empty body', '', 'POST /metrics/track needs a JSON body; got an empty body'],
  ])('refuses a body that is %s with 400', async (_, body, detail) => {
    const response = await track(gateway, '/metrics/track', body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'BAD_USER_INPUT', field: 'body' });
    if (typeof detail === 'string') expect(response.body.detail).toBe(detail);
    else expect(response.body.detail).toMatch(detail);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const response = await track(gateway, '/metrics/track', 'name=x&value=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(response.status).toBe(415);
    expect(response.body.detail).toBe(
      "POST /metrics/track takes a JSON body (Content-Type: application/json); got Content-Type 'application/x-www-form-urlencoded'",
    );
  });

  it('refuses a body over maxBodyBytes with 413, by Content-Length', async () => {
    const response = await track(gateway, '/metrics/track/batch', Array.from({ length: 200 }, () => ({ name: 'big', value: 1 })));
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', field: 'body' });
    expect(response.body.detail).toMatch(/^POST \/metrics\/track\/batch takes at most 4096 bytes \(4 KiB\) of body; got \d+ bytes\. Send smaller batches/);
    expect((await read(gateway, '/metrics/series?name=big')).body.series).toEqual([]);
  });

  it('refuses a chunked body over maxBodyBytes with 413 while reading it', async () => {
    const url = new URL(`${gateway.url}/metrics/track/batch`);
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on('error', reject);
      req.write('[');
      for (let i = 0; i < 400; i++) req.write(`${i ? ',' : ''}{"name":"chunked","value":${i}}`);
      req.end(']');
    });
    expect(status).toBe(413);
    expect(JSON.parse(body).detail).toMatch(/takes at most 4096 bytes \(4 KiB\) of body; got more than 4096 bytes/);
  });

  it('answers other methods with 405 and an Allow header', async () => {
    const response = await read(gateway, '/metrics/track');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(response.body).toEqual({ detail: '/metrics/track takes POST; got GET', code: 'METHOD_NOT_ALLOWED' });
  });

  it('refuses query parameters it does not know', async () => {
    const response = await track(gateway, '/metrics/track?tenant=a', { name: 'x', value: 1 });
    expect(response.status).toBe(400);
    expect(response.body.detail).toBe("POST /metrics/track does not take the query parameter 'tenant'; it takes 'source'");
  });
});

describe('POST /metrics/track/batch', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());

  it("takes the README's example and answers success, total, successful, failed and results", async () => {
    const response = await track(gateway, '/metrics/track/batch', [
      { name: 'api_requests_total', value: 1, type: 'counter', labels: { service: 'gateway', endpoint: '/api/v1/instruments' }, service: 'gateway-service' },
      { name: 'response_time_seconds', value: 0.042, type: 'histogram', labels: { service: 'gateway', endpoint: '/api/v1/instruments' }, service: 'gateway-service' },
    ]);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      success: true,
      total: 2,
      successful: 2,
      failed: 0,
      results: [
        { index: 0, name: 'api_requests_total', success: true, error: null },
        { index: 1, name: 'response_time_seconds', success: true, error: null },
      ],
    });
  });

  it('stores the good items and gives the reason for each bad one', async () => {
    const response = await track(gateway, '/metrics/track/batch', [
      { name: 'batch_ok', value: 1 },
      { name: 'batch_bad', value: 'abc' },
      'not a metric',
      { name: 'batch_ok', value: 2, type: 'counter' },
      { value: 3 },
      { name: 'batch_ok', value: 3 },
    ]);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      success: true,
      total: 6,
      successful: 2,
      failed: 4,
      results: [
        { index: 0, name: 'batch_ok', success: true, error: null },
        { index: 1, name: 'batch_bad', success: false, error: "value must be a finite number; got the string 'abc'" },
        { index: 2, name: null, success: false, error: "a metric must be a JSON object {name, value, type, labels, service, tenant_id}; got the string 'not a metric'" },
        { index: 3, name: 'batch_ok', success: false, error: "metric 'batch_ok' is already a gauge; got type counter (one name, one type)" },
        { index: 4, name: null, success: false, error: 'Missing required fields: name, value; name is missing' },
        { index: 5, name: 'batch_ok', success: true, error: null },
      ],
    });
    const [series] = (await read(gateway, '/metrics/series?name=batch_ok')).body.series;
    expect(series.points.map((point: { value: number }) => point.value)).toEqual([1, 3]);
    expect((await read(gateway, '/metrics/series?name=batch_bad')).body.series).toEqual([]);
  });

  it('answers an empty batch with zeros', async () => {
    const response = await track(gateway, '/metrics/track/batch', []);
    expect(response.body).toEqual({ success: true, total: 0, successful: 0, failed: 0, results: [] });
  });

  it('refuses a body that is not an array, with a hint for {"metrics": [...]}', async () => {
    const object = await track(gateway, '/metrics/track/batch', { name: 'x', value: 1 });
    expect(object.status).toBe(400);
    expect(object.body.detail).toBe('POST /metrics/track/batch takes a JSON array of metrics; got an object');
    const wrapped = await track(gateway, '/metrics/track/batch', { metrics: [{ name: 'x', value: 1 }] });
    expect(wrapped.body.detail).toBe('POST /metrics/track/batch takes a JSON array of metrics; got an object (send the array itself, not {"metrics": [...]})');
  });

  it('refuses more than 10,000 items with 413', async () => {
    const response = await track(gateway, '/metrics/track/batch', Array.from({ length: 10_001 }, () => ({ name: 'many', value: 1 })));
    expect(response.status).toBe(413);
    expect(response.body.detail).toBe('POST /metrics/track/batch takes at most 10000 metrics per request; got 10001. Split the batch');
  });

  it('counts refused points in metrics_errors_total', async () => {
    const scrape = await read(gateway, '/metrics');
    expect(scrape.body).toMatch(/^metrics_errors_total\{source="native"\} 4$/m);
  });
});

describe('the collector API with several native sources', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway({ sources: [{ id: 'native', kind: 'native' }, { id: 'lab', kind: 'native' }] });
  });
  afterAll(() => gateway.close());

  it('needs ?source= and keeps the sources apart', async () => {
    const unnamed = await track(gateway, '/metrics/track', { name: 'x', value: 1 });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body).toEqual({ detail: 'several native sources are configured (native, lab); name one with ?source=<id>', code: 'BAD_USER_INPUT', field: 'source' });
    expect((await track(gateway, '/metrics/track?source=lab', { name: 'lab_only', value: 1 })).status).toBe(200);
    expect((await read(gateway, '/metrics/series?source=lab')).body.total).toBe(1);
    expect((await read(gateway, '/metrics/series?source=native')).body.total).toBe(0);
    const unknown = await read(gateway, '/metrics/series?source=nowhere');
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toBe("unknown source 'nowhere'; configured sources: native, lab");
  });
});
