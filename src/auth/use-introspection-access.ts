import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { Plugin } from 'graphql-yoga';
import { GraphQLError } from 'graphql';
import { identityOf } from './identity.js';

const SUGGESTION = /\s*Did you mean .*\?$/;

/**
 * Introspection and field suggestions only for identities allowed to see the schema: for the
 * others `__schema`/`__type` are refused and "Did you mean ...?" hints are cut from validation
 * errors, so the schema cannot be mapped by guessing. (GraphiQL is gated in gateway.ts.)
 */
export function useIntrospectionAccess(): Plugin[] {
  const hidden = (request: Request | undefined) => !(request && identityOf(request)?.introspection);
  return [
    useDisableIntrospection({ isDisabled: (request) => hidden(request) }),
    {
      onValidate({ context }) {
        const request = (context as { request?: Request }).request;
        if (!hidden(request)) return;
        return ({ result, setResult }) => {
          if (!result.some((error) => SUGGESTION.test(error.message))) return;
          setResult(
            result.map((error) =>
              SUGGESTION.test(error.message)
                ? new GraphQLError(error.message.replace(SUGGESTION, ''), { nodes: error.nodes, extensions: error.extensions })
                : error,
            ),
          );
        };
      },
    },
  ];
}
