import type { Plugin } from 'graphql-yoga';
import type { SourceWarning } from '../sources/source.js';
import type { GatewayContext } from './context.js';

/**
 * Puts what upstreams warned about (a filter on a dimension the metric does not have, export files
 * that do not cover the range) into the response's `extensions.warnings`, each once, so a client
 * sees why an answer is empty or partial although nothing failed.
 */
export function useWarnings(): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          const warnings = (args.contextValue as GatewayContext).warnings;
          if (!warnings || warnings.length === 0 || !('data' in result || 'errors' in result)) return;
          setResult({ ...result, extensions: { ...result.extensions, warnings: unique(warnings) } });
        },
      };
    },
  };
}

function unique(warnings: readonly SourceWarning[]): SourceWarning[] {
  const seen = new Set<string>();
  return warnings.filter((warning) => {
    const key = `${warning.source}\0${warning.metric ?? ''}\0${warning.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
