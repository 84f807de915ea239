/**
 * A signal that aborts when `parent` does or when `ms` have passed, whichever comes first, for
 * work whose end is known (one HTTP attempt): `done()` clears the timer and the listener.
 * `AbortSignal.any([AbortSignal.timeout(ms), parent])` does the same, but costs four to five
 * times as much on Node 20 (21 µs against 4.6 µs), paid on every upstream call.
 */
export interface TimedSignal {
  signal: AbortSignal;
  /** True when the time ran out (not when the parent aborted). */
  readonly timedOut: boolean;
  done(): void;
}

/** `statedMs`: the limit named in the abort reason, when `ms` is what is left of it. */
export function timedSignal(ms: number, parent?: AbortSignal, statedMs = ms): TimedSignal {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`timed out after ${statedMs} ms`, 'TimeoutError'));
  }, ms);
  const onParentAbort = () => controller.abort(parent!.reason);
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    done() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}
