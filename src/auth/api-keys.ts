import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyConfig } from './config.js';
import type { Identity } from './identity.js';

/**
 * API keys, checked against their configured SHA-256. The lookup is by digest, and the digest is
 * compared in constant time, so response timing says nothing about how close a guess was.
 */
export class ApiKeys {
  readonly #byDigest = new Map<string, { digest: Buffer; identity: Identity }>();

  constructor(keys: readonly ApiKeyConfig[]) {
    for (const key of keys) {
      const identity: Identity = {
        id: key.id,
        tenant: key.tenant,
        introspection: key.introspection,
        ...(key.sources ? { sources: new Set(key.sources) } : {}),
        ...(key.argusCustomers ? { argusCustomers: [...key.argusCustomers] } : {}),
      };
      this.#byDigest.set(key.sha256, { digest: Buffer.from(key.sha256, 'hex'), identity });
    }
  }

  get size(): number {
    return this.#byDigest.size;
  }

  /** The identity of a presented key, or undefined when no configured key matches. */
  find(presented: string): Identity | undefined {
    const digest = createHash('sha256').update(presented).digest();
    const entry = this.#byDigest.get(digest.toString('hex'));
    return entry && timingSafeEqual(entry.digest, digest) ? entry.identity : undefined;
  }
}
