/**
 * Who is asking, after authentication: what every access decision and every cache key uses.
 */
export interface Identity {
  /** The credential: an API key's id, or `jwt:<sub>`. */
  id: string;
  /** The tenant its native metrics belong to; undefined only when authentication is off. */
  tenant?: string;
  /** Source ids it may use; undefined = every source. */
  sources?: ReadonlySet<string>;
  /** Argus customers it may see; undefined = every customer. */
  argusCustomers?: readonly string[];
  /** May introspect the schema, open GraphiQL and get field suggestions. */
  introspection: boolean;
}

/** Everyone, when authentication is off (the demo and unconfigured gateways). */
export const ANONYMOUS: Identity = Object.freeze({ id: 'anonymous', introspection: true });

/** The identity part of cache and stream keys: tenant and credential, so nothing is shared across either. */
export function identityKey(identity: Identity): string {
  return `${identity.tenant ?? ''}\u0000${identity.id}`;
}

/** Which request carries which identity; set by useAuth, read by the context factory. */
const byRequest = new WeakMap<Request, Identity>();

export function bindIdentity(request: Request, identity: Identity): void {
  byRequest.set(request, identity);
}

export function identityOf(request: Request): Identity | undefined {
  return byRequest.get(request);
}
