import { readFileSync } from 'node:fs';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLError, ValidationContext } from 'graphql';
import type { DocumentLimit } from '../core/errors.js';
import type { LimitsConfig } from './config.js';
import { documentLimitError } from './limit-errors.js';
import { useDocumentScan } from './use-document-scan.js';

/**
 * Limits on what one document may ask (a pre-parse scan of tokens and nesting, then graphql-armor's
 * depth, alias, directive and cost rules), CSRF prevention, and, when configured, the
 * persisted-operations-only mode. Limits are not echoed: a refused document learns which limit it
 * broke (DOCUMENT_LIMIT_EXCEEDED, `extensions.limit`, HTTP 400), not where the limit is. Field
 * suggestions are handled per identity in src/auth.
 */
export function useDocumentLimits(limits: LimitsConfig): Plugin[] {
  const plugins: Plugin[] = [
    useDocumentScan({ maxTokens: limits.maxTokens, maxNesting: limits.maxNesting, maxInputNesting: limits.maxInputNesting, maxBodyBytes: limits.maxBodyBytes }),
    EnvelopArmorPlugin({
      blockFieldSuggestion: { enabled: false },
      // Counted by useDocumentScan before parsing, in the same pass as the nesting.
      maxTokens: { enabled: false },
      maxDepth: { n: limits.maxDepth, flattenFragments: true, ...reported('depth') },
      maxAliases: { n: limits.maxAliases, ...reported('aliases') },
      maxDirectives: { n: limits.maxDirectives, ...reported('directives') },
      costLimit: { maxCost: limits.maxCost, ...reported('cost') },
    }) as Plugin,
    // Requests a browser could send cross-site without a preflight (GET, form posts) must carry a
    // custom header; JSON POSTs are not "simple" and pass.
    useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'graphql-require-preflight', 'apollo-require-preflight'] }),
  ];
  if (limits.persistedOperations) plugins.push(persistedOnly(limits.persistedOperations.file));
  return plugins;
}

/**
 * graphql-armor throws its own error out of validation (no code, HTTP 200 to application/json
 * clients); instead each refusal is reported as a validation error of the gateway's own shape.
 */
function reported(limit: DocumentLimit) {
  return {
    exposeLimits: false,
    propagateOnRejection: false,
    onReject: [(context: ValidationContext | null, _error: GraphQLError) => context?.reportError(documentLimitError(limit))],
  };
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
