import { createGraphQLError, type Plugin } from 'graphql-yoga';

/**
 * The request body cap. Yoga's own (`maxRequestBodySize`) pipes every body through a counting
 * stream, whose setup and teardown cost more than parsing a dashboard's query. A body that states
 * its length needs no counting: the length is checked here, and Node's HTTP parser reads no byte
 * past it. Only a body of unstated length (chunked) is counted as it streams in.
 */
export function useBodyLimit(limitBytes: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const stated = request.headers.get('content-length');
      if (stated !== null) {
        // One non-negative integer only: a list ("10, 20") is a request-smuggling attempt.
        if (!/^\d+$/.test(stated)) throw httpError('Content-Length header is invalid.', 400, 'BAD_REQUEST');
        if (Number(stated) > limitBytes) throw tooLarge();
        return;
      }
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser((incoming) => parse(counted(incoming, limitBytes, fetchAPI)));
    },
  };
}

function counted(request: Request, limitBytes: number, fetchAPI: { Request: typeof Request; TransformStream: typeof TransformStream }): Request {
  let read = 0;
  // A native stream needs the native TransformStream; the ponyfill's does not pipe into it.
  const Transform = request.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  const body = request.body!.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        read += chunk.byteLength;
        if (read > limitBytes) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, signal: request.signal, body, duplex: 'half' } as RequestInit);
}

function tooLarge() {
  return httpError('Request body too large', 413, 'REQUEST_ENTITY_TOO_LARGE');
}

function httpError(message: string, status: number, code: string) {
  return createGraphQLError(message, { extensions: { http: { status }, code } });
}
