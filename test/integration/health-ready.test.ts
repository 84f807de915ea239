import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { gql, startGateway } from '../helpers/gateway.js';

describe('/health, /ready and request ids', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway({ sources: [{ id: 'native', kind: 'native' }, { id: 'lab', kind: 'native' }] });
  });
  afterAll(() => gateway.close());

  it('/health lists every source and the cache as JSON', async () => {
    const response = await fetch(`${gateway.url}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const body = await response.json();
    expect(body.status).toBe('ok');
    expect(body.sources.map((source: { id: string }) => source.id)).toEqual(['native', 'lab']);
    expect(body.sources[0]).toMatchObject({ kind: 'native', healthy: true });
    expect(body.cache).toMatchObject({ kind: 'memory', healthy: true });
  });

  it('Query.sources reports the same', async () => {
    const response = await gql(gateway, '{ sources { id kind healthy message } }');
    expect(response.data!.sources).toEqual([
      { id: 'native', kind: 'NATIVE', healthy: true, message: '0 series, 0 points in memory' },
      { id: 'lab', kind: 'NATIVE', healthy: true, message: '0 series, 0 points in memory' },
    ]);
  });

  it('/ready is 200 while serving', async () => {
    const response = await fetch(`${gateway.url}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ready: true });
  });

  it('echoes a sane x-request-id and makes one up otherwise', async () => {
    const given = await fetch(`${gateway.url}/health`, { headers: { 'x-request-id': 'dash-42' } });
    expect(given.headers.get('x-request-id')).toBe('dash-42');
    const invented = await fetch(`${gateway.url}/health`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(invented.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('/ready turns 503 once shutdown begins', async () => {
    const other = await startGateway();
    const closing = other.close();
    // The listener may already be closed; either way nothing new is accepted as ready.
    const answer = await fetch(`${other.url}/ready`).then((r) => r.status, () => 'refused');
    expect([503, 'refused']).toContain(answer);
    await closing;
  });
});
