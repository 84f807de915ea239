import { afterAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import type { Gateway } from '../../src/gateway.js';
import { MemoryWindowCounter } from '../../src/limits/window-counter.js';
import { startGateway } from '../helpers/gateway.js';
import { rawRequest, UPGRADE_HEADERS } from '../helpers/raw-http.js';
import { uniquePrefix } from '../helpers/collector.js';
import { sha } from '../helpers/api-keys.js';

const KEY = 'the-right-login-key';
const MAX = 5;
const WINDOW_MS = 60_000;

/** Failed logins are counted per client address; over the budget the address gets 429 on every door. */
describe('failed-login throttle', () => {
  const gateways: Gateway[] = [];
  const start = async (extra: Record<string, unknown> = {}) => {
    const auth = { apiKeys: [{ id: 'web', sha256: sha(KEY), tenant: 'acme' }], failedLogins: { max: MAX, windowMs: WINDOW_MS } };
    const gateway = await startGateway({ auth, ...extra });
    gateways.push(gateway);
    return gateway;
  };

  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.close()));
  });

  const post = (gateway: Gateway, key: string | undefined, options: { localAddress?: string; headers?: Record<string, string> } = {}) =>
    rawRequest(gateway.url, '/graphql', {
      method: 'POST',
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      headers: { 'content-type': 'application/json', ...(key !== undefined ? { 'x-api-key': key } : {}), ...options.headers },
      body: JSON.stringify({ query: '{ sources { id } }' }),
    });

  it(`${MAX} wrong keys are 401; then the address gets 429 with Retry-After on every door, the right key included`, async () => {
    const gateway = await start();
    for (let i = 0; i < MAX; i++) expect((await post(gateway, `wrong-${i}`)).status).toBe(401);
    const refused = await post(gateway, 'wrong-again');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000);
    const error = JSON.parse(refused.body).errors[0];
    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) });
    expect(error.message).toContain('too many failed logins');
    // A right key from a throttled address is refused too: a 200 would tell a guesser it guessed right.
    expect((await post(gateway, KEY)).status).toBe(429);
    // The REST routes keep their {detail, code} shape.
    const rest = await rawRequest(gateway.url, '/metrics/series', { headers: { 'x-api-key': KEY } });
    expect(rest.status).toBe(429);
    expect(JSON.parse(rest.body)).toMatchObject({ code: 'RATE_LIMITED', detail: expect.stringContaining('too many failed logins') });
    expect(Number(rest.headers['retry-after'])).toBeGreaterThan(0);
    // The WebSocket handshake is refused before the upgrade.
    const upgrade = await rawRequest(gateway.url, '/graphql', { headers: UPGRADE_HEADERS });
    expect(upgrade.status).toBe(429);
    expect(Number(upgrade.headers['retry-after'])).toBeGreaterThan(0);
    // X-Forwarded-For is not believed: a client cannot pose as another address.
    expect((await post(gateway, KEY, { headers: { 'x-forwarded-for': '203.0.113.9', forwarded: 'for=203.0.113.9' } })).status).toBe(429);
    // Another address is not throttled, and the probes stay open for everyone.
    expect((await post(gateway, KEY, { localAddress: '127.0.0.2' })).status).toBe(200);
    expect((await rawRequest(gateway.url, '/livez')).status).toBe(200);
  });

  it('requests without credentials do not count (the Explore page asks before a key is entered)', async () => {
    const gateway = await start();
    for (let i = 0; i < MAX * 3; i++) expect((await post(gateway, undefined)).status).toBe(401);
    expect((await post(gateway, KEY)).status).toBe(200);
  });

  it("a successful login does not reset the address's failures", async () => {
    const gateway = await start();
    for (let i = 0; i < MAX - 1; i++) expect((await post(gateway, 'wrong')).status).toBe(401);
    expect((await post(gateway, KEY)).status).toBe(200);
    expect((await post(gateway, 'wrong')).status).toBe(401);
    expect((await post(gateway, KEY)).status).toBe(429);
  });

  it('a WebSocket connection_init with wrong keys counts, and once throttled the socket closes with 4429', async () => {
    const gateway = await start();
    const url = `${gateway.url.replace('http', 'ws')}/graphql`;
    // Opened (upgrade admitted) while the address may still try.
    const socket = new WebSocket(url, 'graphql-transport-ws');
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const closeWith = async (apiKey: string) => {
      const ws = new WebSocket(url, 'graphql-transport-ws');
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      return closed(ws, apiKey);
    };
    for (let i = 0; i < MAX; i++) expect(await closeWith('wrong')).toBe(4403);
    expect(await closed(socket, KEY)).toBe(4429);
  });

  it('is shared through Redis: failures on one instance throttle the address on another', async () => {
    const redis = { url: inject('redisUrl'), keyPrefix: uniquePrefix('fl') };
    const one = await start({ redis });
    const two = await start({ redis });
    for (let i = 0; i < MAX; i++) expect((await post(i % 2 ? one : two, 'wrong')).status).toBe(401);
    expect((await post(one, KEY)).status).toBe(429);
    expect((await post(two, KEY)).status).toBe(429);
  });

  it('behind a trusted proxy the client is the rightmost X-Forwarded-For entry the proxy did not write', async () => {
    const gateway = await start({ trustedProxies: ['127.0.0.1'] });
    const via = (forwardedFor: string, key: string, localAddress = '127.0.0.1') =>
      post(gateway, key, { localAddress, headers: { 'x-forwarded-for': forwardedFor } });
    for (let i = 0; i < MAX; i++) expect((await via('198.51.100.7', 'wrong')).status).toBe(401);
    expect((await via('198.51.100.7', KEY)).status).toBe(429);
    // Another client behind the same proxy is not locked out...
    expect((await via('198.51.100.8', KEY)).status).toBe(200);
    // ...and the throttled one cannot pose as another by writing entries of its own to the left.
    expect((await via('198.51.100.8, 198.51.100.7', KEY)).status).toBe(429);
    // From an address that is not a trusted proxy the header is not read at all.
    expect((await via('198.51.100.7', KEY, '127.0.0.3')).status).toBe(200);
  });

  it('memory stays bounded however many addresses fail', () => {
    let now = 0;
    const counter = new MemoryWindowCounter(WINDOW_MS, 1000, () => now);
    for (let i = 0; i < 50_000; i++) {
      counter.addNow(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 1);
      now += 1;
    }
    expect(counter.size).toBeLessThanOrEqual(1000);
    // The newest addresses are the ones kept.
    expect(counter.addNow('10.0.195.79', 0).count).toBe(1);
  });
});

/** Sends connection_init with a key and resolves with the close code the server answers with. */
function closed(socket: WebSocket, apiKey: string): Promise<number> {
  return new Promise((resolve) => {
    socket.once('close', (code) => resolve(code));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { apiKey } }));
  });
}
