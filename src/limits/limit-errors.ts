import { GraphQLError } from 'graphql';
import { DocumentLimitExceededError, type DocumentLimit } from '../core/errors.js';

/**
 * What a client learns when its document, variables or body break a limit: which limit, and how
 * to stay under it; never the limit's value (the manual lists the defaults). Every such error is
 * HTTP 400 whatever the Accept header, so `application/json` clients see a 4xx too.
 */
export const LIMIT_MESSAGES: Record<DocumentLimit, string> = {
  depth: 'the document nests fields too deeply (depth limit); split it into shallower queries',
  aliases: 'the document uses too many aliases (alias limit); split it into several requests',
  tokens: 'the document has too many tokens (token limit); split it into several requests',
  directives: 'the document uses too many directives (directive limit)',
  cost: 'the document asks for too much at once (cost limit); split it into several requests',
  nesting: 'the document nests braces, brackets or parentheses too deeply (nesting limit); flatten its arguments and selections',
  inputNesting: 'the variables nest lists or objects too deeply (input nesting limit); flatten them',
};

export function documentLimitError(limit: DocumentLimit, message: string = LIMIT_MESSAGES[limit]): GraphQLError {
  const error = new DocumentLimitExceededError(message, limit);
  // `spec: false`: yoga answers spec-defined validation errors with 200 to application/json clients; this one is 400 for all.
  return new GraphQLError(error.message, { extensions: { ...error.extensions(), http: { status: 400, spec: false } } });
}
