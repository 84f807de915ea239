/**
 * Bounded echoes of client input in error messages. An error restates the contract and shows the
 * bad value, but a value can be a megabyte long or nested 100,000 deep: echoes show a prefix of a
 * string and describe a list or object by its size, never by walking it.
 */

/** Longest error message (GraphQL `message`, REST `detail`) that leaves the gateway. */
export const MAX_MESSAGE_CHARS = 1000;

/** Longest prefix of a string an echo shows. */
export const MAX_ECHO_CHARS = 64;

/**
 * `"abc"` for a short string, `"abcd…" (1048576 chars)` for a long one, `a list of 3 items`,
 * `an object with keys "a", "b"`, `42`, `null`. Cheap whatever the value: nothing is serialised.
 */
export function quoted(value: unknown, max: number = MAX_ECHO_CHARS): string {
  if (typeof value === 'string') {
    if (value.length <= max) return JSON.stringify(value);
    return `${JSON.stringify(`${value.slice(0, max)}…`)} (${value.length} chars)`;
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return quotedText(String(value), max);
  if (value === undefined) return 'undefined';
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

function quotedText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;
}
