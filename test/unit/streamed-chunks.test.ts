import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FloatColumn } from '../../src/graphql/columns/float-column.js';
import { chunked } from '../../src/http/use-streamed-json.js';

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return chunks;
}

describe('streamed JSON chunks', () => {
  it('are the UTF-8 bytes of JSON.stringify, cut anywhere but inside a character', async () => {
    // Strings of any code points, four-byte ones included, so characters fall across chunk ends.
    const value = fc.jsonValue({ depthSize: 'small' }).chain((json) => fc.tuple(fc.constant(json), fc.string({ unit: 'grapheme' })));
    await fc.assert(
      fc.asyncProperty(value, fc.integer({ min: 4, max: 40 }), async ([json, label], size) => {
        const body = { data: json, label: `${label}🙂ø` };
        const chunks = await collect(chunked(body, size, ReadableStream));
        for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(size);
        const bytes = Buffer.concat(chunks);
        expect(bytes.equals(Buffer.from(JSON.stringify(body), 'utf8'))).toBe(true);
        // Every chunk decodes on its own: no character is split between two.
        for (const chunk of chunks) expect(new TextDecoder('utf-8', { fatal: true }).decode(chunk)).toBeTypeOf('string');
      }),
      { numRuns: 300 },
    );
  });

  it('write float columns as the arrays they hold, full chunks but the last', async () => {
    const values = Array.from({ length: 20_000 }, (_, i) => (i % 5 === 0 ? null : i / 3));
    const body = { data: { metricData: [{ values: new FloatColumn(values) }] } };
    const chunks = await collect(chunked(body, 64 * 1024, ReadableStream));
    expect(chunks.slice(0, -1).every((chunk) => chunk.length === 64 * 1024)).toBe(true);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(JSON.stringify({ data: { metricData: [{ values }] } }));
  });
});
