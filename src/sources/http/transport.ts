import { exchange, openPool, type ExchangeRequest, type ExchangeResponse, type ExchangeSignal, type PoolSettings } from './exchange.js';

/** One source's connection pool, wherever it runs. */
export interface UpstreamPool {
  /** One exchange; rejects with the signal's reason when it aborts, as undici does. */
  send(request: ExchangeRequest, signal: ExchangeSignal): Promise<ExchangeResponse>;
  /** Lets in-flight exchanges finish, then closes the connections. */
  close(): Promise<void>;
}

/** Where upstream HTTP runs: on this thread (`inlineTransport`) or on the upstream thread (`UpstreamThread`). */
export interface UpstreamTransport {
  open(settings: PoolSettings): UpstreamPool;
}

/** Pools on the calling thread: what a lone UpstreamClient (tests, tools) uses. */
export const inlineTransport: UpstreamTransport = {
  open(settings) {
    const pool = openPool(settings);
    return {
      send: (request, signal) => exchange(pool, settings.maxResponseBytes, request, signal),
      close: () => pool.close(),
    };
  },
};
