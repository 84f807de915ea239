import { GraphQLFloat, GraphQLScalarType } from 'graphql';

/**
 * A list of floats that graphql-js passes through whole instead of completing item by item.
 * `JSON.stringify` (and the streamed writer in src/http/json-pieces.ts, which honours toJSON)
 * writes it as the plain array it holds, so the answer on the wire is unchanged.
 */
export class FloatColumn {
  constructor(readonly items: ReadonlyArray<number | null>) {}

  toJSON(): ReadonlyArray<number | null> {
    return this.items;
  }
}

/**
 * A list holding an item Float refuses (NaN, a word, a null where none may be). graphql-js
 * reports such an item at its own index and, for `[Float]`, nulls just that item; a scalar cannot
 * do either, so the operation is executed again the ordinary way (use-column-execution.ts).
 */
export class ColumnItemError extends Error {}

/**
 * The output type a `[Float!]` (`nullItems` false) or `[Float]` field has in the column schema
 * (column-schema.ts). Serialising checks every item as graphql-js's Float would, without making
 * a new array: the list arrives as the series model already holds it (numbers, nulls for gaps).
 * An item Float would coerce (true -> 1, "2.5" -> 2.5) costs a copy, never a different answer.
 */
export function floatColumnScalar(name: string, nullItems: boolean): GraphQLScalarType {
  return new GraphQLScalarType({
    name,
    description: `Output only: a list of ${nullItems ? 'nullable ' : ''}floats, written as a JSON array.`,
    serialize(value) {
      const list = asList(value);
      for (let i = 0; i < list.length; i++) {
        const item = list[i];
        if ((typeof item === 'number' && Number.isFinite(item)) || (item === null && nullItems)) continue;
        return new FloatColumn(coerced(list, nullItems));
      }
      return new FloatColumn(list as ReadonlyArray<number | null>);
    },
  });
}

function asList(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (value != null && typeof value === 'object' && Symbol.iterator in value) return Array.from(value as Iterable<unknown>);
  // Not a list at all: graphql-js's own error for it comes from the ordinary execution.
  throw new ColumnItemError('not a list');
}

function coerced(list: readonly unknown[], nullItems: boolean): Array<number | null> {
  return list.map((item) => {
    if (item == null) {
      if (nullItems) return null;
      throw new ColumnItemError('null item');
    }
    try {
      return GraphQLFloat.serialize(item) as number;
    } catch {
      throw new ColumnItemError('item Float cannot represent');
    }
  });
}
