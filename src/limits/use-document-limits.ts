import { readFileSync } from 'node:fs';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { Plugin } from 'graphql-yoga';
import type { LimitsConfig } from './config.js';

/**
 * Limits on what one document may ask (graphql-armor), CSRF prevention, and, when configured, the
 * persisted-operations-only mode. Limits are not echoed: a refused document learns which limit it
 * broke, not where the limit is. Field suggestions are handled per identity in src/auth.
 */
export function useDocumentLimits(limits: LimitsConfig): Plugin[] {
  const plugins: Plugin[] = [
    EnvelopArmorPlugin({
      blockFieldSuggestion: { enabled: false },
      maxDepth: { n: limits.maxDepth, exposeLimits: false, flattenFragments: true, errorMessage: 'the document nests fields too deeply; split it into shallower queries' },
      maxAliases: { n: limits.maxAliases, exposeLimits: false, errorMessage: 'the document uses too many aliases; split it into several requests' },
      maxTokens: { n: limits.maxTokens, exposeLimits: false, errorMessage: 'the document has too many tokens; split it into several requests' },
      maxDirectives: { n: limits.maxDirectives, exposeLimits: false, errorMessage: 'the document uses too many directives' },
      costLimit: { maxCost: limits.maxCost, exposeLimits: false, errorMessage: 'the document asks for too much at once (cost limit); split it into several requests' },
    }) as Plugin,
    // Requests a browser could send cross-site without a preflight (GET, form posts) must carry a
    // custom header; JSON POSTs are not "simple" and pass.
    useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'graphql-require-preflight', 'apollo-require-preflight'] }),
  ];
  if (limits.persistedOperations) plugins.push(persistedOnly(limits.persistedOperations.file));
  return plugins;
}

function persistedOnly(file: string): Plugin {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`limits.persistedOperations.file: cannot read ${file} as JSON (${(error as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((value) => typeof value !== 'string')) {
    throw new Error(`limits.persistedOperations.file: ${file} must be a JSON object mapping operation ids to GraphQL documents`);
  }
  const operations = new Map(Object.entries(parsed as Record<string, string>));
  return usePersistedOperations({
    getPersistedOperation: (key) => operations.get(key) ?? null,
    allowArbitraryOperations: false,
  }) as Plugin;
}
