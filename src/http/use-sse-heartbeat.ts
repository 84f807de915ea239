import { getSSEProcessor, type Plugin } from 'graphql-yoga';

export interface SseHeartbeatOptions {
  /** Longest a stream may stay silent before a comment line goes out. @default 12000 */
  intervalMs?: number;
}

/**
 * Keeps quiet SSE streams open through proxies and load balancers that drop idle connections:
 * whenever nothing was written for `intervalMs`, a `:` comment line is sent (clients ignore it).
 * Wraps yoga's own SSE processor, so the protocol is yoga's; only the silence is filled.
 */
export function useSseHeartbeat({ intervalMs = 12_000 }: SseHeartbeatOptions = {}): Plugin {
  const sse = getSSEProcessor();
  return {
    onResultProcess({ result, setResultProcessor, acceptableMediaTypes, request }) {
      if (!(Symbol.asyncIterator in Object(result))) return;
      if (!(request.headers.get('accept') ?? '').includes('text/event-stream')) return;
      acceptableMediaTypes.push('text/event-stream');
      setResultProcessor(async (streamed, fetchAPI, mediaType) => {
        const beat = heartbeat(intervalMs, fetchAPI);
        // The heartbeat stops with the stream: when it ends, and when the client leaves (yoga
        // then calls `return` on the result).
        const response = await sse(untilDone(streamed as AsyncIterable<unknown>, beat.stop) as never, fetchAPI, mediaType);
        if (!response.body) return response;
        return new fetchAPI.Response(response.body.pipeThrough(beat.stream), { status: response.status, headers: response.headers });
      }, 'text/event-stream');
    },
  };
}

function heartbeat(intervalMs: number, fetchAPI: { TextEncoder: typeof TextEncoder; TransformStream: typeof TransformStream }) {
  const ping = new fetchAPI.TextEncoder().encode(':\n\n');
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let lastWrite = Date.now();
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  // The timer starts with the first chunk (yoga always writes one at once): whatwg-node's
  // TransformStream never calls `start`, so a controller is only in hand inside `transform`.
  const startBeating = (controller: TransformStreamDefaultController<Uint8Array>) => {
    timer = setInterval(() => {
      if (Date.now() - lastWrite < intervalMs) return;
      try {
        controller.enqueue(ping);
        lastWrite = Date.now();
      } catch {
        stop();
      }
    }, Math.max(10, Math.floor(intervalMs / 4)));
  };
  const stream = new fetchAPI.TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      if (timer === undefined && !stopped) startBeating(controller);
      lastWrite = Date.now();
      controller.enqueue(chunk);
    },
    flush: stop,
  });
  return { stream, stop };
}

/** The same iterable, calling `onDone` when it finishes or is returned early. */
function untilDone<T>(iterable: AsyncIterable<T>, onDone: () => void): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = iterable[Symbol.asyncIterator]();
      return {
        next: async () => {
          const result = await iterator.next();
          if (result.done) onDone();
          return result;
        },
        return: async (value?: unknown) => {
          onDone();
          return (await iterator.return?.(value)) ?? { done: true, value: undefined };
        },
      };
    },
  };
}
