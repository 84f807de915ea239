import fc from 'fast-check';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Gateway } from '../../src/gateway.js';
import { MAX_BODY_NESTING } from '../../src/http/read-json-body.js';
import { limitsSchema } from '../../src/limits/config.js';
import { track } from '../helpers/collector.js';
import { startGateway } from '../helpers/gateway.js';
import { JsonText, nestedListJson, nestedObjectJson, send, TRANSPORTS } from '../helpers/graphql-requests.js';

/**
 * Deep variables, extensions and REST bodies are refused with a 4xx naming the limit before
 * anything recursive reads them (V8's JSON.parse takes a million levels; graphql-js coercion,
 * the response-cache key and the label checks did not, and answered 500). Fuzzed with random
 * deep structures: nothing answers 5xx and the process keeps answering /livez.
 */

const DEFAULTS = limitsSchema.parse({});
const FILTERED = 'query ($filters: [LabelFilter!]) { metricData(source: "native", metric: "m", filters: $filters) { metric } }';
const TRACK = 'mutation ($labels: JSON) { trackMetric(input: { name: "deep", value: 1, labels: $labels }) { name } }';

/** `{"labels": <nested>}` as JSON text. */
const labels = (json: string) => new JsonText(`{"labels":${json}}`);
/** A value this deep can be stringified here (only 100,000 levels overflow the test's own stack). */
const nestedObject = (depth: number): unknown => JSON.parse(nestedObjectJson(depth));

describe('input nesting', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(async () => {
    await gateway?.close();
  });

  const refused = { status: 400, body: { errors: [expect.objectContaining({ extensions: { code: 'DOCUMENT_LIMIT_EXCEEDED', limit: 'inputNesting' } })] } };

  it.each(['POST application/json', 'POST application/graphql-response+json'] as const)('refuses a 100,000-deep JSON variable (%s)', async (transport) => {
    expect(await send(gateway.url, transport, TRACK, labels(nestedObjectJson(100_000)))).toMatchObject(refused);
  });

  it('refuses a deep body sent chunked (no Content-Length) while it streams in, and the client reads the 400', async () => {
    const text = new TextEncoder().encode(`{"query":${JSON.stringify(TRACK)},"variables":{"labels":${nestedObjectJson(100_000)}}}`);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < text.length; i += 64 * 1024) controller.enqueue(text.subarray(i, i + 64 * 1024));
        controller.close();
      },
    });
    const response = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Array<{ extensions: unknown }> }).errors[0]!.extensions).toEqual({ code: 'DOCUMENT_LIMIT_EXCEEDED', limit: 'inputNesting' });
  });

  it('counts no brackets inside JSON strings', async () => {
    // Escaped quotes too: a scanner that took \" for the end of the string would count what follows.
    const deepText = '\\"['.repeat(50_000);
    expect((await track(gateway, '/metrics/track', { name: 'brackets', value: 1, labels: { text: deepText.slice(0, 100) } })).status).toBe(200);
    const answer = await send(gateway.url, 'POST application/json', TRACK, { labels: { text: deepText } });
    expect(answer.body.errors?.[0]?.extensions?.code).not.toBe('DOCUMENT_LIMIT_EXCEEDED');
  });

  it.each(TRANSPORTS)('refuses variables one level past the limit (%s)', async (transport) => {
    // The variables object itself is one level.
    expect(await send(gateway.url, transport, TRACK, { labels: nestedObject(DEFAULTS.maxInputNesting) })).toMatchObject(refused);
  });

  it('refuses deep input objects and lists in variables, not only JSON', async () => {
 expect(await send(gateway.url, 'POST application/json', FILTERED, new JsonText(`{"filters":${nestedListJson(50_000)}}`))).toMatchObject(refused);
  });

  it('refuses deep extensions', async () => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"query":"{ sources { id } }","extensions":${nestedObjectJson(100_000)}}`,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Array<{ extensions: unknown }> }).errors[0]!.extensions).toEqual({ code: 'DOCUMENT_LIMIT_EXCEEDED', limit: 'inputNesting' });
  });

  it('lets variables at the limit through to the resolver', async () => {
    const answer = await send(gateway.url, 'POST application/json', TRACK, { labels: nestedObject(DEFAULTS.maxInputNesting - 1) });
    // Labels are flat strings: the collector refuses the value itself, in its own words.
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses deep variables and documents over WebSocket without closing the connection', async () => {
    const client = createClient({ url: gateway.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
    const run = (query: string, variables?: Record<string, unknown>) =>
      new Promise<unknown>((resolve) => {
        client.subscribe({ query, ...(variables ? { variables } : {}) }, { next: (value) => resolve(value), error: (error) => resolve({ thrown: error }), complete: () => {} });
      });
    try {
      // graphql-ws's own JSON.stringify in this process sets the depth sent here.
      expect(await run(FILTERED, { filters: JSON.parse(nestedListJson(1_000)) })).toMatchObject({ errors: [{ extensions: { code: 'DOCUMENT_LIMIT_EXCEEDED', limit: 'inputNesting' } }] });
      const deepDocument = `{ metrics(search: ${'['.repeat(3000)}"x"${']'.repeat(3000)}) { name } }`;
      expect(await run(deepDocument)).toMatchObject({ thrown: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'DOCUMENT_LIMIT_EXCEEDED', limit: 'nesting' }) })] });
      expect(await run('{ sources { id } }')).toEqual({ data: { sources: [{ id: 'native' }] } });
    } finally {
      await client.dispose();
    }
  });

  it.each([
    ['/metrics/track', `{"name":"deep","value":1,"labels":${nestedObjectJson(50_000)}}`],
    ['/metrics/track/batch', [{ name: 'deep', value: 1, labels: nestedObject(MAX_BODY_NESTING) }]],
  ])('refuses a REST body nested too deeply at %s', async (path, body) => {
    const answer = await track(gateway, path, body);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'DOCUMENT_LIMIT_EXCEEDED', field: 'body' });
  });

  it('answers random deep structures below 500, in variables, documents and REST bodies', async () => {
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.jsonValue({ maxDepth: 1 }), fc.array(tie('tree'), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 3 }), tie('tree'), { maxKeys: 2 })),
    }));
    // Deep chains of one kind, so the fuzz reaches past every limit, around a random leaf. Kept as
    // JSON text: fast-check would print a failing value recursively and overflow the stack itself.
    const chain = fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[', '{"k":'), tree).map(([depth, open, leaf]) => {
      const close = open === '[' ? ']' : '}';
      return `${open.repeat(depth)}${JSON.stringify(leaf)}${close.repeat(depth)}`;
    });
    const json = fc.oneof(tree.map((value) => JSON.stringify(value)), chain);
    const brackets = fc.array(fc.constantFrom('[', ']', '{', '}', '(', ')', '"', '#', '\n', 'a', ':', ' ', '"""', '1'), { maxLength: 4_000 }).map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(json, brackets, async (value, text) => {
        expect((await send(gateway.url, 'POST application/json', TRACK, labels(value))).status).toBeLessThan(500);
        expect((await send(gateway.url, 'POST application/json', `{ metrics(search: ${text}) { name } }`)).status).toBeLessThan(500);
        expect((await track(gateway, '/metrics/track', `{"name":"fuzz","value":1,"labels":${value}}`)).status).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
    expect((await fetch(`${gateway.url}/livez`)).status).toBe(200);
  });
});
