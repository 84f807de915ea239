import { GraphQLError, type ExecutionResult } from 'graphql';
import { handleStreamOrSingleExecutionResult, isAsyncIterable, type Plugin } from 'graphql-yoga';
import { capMessage, MAX_MESSAGE_CHARS } from '../core/echo.js';

export interface BoundedErrorsOptions {
  /** Longest error message a response carries. @default MAX_MESSAGE_CHARS (1000) */
  maxMessageChars?: number;
}

/**
 * The safety net under every echo of client input: no error message leaves the gateway longer
 * than `maxMessageChars`, whichever code wrote it (graphql-js prints bad literals and values
 * whole, and an upstream may echo a query back). Messages are cut where validation, execution
 * and subscriptions hand back errors (which covers WebSocket operations) and once more when an
 * HTTP result is sent (parse errors and errors thrown before execution).
 */
export function useBoundedErrors(options: BoundedErrorsOptions = {}): Plugin {
  const max = options.maxMessageChars ?? MAX_MESSAGE_CHARS;
  const bound = <E extends Error>(errors: readonly E[]) => (errors.some((error) => error.message.length > max) ? errors.map((error) => cut(error, max)) : undefined);
  const boundResult = <T extends ExecutionResult>(result: T): T | undefined => {
    const errors = result.errors && bound(result.errors);
    return errors ? { ...result, errors } : undefined;
  };
  const onResult = ({ result, setResult }: { result: ExecutionResult; setResult: (result: ExecutionResult) => void }) => {
    const bounded = boundResult(result);
    if (bounded) setResult(bounded);
  };
  return {
    onValidate() {
      return ({ result, setResult }) => {
        const errors = bound(result);
        if (errors) setResult(errors);
      };
    },
    onExecute() {
      return { onExecuteDone: (payload) => handleStreamOrSingleExecutionResult(payload, onResult) };
    },
    onSubscribe() {
      return { onSubscribeResult: (payload) => handleStreamOrSingleExecutionResult(payload, onResult) };
    },
    onResultProcess({ result, setResult }) {
      if (isAsyncIterable(result) || Array.isArray(result)) return;
      const bounded = boundResult(result);
      if (bounded) setResult(bounded);
    },
  };
}

function cut<E extends Error>(error: E, max: number): E {
  if (error.message.length <= max || !(error instanceof GraphQLError)) return error;
  return new GraphQLError(capMessage(error.message, max), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    // Kept so that masking still recognises an unexpected error behind it.
    originalError: error.originalError,
    extensions: error.extensions,
  }) as Error as E;
}
