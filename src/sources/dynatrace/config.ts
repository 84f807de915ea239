import { z } from 'zod';
import { DURATION_FORMS, parseDuration } from '../../core/duration.js';
import type { sourceBase as SourceBase } from '../../config/schema.js';
import { buildMappings } from './mappings.js';
import { isReadablePem } from '../http/pem-file.js';

/**
 * gateway.yaml settings of a Dynatrace environment (Metrics API v2).
 *
 * The shared settings come in as an argument rather than an import: src/config/schema.ts imports
 * this file to build its list of kinds, and importing back would be a cycle that ESM resolves with
 * uninitialised bindings.
 */

const METRIC_NAME_RULE = 'must be a metric name of letters, digits and _ (like http_requests)';

const mappingEntry = z.union(
  [
    z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, METRIC_NAME_RULE),
    z.strictObject({
      /** The name queries and results use (http_requests). */
      name: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, METRIC_NAME_RULE),
      /**
       * The unit Dynatrace reports for the key (MicroSecond, Count, ...). Only needed when the
       * name carries a unit (`_ms`) and the key is not in Dynatrace's catalogue at query time, as
       * with export files read without API access.
       */
      upstreamUnit: z.string().min(1).optional(),
      /** How one UTC day of export data folds into one usage value. @default sum */
      rollup: z.enum(['sum', 'avg', 'min', 'max']).optional(),
    }),
  ],
  { error: (issue) => `${METRIC_NAME_RULE} or { name, upstreamUnit, rollup: sum | avg | min | max }; got ${JSON.stringify(issue.input)}` },
);

export type MappingEntryConfig = z.output<typeof mappingEntry>;

const duration = (what: string) =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    try {
      return parseDuration(value, what);
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be ${DURATION_FORMS}; got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
  });

/** A Dynatrace environment's `timeoutMs` when the config sets none; below the default request deadline (src/resilience/source-timeout.ts). */
export const DYNATRACE_TIMEOUT_MS = 20_000;

export function dynatraceSourceSchema(base: typeof SourceBase) {
  return z
    .strictObject({
      ...base,
      kind: z.literal('dynatrace'),
      /**
       * The environment URL: SaaS `https://{env}.live.dynatrace.com`, Managed or ActiveGate
       * `https://{host}/e/{env}` (the path prefix is kept in front of /api/v2). Optional when the
       * source answers from export files alone.
       */
      url: z
        .string()
        .refine(isEnvironmentUrl, {
          error: (issue) =>
            `must be the environment URL without /api/v2, like https://abc12345.live.dynatrace.com or https://dynatrace.example.com/e/ENVIRONMENT-ID; got ${JSON.stringify(issue.input)}`,
        })
        .optional(),
      /** An access token with the metrics.read scope, usually `${DT_API_TOKEN}`. Sent as `Authorization: Api-Token <token>`. */
      apiToken: z.string().min(1, 'must not be empty').optional(),
      /** Verify the environment's TLS certificate. @default true */
      verifyTls: z.boolean().default(true),
      /** PEM file with a CA (or a self-signed certificate) to trust for this environment only. */
      caFile: z
        .string()
        .min(1, 'must not be empty')
        .refine(isReadablePem, { error: (issue) => `must be a readable PEM file with a certificate; cannot use ${JSON.stringify(issue.input)}` })
        .optional(),
      /** A directory of export files, ingested at start and watched for new or changed files. */
      exportDir: z.string().min(1, 'must not be empty').optional(),
      /**
       * Dynatrace metric key -> name used in queries. Replaces the default table (the cost
       * allocation integration's six service metrics) when given.
       */
      metricMappings: z.record(z.string().min(1), mappingEntry).optional(),
      /** More key -> name entries, added to (and overriding) metricMappings. */
      customMappings: z.record(z.string().min(1), mappingEntry).optional(),
      /** How long the metric catalogue from GET /api/v2/metrics (keys, units) is reused. @default 15m */
      descriptorsTtl: duration('descriptorsTtl').default(900_000),
      /** Upstream calls one query batch may have open at once (a batch of 25 metrics is 3 calls). @default 4 */
      concurrency: z.number().int().min(1).max(32).default(4),
    })
    .superRefine((config, ctx) => {
      if ((config.url === undefined) !== (config.apiToken === undefined)) {
        const missing = config.url === undefined ? 'url' : 'apiToken';
        ctx.addIssue({ code: 'custom', path: [missing], message: 'required: url and apiToken go together (give both for the API, or neither to answer from exportDir alone)' });
      }
      if (config.url === undefined && config.exportDir === undefined) {
        ctx.addIssue({ code: 'custom', path: ['url'], message: 'required: give url and apiToken, or exportDir, or both' });
      }
      for (const problem of buildMappings(config.metricMappings, config.customMappings).problems) {
        ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
      }
      if (config.caFile !== undefined && config.verifyTls === false) {
        ctx.addIssue({ code: 'custom', path: ['caFile'], message: 'has no effect with verifyTls: false; keep caFile and drop verifyTls: false to trust only that CA' });
      }
    });
}

export type DynatraceSourceConfig = z.output<ReturnType<typeof dynatraceSourceSchema>>;

function isEnvironmentUrl(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
    if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') return false;
    return !/\/api(\/v\d+)?\/?$/.test(url.pathname);
  } catch {
    return false;
  }
}

