import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { nestsDeeperThan } from '../core/nesting.js';
import { scanDocument } from './document-scan.js';
import { jsonNestingLimit } from './json-nesting-stream.js';
import { documentLimitError } from './limit-errors.js';

const SMALL_BODY_BYTES = 16 * 1024;

export interface DocumentScanOptions {
  /** Lexical tokens in one document. @default 5000 */
  maxTokens: number;
  /** Deepest nesting of `{`, `[` and `(` in a document, counted together. @default 64 */
  maxNesting: number;
  /** Deepest nesting of lists and objects in `variables` and `extensions`. @default 32 */
  maxInputNesting: number;
  /** Largest body (limits.maxBodyBytes): how much of a refused body is still read. @default 1 MiB */
  maxBodyBytes: number;
}

/**
 * Cheap, non-recursive checks that run before anything recursive sees the request: the document
 * text is lexed once (tokens and nesting) before graphql-js parses it, and the variables and
 * extensions are walked iteratively before coercion, the response-cache key or any JSON scalar
 * touch them. Without them, 3,000 nested list literals or a 100,000-deep variable overflow the
 * stack and answer 500. A large JSON body is scanned as it streams in, before JSON.parse spends
 * its time on it. HTTP requests' variables are checked in onParams (before the response cache
 * builds a key from them); WebSocket operations, which skip onParams, at parse and execute.
 */
export function useDocumentScan(options: DocumentScanOptions): Plugin {
  const checked = new WeakSet<object>();
  // Documents that passed, as yoga's parse cache keeps them: a dashboard's refresh is not lexed again.
  const passed = new LRUCache<string, true>({ max: 1000, maxSize: 4 * 1024 * 1024, sizeCalculation: (_, text) => Math.max(1, text.length) });
  const inputProblem = (...values: unknown[]) => {
    for (const value of values) {
      if (value === null || typeof value !== 'object' || checked.has(value)) continue;
      if (nestsDeeperThan(value, options.maxInputNesting)) return documentLimitError('inputNesting');
      checked.add(value);
    }
    return undefined;
  };
  return {
    // The body's own nesting, as it arrives: the variables sit one level below the body. Bodies
    // of a stated length up to SMALL_BODY_BYTES skip the stream (a dashboard's query pays nothing
    // for it): JSON.parse gets through their few thousand levels at most in milliseconds.
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (!requestParser || request.method !== 'POST' || !request.body || !/json/i.test(request.headers.get('content-type') ?? '')) return;
      const stated = request.headers.get('content-length');
      if (stated !== null && Number(stated) <= SMALL_BODY_BYTES) return;
      const parse = requestParser;
      setRequestParser((incoming) => parse(withNestingLimit(incoming, options.maxInputNesting + 1, options.maxBodyBytes, fetchAPI)));
    },
    onParams({ params }) {
      const problem = inputProblem(params.variables, params.extensions);
      if (problem) throw problem;
    },
    onParse({ params }) {
      const text = typeof params.source === 'string' ? params.source : params.source.body;
      if (passed.has(text)) return;
      const shape = scanDocument(text, options.maxTokens, options.maxNesting);
      if (shape && shape.tokens > options.maxTokens) throw documentLimitError('tokens');
      if (shape && shape.nesting > options.maxNesting) throw documentLimitError('nesting');
      passed.set(text, true);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const problem = inputProblem(args.variableValues);
      if (problem) setResultAndStopExecution({ errors: [problem] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const problem = inputProblem(args.variableValues);
      if (problem) setResultAndStopExecution({ errors: [problem] });
    },
  };
}

function withNestingLimit(request: Request, max: number, maxBytes: number, fetchAPI: { Request: typeof Request; TransformStream: typeof TransformStream }): Request {
  // A native stream needs the native TransformStream; the ponyfill's does not pipe into it (as in use-body-limit.ts).
  const Transform = request.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  const body = request.body!.pipeThrough(jsonNestingLimit(max, maxBytes, () => documentLimitError('inputNesting'), Transform));
  return new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, signal: request.signal, body, duplex: 'half' } as RequestInit);
}
