/** Reads events from an async iterator until `done` says enough, or fails after `timeoutMs`. */
export async function collect<T>(iterator: AsyncIterator<T>, done: (events: T[]) => boolean, timeoutMs = 10_000): Promise<T[]> {
  const events: T[] = [];
  const deadline = Date.now() + timeoutMs;
  while (!done(events)) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error(`timed out with ${events.length} events: ${JSON.stringify(events).slice(0, 500)}`);
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      iterator.next(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out with ${events.length} events: ${JSON.stringify(events).slice(0, 500)}`)), remaining);
      }),
    ]).finally(() => clearTimeout(timer));
    if (next.done) break;
    events.push(next.value);
  }
  return events;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Opens a raw SSE subscription and collects the body text as it arrives. */
export async function rawSse(url: string, query: string, variables: Record<string, unknown> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  let text = '';
  const done = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk, { stream: true });
    } catch {
      // aborted by the test
    }
  })();
  return { response, text: () => text, ended: done, abort: () => controller.abort() };
}
