import { authHeaders } from './credentials.js';
import { ENDPOINT, type GraphQLResult } from './graphql-client.js';
import { SseParser } from './sse-parser.js';

/**
 * Follows a GraphQL subscription over SSE (yoga's "distinct connections" mode: one POST, the
 * answer a text/event-stream of `next` events, then `complete`). fetch rather than EventSource:
 * it can POST long queries and stops cleanly on abort.
 *
 * A dropped connection is retried with growing pauses; the gateway sends the backfill again as the
 * first event, which replaces what the page had, so nothing is lost or doubled across a reconnect.
 * A subscription the gateway refuses outright (its first event is errors only, then complete) is
 * not retried: asking again would get the same answer.
 */

export type StreamStatus = 'connecting' | 'open' | 'retrying' | 'failed' | 'stopped';

export interface StreamHandlers<T> {
  onEvent(result: GraphQLResult<T>): void;
  onStatus(status: StreamStatus, detail?: string): void;
}

const RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

export function followSubscription<T>(query: string, handlers: StreamHandlers<T>): () => void {
  const stop = new AbortController();
  let attempt = 0;

  const connect = async (): Promise<void> => {
    handlers.onStatus(attempt === 0 ? 'connecting' : 'retrying');
    let events = 0;
    let refused = false;
    try {
      const response = await fetch(ENDPOINT, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...authHeaders() },
        body: JSON.stringify({ query }),
        signal: stop.signal,
      });
      if (!response.ok || !response.body || !(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
        const text = await response.text();
        const result = tryParse<T>(text);
        if (result) handlers.onEvent(result);
        handlers.onStatus('failed', result ? undefined : `the gateway answered ${response.status}: ${text.slice(0, 200)}`);
        return;
      }
      const parser = new SseParser();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const event of parser.push(value)) {
          if (event.event !== 'next') continue;
          const result = tryParse<T>(event.data);
          if (!result) continue;
          if (events === 0) {
            refused = result.data === null && result.errors.length > 0;
            if (!refused) {
              attempt = 0;
              handlers.onStatus('open');
            }
          }
          events += 1;
          handlers.onEvent(result);
        }
      }
    } catch (error) {
      if (stop.signal.aborted) return;
      handlers.onStatus('retrying', (error as Error).message);
    }
    if (stop.signal.aborted) return;
    if (refused && events === 1) {
      handlers.onStatus('failed');
      return;
    }
    const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]!;
    attempt += 1;
    handlers.onStatus('retrying', `connection closed; trying again in ${delay / 1000}s`);
    setTimeout(() => {
      if (!stop.signal.aborted) void connect();
    }, delay);
  };

  void connect();
  return () => {
    stop.abort();
    handlers.onStatus('stopped');
  };
}

function tryParse<T>(text: string): GraphQLResult<T> | undefined {
  try {
    const body = JSON.parse(text) as { data?: T | null; errors?: GraphQLResult<T>['errors'] };
    return { data: body.data ?? null, errors: body.errors ?? [] };
  } catch {
    return undefined;
  }
}
