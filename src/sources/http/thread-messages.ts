import { BodyTooLargeError, type ExchangeRequest, type ExchangeResponse, type PoolSettings } from './exchange.js';

/** What the gateway's thread tells the upstream thread. Pools and exchanges are named by number. */
export type ToUpstreamThread =
  | { type: 'open'; pool: number; settings: PoolSettings }
  | ({ type: 'send'; id: number; pool: number } & ExchangeRequest)
  | { type: 'abort'; id: number }
  | { type: 'close'; pool: number }
  /** Close every pool (in-flight exchanges finish), then end the thread. */
  | { type: 'shutdown' };

/** What comes back: one message once the thread can take work, one per exchange, one per closed pool. */
export type FromUpstreamThread =
  | { type: 'ready' }
  | ({ type: 'answer'; id: number } & ExchangeResponse)
  | { type: 'failed'; id: number; error: ErrorChain }
  | { type: 'closed'; pool: number };

/**
 * An error and its causes as plain data. Structured cloning keeps an Error's name and message but
 * drops `code`, which is what the gateway's error translation reads (errorForNetwork).
 */
export type ErrorChain = Array<{ name: string; message: string; code?: string; status?: number }>;

export function toErrorChain(error: unknown): ErrorChain {
  const chain: ErrorChain = [];
  for (let current = error as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown } | undefined; current && typeof current === 'object' && chain.length < 4; current = current.cause as typeof current) {
    chain.push({
      name: typeof current.name === 'string' ? current.name : 'Error',
      message: typeof current.message === 'string' ? current.message : String(current),
      ...(typeof current.code === 'string' ? { code: current.code } : {}),
      ...(current instanceof BodyTooLargeError ? { status: current.status } : {}),
    });
  }
  if (chain.length === 0) chain.push({ name: 'Error', message: String(error) });
  return chain;
}

export function fromErrorChain(chain: ErrorChain): Error {
  let cause: Error | undefined;
  for (let i = chain.length - 1; i >= 0; i--) {
    const link = chain[i]!;
    if (link.name === 'BodyTooLargeError' && link.status !== undefined) {
      cause = new BodyTooLargeError(link.status);
      continue;
    }
    const error = Object.assign(new Error(link.message, cause ? { cause } : undefined), link.code !== undefined ? { code: link.code } : {});
    error.name = link.name;
    cause = error;
  }
  return cause!;
}
