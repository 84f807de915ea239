import { ForbiddenError } from '../core/errors.js';
import type { LabelFilter } from '../core/series.js';
import { SourceRegistry, type MetricSource, type SourceKind } from '../sources/source.js';
import type { Identity } from './identity.js';

/** The label Argus answers carry the owning customer in (see src/sources/argus/descriptors.ts). */
const ARGUS_CUSTOMER_LABEL = 'customer';

/**
 * The sources an identity may use. Listing shows only those; naming another configured source is
 * FORBIDDEN (on that field only), naming an unknown one stays the usual BAD_USER_INPUT.
 */
export class ScopedRegistry extends SourceRegistry {
  readonly #all: SourceRegistry;
  readonly #identity: Identity;

  constructor(all: SourceRegistry, identity: Identity) {
    super(identity.sources ? all.list().filter((source) => identity.sources!.has(source.id)) : all.list());
    this.#all = all;
    this.#identity = identity;
  }

  override get(id: string): MetricSource {
    const source = this.#all.get(id);
    if (this.#identity.sources && !this.#identity.sources.has(id)) {
      throw new ForbiddenError(`the credential '${this.#identity.id}' may not use source '${id}'`, { source: id, field: 'source' });
    }
    return source;
  }

  override only(kind: SourceKind): MetricSource {
    if (this.#identity.sources && this.list().every((source) => source.kind !== kind) && this.#all.list().some((source) => source.kind === kind)) {
      throw new ForbiddenError(`the credential '${this.#identity.id}' may not use any ${kind} source`, { field: 'source' });
    }
    return super.only(kind);
  }
}

/** The registry an identity sees; the full one when it is not restricted. */
export function registryFor(all: SourceRegistry, identity: Identity): SourceRegistry {
  return identity.sources ? new ScopedRegistry(all, identity) : all;
}

interface Restrictable {
  filters: readonly LabelFilter[];
  params?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Narrows a query to what the identity may see before it goes upstream (and into a cache key).
 * Argus: customers asked for must be among the allowed ones (FORBIDDEN otherwise); none asked for
 * means all the allowed ones, so Argus itself never returns another customer's records.
 */
export function restrictQuery<T extends Restrictable>(source: MetricSource, identity: Identity, query: T): T {
  if (source.kind !== 'argus' || identity.argusCustomers === undefined) return query;
  const allowed = identity.argusCustomers;
  const refuse = (customers: readonly string[], field: string) => {
    const denied = customers.filter((customer) => !allowed.includes(customer));
    if (denied.length > 0) {
      throw new ForbiddenError(`the credential '${identity.id}' may not see Argus customer(s) ${denied.map((c) => `'${c}'`).join(', ')}; allowed: ${allowed.join(', ')}`, {
        source: source.id,
        field,
      });
    }
  };
  const asked = query.params?.customer;
  if (Array.isArray(asked)) refuse(asked.filter((item): item is string => typeof item === 'string'), 'argus.customer');
  for (const filter of query.filters) {
    if (filter.key === ARGUS_CUSTOMER_LABEL && !filter.exclude) refuse(filter.values, 'filters');
  }
  const customer = Array.isArray(asked) && asked.length > 0 ? asked : [...allowed];
  return { ...query, params: { ...(query.params ?? {}), customer } };
}
