import { clip } from '../core/echo.js';
import { jsonTextNestsDeeperThan } from '../core/nesting.js';
import { HttpProblem } from './http-problem.js';

/**
 * Deepest nesting of lists and objects a body may have (the collector's bodies are a list of flat
 * metric objects: 3 levels). JSON.parse takes any depth; what reads the value afterwards may not.
 */
export const MAX_BODY_NESTING = 32;

/**
 * Reads a JSON request body with a hard size cap. The cap is checked against Content-Length
 * first and then while reading, so a chunked body without a length cannot slip past it; the
 * rest of an oversized body is left for Node to discard, so the client still gets the 413.
 */
export async function readJsonBody(request: Request, maxBytes: number, route: string, maxNesting: number = MAX_BODY_NESTING): Promise<unknown> {
  const type = request.headers.get('content-type');
  if (type !== null && type.trim() !== '' && !/^application\/([\w.+-]+\+)?json\b/i.test(type.trim())) {
    throw new HttpProblem(415, `${route} takes a JSON body (Content-Type: application/json); got Content-Type '${type}'`, 'UNSUPPORTED_MEDIA_TYPE', 'body');
  }
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(route, maxBytes, `${declared} bytes`);

  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        reader.releaseLock();
        throw tooLarge(route, maxBytes, `more than ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  }
  if (size === 0) throw new HttpProblem(400, `${route} needs a JSON body; got an empty body`, 'BAD_USER_INPUT', 'body');
  const text = Buffer.concat(chunks, size).toString('utf8');
  // Before parsing: JSON.parse survives any depth, but a deep body costs it far more than the scan.
  if (jsonTextNestsDeeperThan(text, maxNesting)) {
    throw new HttpProblem(400, `${route}: the body nests lists or objects too deeply (input nesting limit); send flat metric objects`, 'DOCUMENT_LIMIT_EXCEEDED', 'body');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpProblem(400, `${route}: the body is not valid JSON (${clip((error as Error).message, 200)})`, 'BAD_USER_INPUT', 'body');
  }
}

function tooLarge(route: string, maxBytes: number, got: string): HttpProblem {
  return new HttpProblem(
    413,
    `${route} takes at most ${maxBytes} bytes (${formatBytes(maxBytes)}) of body; got ${got}. Send smaller batches, or raise the source's maxBodyBytes`,
    'PAYLOAD_TOO_LARGE',
    'body',
  );
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`;
  return `${bytes} B`;
}
