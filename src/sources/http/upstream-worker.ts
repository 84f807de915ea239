/**
 * The upstream thread's entry (started by upstream-thread.ts): it holds every source's connection
 * pool and runs each exchange the gateway's thread asks for. TLS, HTTP parsing and undici's own
 * bookkeeping happen here, off the event loop that serves clients.
 */
import { EventEmitter } from 'node:events';
import { parentPort } from 'node:worker_threads';
import type { Pool } from 'undici';
import type { PoolSettings } from './exchange.js';
import { isDecoderName, THREAD_DECODERS } from '../thread-decoders.js';
import { exchange, openPool } from './undici-pool.js';
import { toErrorChain, type FromUpstreamThread, type ToUpstreamThread } from './thread-messages.js';

/** An exchange's stop switch: the gateway's thread aborted it (its timeout, or the caller left). */
class AbortSwitch extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = new DOMException('aborted by the gateway', 'AbortError');
    this.emit('abort');
  }
}

const port = parentPort!;
/** A pool that could not be built keeps its error, for every exchange asked of it. */
const pools = new Map<number, { pool: Pool; settings: PoolSettings } | { error: unknown }>();
const running = new Map<number, AbortSwitch>();
/** Exchanges whose answer is not posted yet: a shutdown waits for them, not only for the pools. */
const unanswered = new Set<Promise<void>>();
const post = (message: FromUpstreamThread, transfer?: ArrayBuffer[]): void => port.postMessage(message, transfer);

async function send(message: Extract<ToUpstreamThread, { type: 'send' }>): Promise<void> {
  const entry = pools.get(message.pool);
  const stop = new AbortSwitch();
  running.set(message.id, stop);
  try {
    if (!entry) throw new Error(`pool ${message.pool} is not open`);
    if ('error' in entry) throw entry.error;
    const answer = await exchange(entry.pool, entry.settings.maxResponseBytes, message, stop);
    if (stop.aborted) return;
    const decoded = message.decode !== undefined && answer.status >= 200 && answer.status < 300 ? tryDecode(message.decode, answer.text) : undefined;
    if (decoded === undefined) post({ type: 'answer', id: message.id, ...answer });
    else post({ type: 'answer', id: message.id, status: answer.status, headers: answer.headers, text: '', decoded: decoded.value }, decoded.transfer);
  } catch (error) {
    if (!stop.aborted) post({ type: 'failed', id: message.id, error: toErrorChain(error) });
  } finally {
    running.delete(message.id);
  }
}

/** The decoder's reading of the text, or undefined when it cannot read it (the caller then will). */
function tryDecode(name: string, text: string): { value: unknown; transfer: ArrayBuffer[] } | undefined {
  try {
    return isDecoderName(name) ? THREAD_DECODERS[name].decode(text) : undefined;
  } catch {
    return undefined;
  }
}

async function close(id: number): Promise<void> {
  const entry = pools.get(id);
  pools.delete(id);
  if (entry && 'pool' in entry) await entry.pool.close().catch(() => {});
  post({ type: 'closed', pool: id });
}

port.on('message', (message: ToUpstreamThread) => {
  switch (message.type) {
    case 'send': {
      const exchange = send(message);
      unanswered.add(exchange);
      void exchange.finally(() => unanswered.delete(exchange));
      break;
    }
    case 'abort':
      running.get(message.id)?.abort();
      break;
    case 'open':
      try {
        pools.set(message.pool, { pool: openPool(message.settings), settings: message.settings });
      } catch (error) {
        pools.set(message.pool, { error });
      }
      break;
    case 'close':
      void close(message.pool);
      break;
    case 'shutdown':
      void Promise.all([...pools.keys()].map(close))
        .then(() => Promise.all(unanswered))
        .then(() => port.close());
      break;
  }
});

post({ type: 'ready' });
