import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';

/**
 * Puts the request's demand into `extensions.cost` (estimated and actual points, per field and in
 * all, with the budgets and Apollo Router's result code), for every query or mutation result in
 * which a root field was charged. Subscriptions are charged when they start but their events carry
 * no cost. Registered before the response cache: a kept response carries the cost of the
 * execution that built it, which is the cost of the points it holds.
 */
export function useCostExtension(): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          const demand = (args.contextValue as GatewayContext).demand;
          if (!demand?.charged || isAsyncIterable(result)) return;
          setResult({ ...result, extensions: { ...result.extensions, cost: demand.summary() } });
        },
      };
    },
  };
}
