import { authHeaders } from './credentials.js';

/** POSTs GraphQL to the gateway that served the page, reporting download progress on the way. */

export interface GatewayError {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string; source?: string; [key: string]: unknown };
}

export interface GraphQLResult<T> {
  data: T | null;
  errors: GatewayError[];
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Called as the answer arrives: bytes so far and, when the gateway said, bytes in all. */
  onProgress?: (received: number, total: number | undefined) => void;
}

export const ENDPOINT = '/graphql';

export async function runQuery<T>(query: string, { signal, onProgress }: RunOptions = {}): Promise<GraphQLResult<T>> {
  let response: Response;
  try {
    response = await fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...authHeaders() },
      body: JSON.stringify({ query }),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new Error(`the gateway did not answer (${(error as Error).message}); is it still running?`);
  }
  const text = await readText(response, onProgress);
  let body: { data?: T | null; errors?: GatewayError[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`the gateway answered ${response.status} ${response.statusText} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  return { data: body.data ?? null, errors: body.errors ?? [] };
}

async function readText(response: Response, onProgress: RunOptions['onProgress']): Promise<string> {
  if (!response.body || !onProgress) return response.text();
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : undefined;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    onProgress(received, total);
  }
  const joined = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(joined);
}
