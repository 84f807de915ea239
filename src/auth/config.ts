import { z } from 'zod';

/**
 * `auth:` in gateway.yaml. No `auth` (or one with neither keys nor JWT) leaves the gateway open,
 * as the demo is; one configured key or a JWT issuer turns authentication on for every request.
 * Keys are stored as the SHA-256 of the key (hex), never the key itself:
 * `printf %s "$KEY" | sha256sum`.
 */
const sourceIds = z.array(z.string().min(1)).min(1, 'list at least one source id, or leave `sources` out for every source');
const customers = z.array(z.string().min(1)).min(1, 'list at least one customer, or leave `argusCustomers` out for every customer');

export const apiKeySchema = z.strictObject({
  /** Names the key in logs, metrics and cache keys; never secret. */
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'must be 1-63 letters, digits, _ . or -'),
  /** SHA-256 of the key, 64 hex digits. */
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be the SHA-256 of the key as 64 hex digits').transform((hex) => hex.toLowerCase()),
  /** The tenant this key reads and writes native metrics for. */
  tenant: z.string().min(1),
  /** Source ids this key may use. @default every source */
  sources: sourceIds.optional(),
  /** Argus customers (id or shortName) this key may see. @default every customer */
  argusCustomers: customers.optional(),
  /** Whether this key may introspect the schema and open GraphiQL. @default false */
  introspection: z.boolean().default(false),
});

export const jwtSchema = z
  .strictObject({
    /** Where the issuer publishes its signing keys (JWKS). */
    jwksUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** A PEM public key (SPKI) instead of a JWKS URL. */
    publicKey: z.string().includes('-----BEGIN PUBLIC KEY-----', { message: 'must be a PEM public key (-----BEGIN PUBLIC KEY-----)' }).optional(),
    issuer: z.string().min(1),
    audience: z.string().min(1),
    /** Claim that holds the tenant. @default "tenant" */
    tenantClaim: z.string().min(1).default('tenant'),
    /** Claim with the source ids the token may use (array or space-separated). @default every source */
    sourcesClaim: z.string().min(1).optional(),
    /** Claim with the Argus customers the token may see (array or space-separated). @default every customer */
    argusCustomersClaim: z.string().min(1).optional(),
    /** Whether tokens of this issuer may introspect the schema and open GraphiQL. @default false */
    introspection: z.boolean().default(false),
    /** Accepted signing algorithms. @default ["RS256", "ES256", "EdDSA"] */
    algorithms: z.array(z.string().min(1)).min(1).default(['RS256', 'ES256', 'EdDSA']),
  })
  .refine((jwt) => (jwt.jwksUrl === undefined) !== (jwt.publicKey === undefined), {
    message: 'give exactly one of jwksUrl and publicKey',
  });

/**
 * Failed authentications one client address may have per window before every request from it
 * gets 429 with Retry-After until the window ends; shared through Redis when it is configured.
 * `false` turns it off.
 */
export const failedLoginsSchema = z.union([
  z.literal(false),
  z.strictObject({
    /** Failures per window. @default 20 */
    max: z.number().int().positive().default(20),
    /** Window length in ms. @default 60000 */
    windowMs: z.number().int().positive().default(60_000),
    /** Addresses tracked per instance; past it the oldest window is dropped. @default 100000 */
    maxAddresses: z.number().int().positive().default(100_000),
  }),
]);

export const authSchema = z
  .strictObject({
    apiKeys: z.array(apiKeySchema).default([]),
    jwt: jwtSchema.optional(),
    /** @default { max: 20, windowMs: 60000, maxAddresses: 100000 } */
    failedLogins: failedLoginsSchema.prefault({}),
  })
  .superRefine((auth, ctx) => {
    const seen = new Set<string>();
    auth.apiKeys.forEach((key, i) => {
      if (seen.has(key.id)) ctx.addIssue({ code: 'custom', path: ['apiKeys', i, 'id'], message: `duplicate key id '${key.id}'` });
      seen.add(key.id);
    });
  });

export type AuthConfig = z.output<typeof authSchema>;
export type ApiKeyConfig = z.output<typeof apiKeySchema>;
export type JwtConfig = z.output<typeof jwtSchema>;
