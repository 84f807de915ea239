import { Kind, visit, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Pacer } from '../pacing.js';
import type { GatewayContext } from '../context.js';
import { ColumnItemError } from './float-column.js';

/**
 * Executes queries against the column schema (column-schema.ts), so float lists are passed
 * through whole instead of completed item by item. Left to the public schema: mutations and
 * subscriptions (nothing large to gain, and a mutation must never run twice), and documents that
 * read `__schema` or `__type` (introspection must describe the types clients validate against).
 *
 * A list holding an item Float refuses makes the column fail (ColumnItemError); the query then
 * runs again against the public schema, which reports that item the way graphql-js does. The
 * second run reads the same request's loaders, so it asks no upstream again; what the first run
 * reported is dropped so nothing is said twice.
 */
export function useColumnExecution(columnSchema: GraphQLSchema): Plugin {
  // Yoga hands the same parsed document for the same query text, so each is looked at once.
  const eligible = new WeakMap<DocumentNode, boolean>();
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      let columns = eligible.get(args.document);
      if (columns === undefined) eligible.set(args.document, (columns = onlyQueries(args.document) && !readsIntrospection(args.document)));
      if (!columns) return;
      setExecuteFn(async (execution) => {
        const result = (await executeFn({ ...execution, schema: columnSchema })) as ExecutionResult;
        if (!result.errors?.some((error) => error.originalError instanceof ColumnItemError)) return result;
        const context = execution.contextValue as GatewayContext;
        context.reported.length = 0;
        context.warnings.length = 0;
        context.pacer = new Pacer();
        return executeFn(execution);
      });
    },
  };
}

function onlyQueries(document: DocumentNode): boolean {
  return document.definitions.every((definition) => definition.kind !== Kind.OPERATION_DEFINITION || definition.operation === 'query');
}

function readsIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.FIELD](field) {
      if (field.name.value === '__schema' || field.name.value === '__type') found = true;
    },
  });
  return found;
}
