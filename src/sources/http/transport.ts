import type { Pool } from 'undici';
import type { ExchangeRequest, ExchangeResponse, ExchangeSignal, PoolSettings } from './exchange.js';
import type { exchange } from './undici-pool.js';

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

/**
 * Pools on the calling thread: what a lone UpstreamClient (tests, tools) uses. undici is loaded on
 * first use: a gateway whose HTTP runs on the upstream thread keeps its 4 MB of heap off this one.
 */
export const inlineTransport: UpstreamTransport = {
  open(settings) {
    let loaded: Promise<{ pool: Pool; exchange: typeof exchange }> | undefined;
    const load = () => (loaded ??= import('./undici-pool.js').then((undici) => ({ pool: undici.openPool(settings), exchange: undici.exchange })));
    return {
      send: async (request, signal) => {
        const { pool, exchange } = await load();
        return exchange(pool, settings.maxResponseBytes, request, signal);
      },
      close: async () => {
        if (loaded) await (await loaded).pool.close();
      },
    };
  },
};
