import { GraphQLEnumType, GraphQLError, Kind, visit, type ASTNode, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ScalarInputError } from './scalars/input-error.js';

/**
 * Makes bad scalar input read like the rest of the gateway's errors: code BAD_USER_INPUT, the
 * argument it was given for, and the accepted forms. graphql-js reports a bad literal against the
 * value node and a bad variable against the variable definition, without the argument's name;
 * this plugin finds the argument in the document and rewrites the message. A value outside an enum
 * (an unknown aggregate function) is bad input too: graphql-js's words are kept, the code becomes
 * BAD_USER_INPUT and, for callers allowed to see the schema, the accepted values are listed.
 */
export interface InputErrorsOptions {
  /**
   * Whether the caller may see the schema, and so be told the accepted values of an enum. The
   * list is a hint that maps the schema, like "Did you mean ...?" (cut in src/auth).
   * @default () => true
   */
  showHints?: (request: Request | undefined) => boolean;
}

export function useInputErrors(options: InputErrorsOptions = {}): Plugin {
  const showHints = options.showHints ?? (() => true);
  const requestOf = (context: unknown) => (context as { request?: Request } | undefined)?.request;
  return {
    onValidate({ params, context }) {
      return ({ result, setResult }) => {
        if (!result.some(isInputError)) return;
        const hints = showHints(requestOf(context));
        setResult(result.map((error) => (error instanceof GraphQLError ? rewrite(error, params.documentAST, params.schema, hints) : error)));
      };
    },
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || !result.errors?.some(isInputError)) return;
          const hints = showHints(requestOf(args.contextValue));
          setResult({ ...result, errors: result.errors.map((error) => rewrite(error, args.document, args.schema, hints)) });
        },
      };
    },
  };
}

/** graphql-js's words for a value outside an enum, in a literal or in a variable. */
const NOT_IN_ENUM = /Value "[^"]*" does not exist in "(\w+)" enum/;

function isInputError(error: Error): boolean {
  return scalarCause(error) !== undefined || (error instanceof GraphQLError && NOT_IN_ENUM.test(error.message) && error.extensions['code'] !== 'BAD_USER_INPUT');
}

/** graphql-js and the executor wrap scalar errors once or twice; find ours at the end of the chain. */
function scalarCause(error: Error | undefined): ScalarInputError | undefined {
  for (let current = error; current; current = current instanceof GraphQLError ? (current.originalError ?? undefined) : undefined) {
    if (current instanceof ScalarInputError) return current;
  }
  return undefined;
}

function rewrite(error: GraphQLError, document: DocumentNode, schema: GraphQLSchema, hints: boolean): GraphQLError {
  const cause = scalarCause(error);
  if (!cause) return NOT_IN_ENUM.test(error.message) ? rewriteEnum(error, document, schema, hints) : error;
  const node = error.nodes?.[0];
  let where: string;
  let argument: string | undefined;
  if (node?.kind === Kind.VARIABLE_DEFINITION) {
    const variable = node.variable.name.value;
    argument = argumentsUsingVariable(document, variable)[0];
    const inner = /at "([^"]+)"/.exec(error.message)?.[1];
    where = `variable $${variable}${inner ? ` at "${inner}"` : ''}${argument ? ` (argument "${argument}")` : ''}`;
  } else {
    argument = node ? argumentPath(document, node) : undefined;
    where = argument ? `argument "${argument}"` : `a ${cause.scalar} value`;
  }
  return new GraphQLError(`Invalid value for ${where}: ${cause.message}`, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    // No originalError: yoga masks any GraphQLError whose chain ends in a plain Error.
    extensions: { code: 'BAD_USER_INPUT', ...(argument ? { argument } : {}) },
  });
}

function rewriteEnum(error: GraphQLError, document: DocumentNode, schema: GraphQLSchema, hints: boolean): GraphQLError {
  const node = error.nodes?.[0];
  const argument = node?.kind === Kind.VARIABLE_DEFINITION ? argumentsUsingVariable(document, node.variable.name.value)[0] : node ? argumentPath(document, node) : undefined;
  const type = schema.getType(NOT_IN_ENUM.exec(error.message)![1]!);
  const accepted = hints && type instanceof GraphQLEnumType ? ` Accepted: ${type.getValues().map((value) => value.name).join(', ')}.` : '';
  return new GraphQLError(`${error.message}${accepted}`, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    // `http` (yoga's status for a request error) stays; yoga strips it from the response.
    extensions: { ...(error.extensions['http'] ? { http: error.extensions['http'] } : {}), code: 'BAD_USER_INPUT', ...(argument ? { argument } : {}) },
  });
}

/** "input.timestamp" for a literal inside an input object, "from" for a plain argument. */
function argumentPath(document: DocumentNode, target: ASTNode): string | undefined {
  const start = target.loc?.start;
  if (start === undefined) return undefined;
  const path: string[] = [];
  visit(document, {
    enter(node) {
      if (!node.loc || start < node.loc.start || start >= node.loc.end) return false;
      if (node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD) path.push(node.name.value);
      return undefined;
    },
  });
  return path.length > 0 ? path.join('.') : undefined;
}

function argumentsUsingVariable(document: DocumentNode, variable: string): string[] {
  const names: string[] = [];
  visit(document, {
    Argument(node) {
      visit(node.value, {
        Variable(inner) {
          if (inner.name.value === variable) names.push(node.name.value);
        },
      });
    },
  });
  return names;
}
