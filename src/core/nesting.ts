/**
 * How deeply a parsed JSON value nests, found without recursion: JSON.parse itself takes a
 * million levels, but every recursive walk after it (graphql-js coercion, JSON.stringify, label
 * checks) overflows the stack long before that. The walk stops as soon as the limit is passed,
 * so a hostile value costs at most the nodes above that depth.
 */

/** True when `value` has lists or objects nested more than `max` levels deep (a scalar is level 0). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const stack: Array<{ value: object; depth: number }> = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (depth > max) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_LIST = 0x5b;
const CLOSE_LIST = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * Nesting of JSON read as UTF-8 bytes, in as many pieces as it arrives: brackets, quotes and
 * backslashes are ASCII, and no byte of a multi-byte character is below 0x80, so no decoding is
 * needed. Brackets inside strings do not count. Text that is not JSON is left for JSON.parse to
 * refuse.
 */
export class JsonNesting {
  #depth = 0;
  #inString = false;
  #escaped = false;

  constructor(private readonly max: number) {}

  /** Reads the next piece; true once lists and objects nest deeper than `max` (the rest is not read). */
  exceeds(bytes: Uint8Array): boolean {
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i]!;
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (c === BACKSLASH) this.#escaped = true;
        else if (c === QUOTE) this.#inString = false;
      } else if (c === QUOTE) {
        this.#inString = true;
      } else if (c === OPEN_LIST || c === OPEN_OBJECT) {
        if (++this.#depth > this.max) return true;
      } else if (c === CLOSE_LIST || c === CLOSE_OBJECT) {
        this.#depth--;
      }
    }
    return false;
  }
}

/**
 * The same question asked of JSON text before it is parsed: V8's JSON.parse takes a million levels
 * but spends about a microsecond on each, so a 1 MiB body of brackets costs half a second of the
 * event loop; this scan costs a few milliseconds.
 */
export function jsonTextNestsDeeperThan(text: string, max: number): boolean {
  return new JsonNesting(max).exceeds(Buffer.from(text, 'utf8'));
}
