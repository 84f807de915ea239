import { RateLimitedError, UnauthenticatedError } from '../core/errors.js';
import type { Authenticator, Credentials } from './authenticator.js';
import type { FailedLogins } from './failed-logins.js';
import { ANONYMOUS, type Identity } from './identity.js';

/**
 * Authentication behind the failed-login throttle: the one way every door (HTTP, GraphiQL, the
 * WebSocket handshake and connection_init) turns credentials into an identity.
 */
export class LoginGate {
  constructor(
    readonly authenticator: Authenticator,
    readonly failedLogins: FailedLogins | undefined,
  ) {}

  get enabled(): boolean {
    return this.authenticator.enabled;
  }

  /** RATE_LIMITED when the address is throttled; otherwise undefined. */
  async throttled(address: string): Promise<RateLimitedError | undefined> {
    if (!this.enabled || !this.failedLogins) return undefined;
    const waitMs = await this.failedLogins.blockedForMs(address);
    if (waitMs <= 0) return undefined;
    return new RateLimitedError(
      `too many failed logins from this address (more than ${this.failedLogins.max} in ${Math.round(this.failedLogins.counter.windowMs / 1000)} s); ` +
        `retry after ${Math.ceil(waitMs / 1000)} s`,
      waitMs,
    );
  }

  /**
   * The identity for these credentials, or a RATE_LIMITED (address throttled) or UNAUTHENTICATED
   * error thrown. Credentials that were presented and refused count as a failure of the address;
   * none at all do not (they guess nothing, and the Explore page asks before a key is entered).
   */
  async login(credentials: Credentials, address: string): Promise<Identity> {
    if (!this.enabled) return ANONYMOUS;
    const throttled = await this.throttled(address);
    if (throttled) throw throttled;
    try {
      return await this.authenticator.authenticate(credentials);
    } catch (error) {
      if (error instanceof UnauthenticatedError && presented(credentials)) await this.failedLogins?.failed(address);
      throw error;
    }
  }

  /** The identity without counting a failure: for GraphiQL's page, whose refusals fall through to useAuth, which counts them. */
  async peek(credentials: Credentials, address: string): Promise<Identity | undefined> {
    if (!this.enabled) return ANONYMOUS;
    if (await this.throttled(address)) return undefined;
    return this.authenticator.authenticate(credentials).catch(() => undefined);
  }
}

function presented(credentials: Credentials): boolean {
  return Boolean(credentials.apiKey?.trim() || credentials.authorization?.trim());
}
