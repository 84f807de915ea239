/**
 * JSON text of a value, as a sequence of pieces, for answers too large to write out in one go.
 * Same output as JSON.stringify (toJSON honoured, undefined members and functions dropped);
 * flat arrays of numbers, strings and nulls (series values, timestamps) go out in slices written
 * by JSON.stringify itself, which does the number formatting fastest.
 */
export function* jsonPieces(value: unknown): Generator<string> {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (value === null || typeof value !== 'object') {
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  if (Array.isArray(value)) {
    if (isFlat(value)) {
      yield* flatArray(value);
      return;
    }
    yield '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ',';
      const item: unknown = value[i];
      // As JSON.stringify: an array slot that cannot be written is null.
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') yield 'null';
      else yield* jsonPieces(item);
    }
    yield ']';
    return;
  }
  yield '{';
  let first = true;
  for (const key of Object.keys(value)) {
    const member: unknown = (value as Record<string, unknown>)[key];
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    yield `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    yield* jsonPieces(member);
  }
  yield '}';
}

const SLICE = 4096;

function* flatArray(values: readonly unknown[]): Generator<string> {
  if (values.length <= SLICE) {
    yield JSON.stringify(values);
    return;
  }
  yield '[';
  for (let i = 0; i < values.length; i += SLICE) {
    const text = JSON.stringify(values.slice(i, i + SLICE));
    yield `${i > 0 ? ',' : ''}${text.slice(1, -1)}`;
  }
  yield ']';
}

function isFlat(values: readonly unknown[]): boolean {
  for (const item of values) {
    if (item !== null && typeof item !== 'number' && typeof item !== 'string' && typeof item !== 'boolean') return false;
  }
  return true;
}

/** Whether the arrays inside `value` hold at least `items` elements between them; stops counting there. */
export function hasAtLeastItems(value: unknown, items: number): boolean {
  return itemsLeft(value, items) <= 0;
}

/**
 * `left` less the items of the arrays inside `value`, down to zero at most. It runs on every
 * answer, so it walks in place: no list of pending values, no arrays of members. The depth is
 * the query's, which the document limits bound.
 */
function itemsLeft(value: unknown, left: number): number {
  if (value === null || typeof value !== 'object') return left;
  if (Array.isArray(value)) {
    left -= value.length;
    if (left <= 0) return left;
    // GraphQL lists are of one type: when the first non-null item is not an object, none is.
    let i = 0;
    while (i < value.length && value[i] === null) i++;
    if (i === value.length || typeof value[i] !== 'object') return left;
    for (; i < value.length && left > 0; i++) left = itemsLeft(value[i], left);
    return left;
  }
  for (const key in value) {
    left = itemsLeft((value as Record<string, unknown>)[key], left);
    if (left <= 0) return left;
  }
  return left;
}
