import { JsonNesting } from '../core/nesting.js';

/**
 * A pass-through for a JSON body that fails the stream (with `error()`) once lists and objects
 * nest more than `max` deep (core/nesting.ts reads the bytes). Run as the body
 * arrives, it keeps a deep body from JSON.parse, which spends about a microsecond on each level
 * (half a second for 1 MiB of brackets). Past the limit nothing more is passed on, but the rest of
 * the body (up to `maxBytes` in all) is still read, so the client can read the answer: a server
 * that answers and closes while the client is still sending makes the client see a reset.
 */
export function jsonNestingLimit(max: number, maxBytes: number, error: () => Error, Transform: typeof TransformStream = TransformStream): TransformStream<Uint8Array, Uint8Array> {
  const nesting = new JsonNesting(max);
  let exceeded = false;
  let bytes = 0;
  return new Transform<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      bytes += chunk.length;
      if (exceeded) {
        if (bytes > maxBytes) controller.error(error());
        return;
      }
      if (nesting.exceeds(chunk)) {
        exceeded = true;
        return;
      }
      controller.enqueue(chunk);
    },
    flush(controller) {
      if (exceeded) controller.error(error());
    },
  });
}
