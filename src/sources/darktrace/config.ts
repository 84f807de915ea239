import { z } from 'zod';
import { parseDuration, DURATION_FORMS } from '../../core/duration.js';
import type { sourceBase as SourceBase } from '../../config/schema.js';
import { isReadablePem } from '../http/pem-file.js';

/**
 * gateway.yaml settings of a Darktrace appliance (Threat Visualizer API).
 *
 * This takes the shared settings as an argument instead of importing them because
 * src/config/schema.ts imports this file to build its list of kinds: importing back would be a
 * cycle that ESM (and vitest's module runner in particular) resolves with uninitialised bindings.
 */
/**
 * An appliance's `timeoutMs` when the config sets none, and requestDeadlineMs leaves room for it
 * (src/resilience/source-timeout.ts): below the default request deadline (25 s), so a hung
 * appliance fails its own fields before the request must give up on it.
 */
export const DARKTRACE_TIMEOUT_MS = 20_000;

export function darktraceSourceSchema(base: typeof SourceBase) {
  return z
    .strictObject({
      ...base,
      kind: z.literal('darktrace'),
      /** The appliance's base URL, e.g. https://darktrace.example.com (a path prefix is kept). */
      url: z.string().refine(isHttpUrl, {
        error: (issue) => `must be an http:// or https:// URL without credentials, e.g. https://darktrace.example.com; got ${JSON.stringify(issue.input)}`,
      }),
      /** API token pair from System Config > Settings > API Token; usually `${DT_PUBLIC}` / `${DT_PRIVATE}`. */
      publicToken: z.string().min(1, 'must not be empty'),
      privateToken: z.string().min(1, 'must not be empty'),
      /**
       * Verify the appliance's TLS certificate. The Darktrace SDK turned verification on by default
       * in v0.9.0; so does the gateway. For an appliance with a self-signed certificate, prefer
       * `caFile`; `false` accepts any certificate. @default true
       */
      verifyTls: z.boolean().default(true),
      /** PEM file with the CA (or the self-signed certificate) to trust for this appliance only. */
      caFile: z
        .string()
        .min(1, 'must not be empty')
        .refine(isReadablePem, { error: (issue) => `must be a readable PEM file with a certificate; cannot use ${JSON.stringify(issue.input)}` })
        .optional(),
      /**
       * How the time range goes upstream: `epoch` sends `starttime`/`endtime` in epoch
       * milliseconds; `datetime` sends `from`/`to` as `YYYY-MM-DD HH:MM:SS` (UTC, whole seconds).
       * @default epoch
       */
      timeFormat: z.enum(['epoch', 'datetime']).default('epoch'),
      /** Upstream calls one query batch may have open at once (device fan-out, metric chunks). @default 4 */
      concurrency: z.number().int().min(1).max(32).default(4),
      /** How long the metric list from /metrics (names, units) is reused. @default 10m */
      descriptorsTtl: z
        .union([z.string(), z.number()])
        .transform((value, ctx) => {
          try {
            return parseDuration(value, 'descriptorsTtl');
          } catch {
            ctx.addIssue({ code: 'custom', message: `must be ${DURATION_FORMS}; got ${JSON.stringify(value)}` });
            return z.NEVER;
          }
        })
        .default(600_000),
    })
    .superRefine((config, ctx) => {
      if (config.caFile !== undefined && config.verifyTls === false) {
        ctx.addIssue({
          code: 'custom',
          path: ['caFile'],
          message: 'has no effect with verifyTls: false; keep caFile and drop verifyTls: false to trust only that CA',
        });
      }
    });
}

export type DarktraceSourceConfig = z.output<ReturnType<typeof darktraceSourceSchema>>;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

