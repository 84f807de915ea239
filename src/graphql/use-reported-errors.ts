import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from './context.js';

/** Appends errors that resolvers reported with `ctx.reportError` to the operation's result. */
export function useReportedErrors(): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          const reported = (args.contextValue as GatewayContext).reported;
          if (!('errors' in result) || reported.length === 0) return;
          setResult({ ...result, errors: [...(result.errors ?? []), ...reported] });
        },
      };
    },
  };
}
