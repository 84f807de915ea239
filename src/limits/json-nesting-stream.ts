const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_LIST = 0x5b;
const CLOSE_LIST = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * A pass-through for a JSON body that fails the stream (with `error()`) once lists and objects
 * nest more than `max` deep. It reads UTF-8 bytes: brackets, quotes and backslashes are ASCII, and
 * no byte of a multi-byte character is below 0x80, so no decoding is needed. Run as the body
 * arrives, it keeps a deep body from JSON.parse, which spends about a microsecond on each level
 * (half a second for 1 MiB of brackets). Past the limit nothing more is passed on, but the rest of
 * the body (up to `maxBytes` in all) is still read, so the client can read the answer: a server
 * that answers and closes while the client is still sending makes the client see a reset.
 */
export function jsonNestingLimit(max: number, maxBytes: number, error: () => Error, Transform: typeof TransformStream = TransformStream): TransformStream<Uint8Array, Uint8Array> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let exceeded = false;
  let bytes = 0;
  return new Transform<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      bytes += chunk.length;
      if (exceeded) {
        if (bytes > maxBytes) controller.error(error());
        return;
      }
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk[i]!;
        if (inString) {
          if (escaped) escaped = false;
          else if (c === BACKSLASH) escaped = true;
          else if (c === QUOTE) inString = false;
        } else if (c === QUOTE) {
          inString = true;
        } else if (c === OPEN_LIST || c === OPEN_OBJECT) {
          if (++depth > max) {
            exceeded = true;
            return;
          }
        } else if (c === CLOSE_LIST || c === CLOSE_OBJECT) {
          depth--;
        }
      }
      controller.enqueue(chunk);
    },
    flush(controller) {
      if (exceeded) controller.error(error());
    },
  });
}
