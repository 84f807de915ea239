import { requestTimeoutError } from './signal-deadline.js';

/**
 * Waits for shared work (a metric list another request started, a health probe) on behalf of one
 * request: the request leaves when its signal aborts, and the work goes on for whoever else waits,
 * under its own bound. Without this, a request that joined a discovery call begun by another would
 * wait as long as that call may take, past its own deadline.
 *
 * On the request's deadline it rejects with GATEWAY_TIMEOUT for `source`; when the client left,
 * with the abort's reason.
 */
export function waitWithin<T>(work: Promise<T>, signal: AbortSignal | undefined, source: string): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    // Nobody may be left to hear how the shared work ends; its outcome is not this request's concern.
    work.catch(() => {});
    return Promise.reject(requestTimeoutError(signal, source) ?? signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(requestTimeoutError(signal, source) ?? signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
