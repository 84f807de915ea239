import type { GatewayConfigInput } from './schema.js';

/**
 * The configuration used when none is given: every source on loopback with deterministic demo
 * data, so `npm start` on a fresh machine shows something real in GraphiQL. Redis is used when
 * REDIS_URL says where it is; otherwise the in-memory cache serves.
 */
export function demoConfig(upstreams: GatewayConfigInput['sources'] = []): GatewayConfigInput {
  return {
    demo: true,
    sources: [{ id: 'native', kind: 'native', maxPointsPerSeries: 5000 }, ...upstreams],
  };
}
