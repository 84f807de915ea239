import { getOperationAST, Kind, type DocumentNode, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type GraphQLParams, type Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { stableStringify } from '../cache/keys.js';
import type { ResponseCache } from '../cache/response-cache.js';
import type { GatewayMetrics } from '../telemetry/metrics.js';
import type { GatewayContext } from './context.js';

/** Yoga sends a result with `stringify` as that function's text (its result processors honour it). */
type ExecutionResultWithSerializer = ExecutionResult & { stringify?: (result: ExecutionResult) => string };

export interface ResponseCacheHooks {
  cache: ResponseCache;
  metrics: GatewayMetrics;
  /** The caller's identity key (src/auth/identity.ts): a kept response never crosses identities. */
  identityOf(request: Request): string;
  /** The sources' data versions: an ingested export file changes past answers, and so the key. */
  dataVersions(): string;
}

/**
 * Root fields whose answers come only through the per-request loaders (and so through the query
 * cache, which reports how long each answer stays fresh). Anything else in a document (sources,
 * metric listings, health, mutations, introspection) means the response is not kept.
 */
const KEPT_ROOT_FIELDS = new Set(['metricData', 'aggregate', 'trend', 'allocation', '__typename']);

/**
 * The whole-response cache in front of execution. Registered after the document-limits plugins,
 * so the persisted-operations lookup has already put the document in `params`; authentication,
 * CSRF and rate limits run on the request before this. A kept response is stored as the exact
 * bytes sent, so a hit is not parsed, validated, executed or serialised.
 *
 * A response is kept only when: the operation is a query of KEPT_ROOT_FIELDS, it has no errors,
 * and every answer it was built from came from the query cache (then it is kept no longer than
 * the earliest of their expiries).
 */
export function useResponseCache(hooks: ResponseCacheHooks): Plugin<GatewayContext> {
  // Documents seen to be keepable. Only their requests pay for a key (the variables are written
  // out), so an ingest mutation carrying 10,000 points never does.
  const keepableDocuments = new LRUCache<string, true>({ max: 1000 });
  const keyOf = (request: Request, params: GraphQLParams) =>
    [hooks.identityOf(request), hooks.dataVersions(), params.operationName ?? '', params.query, params.variables ? stableStringify(params.variables) : ''].join('\u0000');
  const keys = new WeakMap<Request, string>();
  return {
    onParams({ request, params, setResult }) {
      if (!params.query || !keepableDocuments.has(params.query)) return;
      const key = keyOf(request, params);
      const body = hooks.cache.get(key);
      if (body !== undefined) {
        hooks.metrics.responseCacheLookups.inc({ result: 'hit' });
        const kept: ExecutionResultWithSerializer = { stringify: () => body };
        setResult(kept);
        return;
      }
      hooks.metrics.responseCacheLookups.inc({ result: 'miss' });
      keys.set(request, key);
    },
    onExecute({ args }) {
      const context = args.contextValue as GatewayContext;
      const { params, request } = context;
      if (!params?.query || !keepable(args.document, args.operationName)) return;
      keepableDocuments.set(params.query, true);
      return {
        onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result) || result.errors?.length) return;
          const freshUntil = context.loaders.freshUntil;
          if (freshUntil === undefined) return;
          const body = JSON.stringify(result);
          hooks.cache.set(keys.get(request) ?? keyOf(request, params), body, freshUntil);
          // Serialised once: the response goes out as the kept text.
          const sent: ExecutionResultWithSerializer = { ...result, stringify: () => body };
          setResult(sent);
        },
      };
    },
  };
}

function keepable(document: DocumentNode, operationName: string | null | undefined): boolean {
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== 'query') return false;
  return operation.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD && KEPT_ROOT_FIELDS.has(selection.name.value));
}
