import { z } from 'zod';
import { POINTS_BACKSTOP } from '../core/points.js';

const positiveInt = z.number().int().positive();

/**
 * `limits:` in gateway.yaml: what one request may ask and how often a client may ask. The
 * defaults let the README's example dashboards and the Explore page through with room to spare
 * and stop documents built to exhaust the server. The numbers are never echoed to clients.
 */
export const limitsSchema = z.strictObject({
  /** Largest request body, in bytes; bigger is 413. @default 1 MiB */
  maxBodyBytes: positiveInt.default(1024 * 1024),
  /** Deepest field nesting. @default 12 */
  maxDepth: positiveInt.default(12),
  /** Aliases in one document (dashboards alias one field per panel). @default 50 */
  maxAliases: positiveInt.default(50),
  /** Lexical tokens in one document. @default 5000 */
  maxTokens: positiveInt.default(5000),
  /**
   * Deepest nesting of braces, brackets and parentheses in a document, counted together before
   * parsing (selection sets, arguments, list and object literals). @default 64
   */
  maxNesting: positiveInt.default(64),
  /**
   * Deepest nesting of lists and objects in a GraphQL request's variables and extensions. (The
   * collector's REST bodies have the same bound, MAX_BODY_NESTING in src/http/read-json-body.ts.)
   * @default 32
   */
  maxInputNesting: positiveInt.default(32),
  /** Directives in one document. @default 50 */
  maxDirectives: positiveInt.default(50),
  /** Static cost (objects 2, scalars 1, times 1.5 per level). @default 50000 */
  maxCost: positiveInt.default(50_000),
  /**
   * Requests one client (an identity; without authentication, an address) may make per window;
   * shared through Redis when Redis is configured. `false` turns it off. Sized for a wall of
   * dashboards behind one address (100 a second), so it stops runaway clients, not users.
   * @default { requests: 6000, window: 60s }
   */
  rateLimit: z
    .union([
      z.literal(false),
      z.strictObject({
        requests: positiveInt.default(6000),
        /** Window length in ms. @default 60000 */
        windowMs: positiveInt.default(60_000),
      }),
    ])
    .prefault({}),
  /**
   * Demand control (docs/demand-control.md): points a field or a request may build, estimated
   * before any source is asked and counted again as answers are built.
   */
  demand: z
    .strictObject({
      /**
       * Points one root field may build (series x points per series, groups x buckets); a point
       * sent as a `Point` object (`points { timestamp value }`, buckets, trend series) counts 10,
       * one in the columnar `timestamps`/`values` counts 1. Sized by bench/demand.ts (figures in
       * bench/RESULTS.md): under a second of one core and some 10 MB of answer in either form.
       * @default 500000
       */
      maxPointsPerField: positiveInt.max(POINTS_BACKSTOP).default(500_000),
      /** Points all root fields of one request (aliases add up) may build together, counted alike. @default 500000 */
      maxPointsPerRequest: positiveInt.default(500_000),
      /**
       * Spacing of raw points assumed for a query without interval when the source cannot say
       * (Argus records); ms. @default 60000 (one a minute)
       */
      assumedRawIntervalMs: positiveInt.default(60_000),
    })
    .prefault({}),
  /**
   * Persisted-operations-only mode for production frontends: a JSON file mapping operation ids
   * (e.g. sha256 hashes) to documents; any other document is refused.
   */
  persistedOperations: z.strictObject({ file: z.string().min(1) }).optional(),
});

export type LimitsConfig = z.output<typeof limitsSchema>;
