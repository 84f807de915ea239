import type { ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { hasAtLeastItems, jsonPieces } from './json-pieces.js';

export interface StreamedJsonOptions {
  /** Results whose lists hold this many items between them are streamed. @default 50000 */
  minItems?: number;
  /** Bytes written per chunk before the event loop gets a turn. @default 64 KiB */
  chunkBytes?: number;
}

/**
 * Large answers (50 series of 10,000 points) go out as a stream of chunks, written while the
 * socket takes them, instead of one JSON string made in one go. Yoga's own processor would hold
 * the result, its whole text and that text's bytes at once, and block the event loop for the
 * whole serialisation (about half a second at 10 MB). Here each chunk of text is made when the
 * socket wants it and the event loop gets a turn after each, so other requests and heartbeats
 * go on and at most a chunk of it exists at a time, encoded straight into the bytes sent.
 *
 * Only plain JSON answers without errors are streamed; the rest (errors need yoga's status
 * rules, event streams and multipart have their own framing) go through yoga's processor.
 */
export function useStreamedJson(options: StreamedJsonOptions = {}): Plugin {
  const minItems = options.minItems ?? 50_000;
  const chunkBytes = options.chunkBytes ?? 64 * 1024;
  return {
    onResultProcess({ request, result, setResultProcessor }) {
      if (Array.isArray(result) || isAsyncIterable(result)) return;
      const single = result as ExecutionResult;
      // A kept response (src/graphql/use-response-cache.ts) has only `stringify`, no data.
      if (single.errors?.length || single.data == null || !hasAtLeastItems(single.data, minItems)) return;
      const mediaType = regularMediaType(request.headers.get('accept'));
      if (!mediaType) return;
      const body = single.extensions ? { data: single.data, extensions: withoutInternals(single.extensions) } : { data: single.data };
      setResultProcessor(
        (_, fetchAPI) =>
          new fetchAPI.Response(chunked(body, chunkBytes, fetchAPI.ReadableStream), { status: 200, headers: { 'content-type': `${mediaType}; charset=utf-8` } }),
        mediaType,
      );
    },
  };
}

/** The JSON text of `value` as a stream of chunks of at most `chunkBytes` (at least 4) UTF-8 bytes. */
export function chunked(value: unknown, chunkBytes: number, Stream: typeof ReadableStream): ReadableStream<Uint8Array> {
  const pieces = jsonPieces(value);
  const encoder = new TextEncoder();
  // What is left of a piece that did not fit in the last chunk.
  let rest = '';
  let started = false;
  return new Stream<Uint8Array>({
    async pull(controller) {
      // A turn for the event loop before each chunk but the first.
      if (started) await new Promise((resolve) => setImmediate(resolve));
      started = true;
      // Pieces are encoded straight into the chunk: no joined text, no second copy of it.
      const chunk = new Uint8Array(chunkBytes);
      let used = 0;
      while (used < chunkBytes) {
        if (!rest) {
          const next = pieces.next();
          if (next.done) {
            if (used > 0) controller.enqueue(chunk.subarray(0, used));
            controller.close();
            return;
          }
          rest = next.value;
          continue;
        }
        const { read, written } = encoder.encodeInto(rest, chunk.subarray(used));
        used += written;
        rest = rest.slice(read);
        // A character of up to 4 bytes did not fit in what was left: the next chunk takes it.
        if (read === 0) break;
      }
      controller.enqueue(used === chunkBytes ? chunk : chunk.subarray(0, used));
    },
    cancel() {
      pieces.return(undefined);
    },
  });
}

/**
 * The JSON media type yoga would answer a single result in for this Accept header, or undefined
 * when it would not answer in JSON. Yoga tries the header's types last to first and keeps the
 * last match, its JSON processor after the others, so the first listed JSON-compatible type wins
 * (a wildcard type being application/json).
 */
function regularMediaType(accept: string | null): string | undefined {
  const requested = (accept || '*/*')
    .replace(/\s/g, '')
    .toLowerCase()
    .split(',')
    .filter((entry) => {
      const charset = entry.split(';').find((param) => param.includes('charset='));
      return !charset || charset === 'charset=utf-8';
    })
    .map((entry) => entry.split(';')[0]!);
  for (const type of requested) {
    const [main, sub] = type.split('/');
    const json = (main === '*' || main === 'application') && (sub === '*' || sub === 'json');
    const graphqlJson = (main === '*' || main === 'application') && (sub === '*' || sub === 'graphql-response+json');
    if (json) return 'application/json';
    if (graphqlJson) return 'application/graphql-response+json';
  }
  return undefined;
}

function withoutInternals(extensions: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!('http' in extensions)) return extensions;
  const { http: _http, ...rest } = extensions;
  return Object.keys(rest).length > 0 ? rest : undefined;
}
