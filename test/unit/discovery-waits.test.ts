import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { GatewayTimeoutError } from '../../src/core/errors.js';
import { RequestDeadline } from '../../src/resilience/request-deadline.js';
import { deadlineOf } from '../../src/resilience/signal-deadline.js';
import { waitWithin } from '../../src/resilience/wait-within.js';
import { DescriptorCache } from '../../src/sources/darktrace/descriptors.js';
import { DescriptorCatalogue } from '../../src/sources/dynatrace/descriptors.js';
import type { DynatraceClient } from '../../src/sources/dynatrace/client.js';

/** A call the test ends when it chooses: the shared discovery read another request began. */
function pending<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

/** A request deadline of `ms` whose client never leaves. */
function requestDeadline(ms: number, now = Date.now()): RequestDeadline {
  return new RequestDeadline(ms, () => new AbortController().signal, now);
}

describe('waiting on shared discovery', () => {
  it('a Darktrace request that joined a /metrics read leaves at its own deadline; the read goes on for the others', async () => {
    const read = pending<unknown>();
    let reads = 0;
    const cache = new DescriptorCache('dt', () => (reads++, read.promise), 600_000);
    const first = cache.get();
    const deadline = requestDeadline(50);
    const joined = cache.get(deadline.signal).catch((error: unknown) => error);

    const error = await joined;
    expect(error).toBeInstanceOf(GatewayTimeoutError);
    expect(error).toMatchObject({ code: 'GATEWAY_TIMEOUT', source: 'dt', message: 'dt did not answer within the request deadline (requestDeadlineMs: 50)' });

    read.resolve([{ name: 'connections', label: 'Connections' }]);
    expect([...(await first).keys()]).toEqual(['connections']);
    // The read that outlived the joined request filled the cache for everyone after it.
    expect([...(await cache.get(requestDeadline(50).signal)).keys()]).toEqual(['connections']);
    expect(reads).toBe(1);
  });

  it('a Dynatrace request leaves a catalogue fetch at its own deadline', async () => {
    const page = pending<unknown>();
    const client = { get: () => page.promise } as unknown as DynatraceClient;
    const catalogue = new DescriptorCatalogue(client, 'dyn', 600_000);
    const first = catalogue.all();
    const error = await catalogue.all(requestDeadline(50).signal).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: 'GATEWAY_TIMEOUT', source: 'dyn' });
    page.resolve({ metrics: [{ metricId: 'builtin:host.cpu.usage' }], nextPageKey: null });
    expect([...(await first).keys()]).toEqual(['builtin:host.cpu.usage']);
  });

  it('a client that left gets the abort back, not GATEWAY_TIMEOUT (nobody reads it)', async () => {
    const left = new AbortController();
    const waiting = waitWithin(new Promise(() => {}), left.signal, 'dt').catch((error: unknown) => error);
    left.abort(new Error('client went away'));
    expect(await waiting).toMatchObject({ message: 'client went away' });
  });

  it('passes the work through when the signal does not abort', async () => {
    const deadline = requestDeadline(10_000);
    await expect(waitWithin(Promise.resolve(7), deadline.signal, 'dt')).resolves.toBe(7);
    await expect(waitWithin(Promise.reject(new Error('upstream said no')), deadline.signal, 'dt')).rejects.toThrow('upstream said no');
    deadline.release();
  });
});

describe('RequestDeadline', () => {
  it('counts from the start of the request, not from the first upstream call, and carries its end on the signal', async () => {
    const startedAt = Date.now() - 1000;
    const deadline = requestDeadline(1000, startedAt);
    const signal = deadline.signal;
    expect(deadlineOf(signal)).toEqual({ at: startedAt + 1000, ms: 1000 });
    if (!signal.aborted) await once(signal, 'abort');
    expect(signal.reason).toMatchObject({ name: 'TimeoutError', message: 'timed out after 1000 ms' });
  });
});
