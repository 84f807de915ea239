import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { identityOf } from './identity.js';

/** graphql-js's hints: "Did you mean "a", "b", or "c"?", "Did you mean the enum value "SUM"?". */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** Whether the caller may see the schema (introspection, GraphiQL, hints). */
export function seesSchema(request: Request | undefined): boolean {
  return request !== undefined && identityOf(request)?.introspection === true;
}

/**
 * Introspection and schema hints only for identities allowed to see the schema: for the others
 * `__schema`/`__type` are refused and "Did you mean ...?" hints (fields, arguments, input fields,
 * enum values) are cut from validation errors and from the variable-coercion errors execution
 * reports, so the schema cannot be mapped by guessing. (GraphiQL is gated in gateway.ts; the
 * accepted values of an enum are listed by useInputErrors only when seesSchema says so.)
 */
export function useIntrospectionAccess(): Plugin[] {
  const requestOf = (context: unknown) => (context as { request?: Request } | undefined)?.request;
  return [
    useDisableIntrospection({ isDisabled: (request) => !seesSchema(request) }),
    {
      onValidate({ context }) {
        if (seesSchema(requestOf(context))) return;
        return ({ result, setResult }) => {
          if (result.some(hasHint)) setResult(result.map((error) => (error instanceof GraphQLError && hasHint(error) ? withoutHint(error) : error)));
        };
      },
      onExecute({ args }) {
        if (seesSchema(requestOf(args.contextValue))) return;
        return {
          onExecuteDone: (payload) =>
            handleStreamOrSingleExecutionResult(payload, ({ result, setResult }: { result: ExecutionResult; setResult: (result: ExecutionResult) => void }) => {
              // Only request errors (no path: variable coercion); a resolver's own words are data, not schema.
              if (!result.errors?.some((error) => error.path === undefined && hasHint(error))) return;
              setResult({ ...result, errors: result.errors.map((error) => (error.path === undefined && hasHint(error) ? withoutHint(error) : error)) });
            }),
        };
      },
    },
  ];
}

function hasHint(error: Error): boolean {
  SUGGESTION.lastIndex = 0;
  return SUGGESTION.test(error.message);
}

function withoutHint(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message.replace(SUGGESTION, ''), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: error.extensions,
  });
}
