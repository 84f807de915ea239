import { Redis } from 'ioredis';

/**
 * Plain HTTP calls to the native collector's REST API, the way its existing clients make them:
 * JSON in, JSON (or Prometheus text) out, status codes asserted by the tests.
 */

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function track<T = any>(
  gateway: { url: string },
  path: '/metrics/track' | '/metrics/track/batch' | string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse<T>> {
  const response = await fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: await parse(response) };
}

export async function read<T = any>(gateway: { url: string }, path: string, init: RequestInit = {}): Promise<ApiResponse<T>> {
  const response = await fetch(`${gateway.url}${path}`, init);
  return { status: response.status, headers: response.headers, body: await parse(response) };
}

async function parse(response: Response): Promise<any> {
  const text = await response.text();
  return response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
}

/** A key prefix no other test uses, so tests sharing one Redis never see each other's keys. */
export function uniquePrefix(name: string): string {
  return `test-${name}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}:`;
}

/** Deletes every key under a prefix (after a test that wrote to the shared Redis). */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Sample lines of a Prometheus text exposition: `name{labels}` -> value. */
export function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}
