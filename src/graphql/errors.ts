import { GraphQLError } from 'graphql';
import { isGatewayError } from '../core/errors.js';

/**
 * Turns a GatewayError into the GraphQLError clients see, with `extensions.code` and the source.
 * Anything else is rethrown untouched so yoga masks it ("Unexpected error.") and logs it: an
 * error without a code is a bug, and its message may carry details clients must not see.
 */
export function toGraphQLError(error: unknown, sourceId?: string): unknown {
  if (error instanceof GraphQLError) return error;
  if (!isGatewayError(error)) return error;
  const extensions = error.extensions();
  if (sourceId !== undefined && extensions.source === undefined) extensions.source = sourceId;
  // No originalError on purpose: yoga masks a GraphQLError whose chain ends in a plain Error.
  return new GraphQLError(error.message, { extensions });
}

/** Runs a resolver body and reports its failures as GraphQL errors for `sourceId`. */
export async function resolveFor<T>(sourceId: string | undefined, body: () => Promise<T> | T): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw toGraphQLError(error, sourceId);
  }
}
