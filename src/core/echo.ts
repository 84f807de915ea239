import { nestsDeeperThan } from './nesting.js';

/**
 * Bounded echoes of client input in error messages. An error restates the contract and shows the
 * bad value, but a value can be a megabyte long or nested 100,000 deep: echoes show a prefix of a
 * string or of a shallow value's JSON, and describe a deep list or object by its size.
 */

/** Longest error message (GraphQL `message`, REST `detail`) that leaves the gateway. */
export const MAX_MESSAGE_CHARS = 1000;

/** Longest prefix of a string an echo shows. */
export const MAX_ECHO_CHARS = 64;

/** Lists and objects nested deeper than this are described, not written out. */
const MAX_JSON_ECHO_DEPTH = 8;

/**
 * `"abc"` for a short string, `"abcd…" (1048576 chars)` for a long one, `{"minutes":5}` for a
 * shallow value, `a list of 3 items` or `an object with keys "a", "b"` for a deep one, `42`,
 * `null`. Never recursive, and never longer than about `max` characters.
 */
export function quoted(value: unknown, max: number = MAX_ECHO_CHARS): string {
  if (typeof value === 'string') {
    if (value.length <= max) return JSON.stringify(value);
    return `${JSON.stringify(`${value.slice(0, max)}…`)} (${value.length} chars)`;
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return quotedText(String(value), max);
  if (value === undefined) return 'undefined';
  // Shallow values as JSON, cut short (JSON.stringify recurses, so only when that is safe).
  if (typeof value === 'object' && !nestsDeeperThan(value, MAX_JSON_ECHO_DEPTH)) {
    const json = safeJson(value);
    if (json !== undefined) return quotedText(json, max);
  }
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return 'an empty object';
    const shown = keys.slice(0, 3).map((key) => quoted(key, 20)).join(', ');
    return `an object with key${keys.length === 1 ? '' : 's'} ${shown}${keys.length > 3 ? ` and ${keys.length - 3} more` : ''}`;
  }
  return `a ${typeof value}`;
}

/** Text cut to `max` characters for an echo inside quotes of the caller's choosing: `'${clip(raw)}'`. */
export function clip(text: string, max: number = MAX_ECHO_CHARS): string {
  return quotedText(text, max);
}

/** A message cut to `max` characters, saying how long it was; short ones pass unchanged. */
export function capMessage(message: string, max: number = MAX_MESSAGE_CHARS): string {
  if (message.length <= max) return message;
  return `${message.slice(0, max)}… (message cut; it had ${message.length} chars)`;
}

function safeJson(value: object): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    // A cycle or a BigInt: describe it instead.
    return undefined;
  }
}

function quotedText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;
}
