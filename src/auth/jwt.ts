import { createRemoteJWKSet, errors, importSPKI, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { UnauthenticatedError } from '../core/errors.js';
import type { JwtConfig } from './config.js';
import type { Identity } from './identity.js';

/**
 * Bearer JWTs: signature (JWKS URL or a configured key), issuer, audience and expiry are checked
 * by jose; the tenant comes from the configured claim, which must be there.
 */
export class JwtVerifier {
  readonly #config: JwtConfig;
  readonly #key: Promise<JWTVerifyGetKey | CryptoKey>;

  constructor(config: JwtConfig) {
    this.#config = config;
    this.#key = config.jwksUrl
      ? Promise.resolve(createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 2000, cooldownDuration: 30_000 }))
      : firstAlgorithmKey(config.publicKey!, config.algorithms);
    // A bad configured key surfaces on first use as a refusal; keep it from being unhandled now.
    this.#key.catch(() => {});
  }

  async verify(token: string): Promise<Identity> {
    let payload: JWTPayload;
    try {
      const key = await this.#key;
      ({ payload } = await jwtVerify(token, key as never, {
        issuer: this.#config.issuer,
        audience: this.#config.audience,
        algorithms: this.#config.algorithms,
      }));
    } catch (error) {
      throw new UnauthenticatedError(`the bearer token was refused: ${reason(error)}`);
    }
    const tenant = payload[this.#config.tenantClaim];
    if (typeof tenant !== 'string' || tenant === '') {
      throw new UnauthenticatedError(`the bearer token has no '${this.#config.tenantClaim}' claim naming its tenant`);
    }
    const sources = this.#config.sourcesClaim ? list(payload[this.#config.sourcesClaim]) : undefined;
    const customers = this.#config.argusCustomersClaim ? list(payload[this.#config.argusCustomersClaim]) : undefined;
    return {
      id: `jwt:${typeof payload.sub === 'string' ? payload.sub : 'unknown'}`,
      tenant,
      introspection: this.#config.introspection,
      // A configured claim that is missing grants nothing rather than everything.
      ...(this.#config.sourcesClaim ? { sources: new Set(sources ?? []) } : {}),
      ...(this.#config.argusCustomersClaim ? { argusCustomers: customers ?? [] } : {}),
    };
  }
}

async function firstAlgorithmKey(pem: string, algorithms: readonly string[]): Promise<CryptoKey> {
  let last: unknown;
  for (const algorithm of algorithms) {
    try {
      return await importSPKI(pem, algorithm);
    } catch (error) {
      last = error;
    }
  }
  throw last;
}

function list(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return undefined;
}

/** jose's reasons are about claims and signatures, never about the token's content. */
function reason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'it has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim '${error.claim}' is not accepted (${error.reason})`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'its signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no signing key of the issuer matches it';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'its signing algorithm is not accepted';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'it is not a well-formed JWT';
  if (error instanceof errors.JWKSTimeout) return "the issuer's signing keys could not be fetched in time";
  return 'it could not be verified';
}
