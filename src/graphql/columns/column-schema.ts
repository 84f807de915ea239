import { Kind, parse, visit, type DocumentNode, type FieldDefinitionNode, type NamedTypeNode, type TypeNode } from 'graphql';
import { createSchema } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';
import { floatColumnScalar } from './float-column.js';

const COLUMN = 'FloatColumn';
const NULLABLE_COLUMN = 'NullableFloatColumn';

/**
 * The gateway's schema with every output field of type `[Float!]` or `[Float]` (series
 * timestamps, values, inbound, outbound) turned into a column scalar that keeps the list whole.
 *
 * graphql-js completes a list item by item into a new array: 50 series of 10,000 points make a
 * million completed numbers, held until the answer is written, on top of the series they came
 * from. Executed against this schema the same documents give the same JSON, with each column
 * passed through as the array the source produced. Documents are parsed and validated against
 * the public schema (which introspection describes); only execution uses this one
 * (use-column-execution.ts). Arguments and input fields are left alone.
 */
export function createColumnSchema(typeDefs: readonly string[], resolvers: readonly object[]) {
  const documents = typeDefs.map((text) => asColumns(parse(text)));
  const scalars = { [COLUMN]: floatColumnScalar(COLUMN, false), [NULLABLE_COLUMN]: floatColumnScalar(NULLABLE_COLUMN, true) };
  return createSchema<GatewayContext>({
    typeDefs: [...documents, `scalar ${COLUMN}\nscalar ${NULLABLE_COLUMN}`],
    resolvers: [...resolvers, scalars] as never,
  });
}

function asColumns(document: DocumentNode): DocumentNode {
  return visit(document, {
    FieldDefinition(field: FieldDefinitionNode) {
      const type = columnType(field.type);
      return type ? { ...field, type } : undefined;
    },
  });
}

/** `[Float!]!` -> `FloatColumn!`, `[Float]` -> `NullableFloatColumn`; undefined for any other type. */
function columnType(type: TypeNode): TypeNode | undefined {
  const list = type.kind === Kind.NON_NULL_TYPE ? type.type : type;
  if (list.kind !== Kind.LIST_TYPE) return undefined;
  const item = list.type;
  const named = item.kind === Kind.NON_NULL_TYPE ? item.type : item;
  if (named.kind !== Kind.NAMED_TYPE || named.name.value !== 'Float') return undefined;
  const column: NamedTypeNode = { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: item.kind === Kind.NON_NULL_TYPE ? COLUMN : NULLABLE_COLUMN } };
  return type.kind === Kind.NON_NULL_TYPE ? { kind: Kind.NON_NULL_TYPE, type: column } : column;
}
