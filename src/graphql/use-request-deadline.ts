import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from './context.js';

/** Releases the request deadline (src/resilience/request-deadline.ts) once execution is done. */
export function useRequestDeadline(): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone() {
          (args.contextValue as GatewayContext).deadline?.release();
        },
      };
    },
  };
}
