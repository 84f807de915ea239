import { UnauthenticatedError } from '../core/errors.js';
import { ApiKeys } from './api-keys.js';
import type { AuthConfig } from './config.js';
import { ANONYMOUS, type Identity } from './identity.js';
import { JwtVerifier } from './jwt.js';

const HOW = "send 'Authorization: Bearer <API key or JWT>' or 'X-API-Key: <API key>'";
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Credentials as they arrive: HTTP headers, or a WebSocket connection_init payload. */
export interface Credentials {
  authorization?: string | null | undefined;
  apiKey?: string | null | undefined;
}

/**
 * Turns credentials into an Identity. Off (no keys, no JWT issuer): everyone is ANONYMOUS. On: a
 * request without credentials, or with ones that do not verify, is refused with a message that
 * says what to send, never what was sent.
 */
export class Authenticator {
  readonly enabled: boolean;
  readonly #keys: ApiKeys;
  readonly #jwt: JwtVerifier | undefined;

  constructor(config: AuthConfig | undefined) {
    this.#keys = new ApiKeys(config?.apiKeys ?? []);
    this.#jwt = config?.jwt ? new JwtVerifier(config.jwt) : undefined;
    this.enabled = this.#keys.size > 0 || this.#jwt !== undefined;
  }

  async authenticate(credentials: Credentials): Promise<Identity> {
    if (!this.enabled) return ANONYMOUS;
    const apiKey = credentials.apiKey?.trim();
    const authorization = credentials.authorization?.trim();
    if (apiKey) return this.#apiKey(apiKey);
    if (!authorization) throw new UnauthenticatedError(`authentication required: ${HOW}`);
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw new UnauthenticatedError(`the Authorization header must be 'Bearer <API key or JWT>'; ${HOW}`);
    const token = match[1]!;
    if (this.#jwt && JWT_SHAPE.test(token)) return this.#jwt.verify(token);
    return this.#apiKey(token);
  }

  #apiKey(key: string): Identity {
    const identity = this.#keys.find(key);
    if (!identity) throw new UnauthenticatedError(`the API key is not valid; ${HOW}`);
    return identity;
  }
}

export function credentialsFromHeaders(headers: Headers): Credentials {
  return { authorization: headers.get('authorization'), apiKey: headers.get('x-api-key') };
}

/** A graphql-ws connection_init payload: `{ Authorization: "Bearer ..." }` or `{ apiKey | "X-API-Key" }`, any case. */
export function credentialsFromPayload(payload: unknown): Credentials {
  if (payload === null || typeof payload !== 'object') return {};
  const lower = new Map(Object.entries(payload).map(([key, value]) => [key.toLowerCase(), value]));
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return { authorization: text(lower.get('authorization')), apiKey: text(lower.get('x-api-key') ?? lower.get('apikey')) };
}
