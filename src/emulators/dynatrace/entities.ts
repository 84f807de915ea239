import { entityIdSuffix } from './random.js';

/**
 * The emulated environment's monitored world: services running per region and environment,
 * each owned by a team, serving a few customers on a plan tier, with key requests on the busiest.
 * Built-in service metrics split by `dt.entity.service` only (as in real Dynatrace); customer,
 * region, plan tier, environment and team appear as entity tags and management zones, and as
 * dimensions of the custom (ingested) metrics that carry them.
 */

export interface Customer {
  id: string;
  planTier: 'free' | 'pro' | 'enterprise';
  /** Relative traffic weight. */
  weight: number;
}

export interface ServiceEntity {
  entityId: string;
  name: string;
  serviceName: string;
  region: string;
  environment: 'production' | 'staging';
  team: string;
  tags: string[];
  managementZones: Array<{ id: string; name: string }>;
  customers: Customer[];
  /** Requests per minute at the daily peak. */
  peakRpm: number;
  /** Typical response time in microseconds. */
  responseUs: number;
  seed: number;
}

export interface KeyRequestEntity {
  entityId: string;
  name: string;
  service: ServiceEntity;
  share: number;
  seed: number;
}

export const CUSTOMERS: readonly Customer[] = [
  { id: 'customer_001', planTier: 'enterprise', weight: 5 },
  { id: 'customer_002', planTier: 'enterprise', weight: 3 },
  { id: 'customer_003', planTier: 'pro', weight: 2 },
  { id: 'customer_004', planTier: 'pro', weight: 1.5 },
  { id: 'customer_005', planTier: 'free', weight: 0.5 },
  { id: 'customer_006', planTier: 'free', weight: 0.25 },
];

const SERVICES = [
  { serviceName: 'api-gateway', team: 'platform', peakRpm: 1200, responseUs: 48_000 },
  { serviceName: 'checkout', team: 'payments', peakRpm: 300, responseUs: 220_000 },
  { serviceName: 'search', team: 'discovery', peakRpm: 800, responseUs: 95_000 },
  { serviceName: 'billing', team: 'payments', peakRpm: 90, responseUs: 410_000 },
] as const;

export const REGIONS = ['us-east', 'eu-west', 'ap-south'] as const;
const REGION_SCALE: Readonly<Record<string, number>> = { 'us-east': 1, 'eu-west': 0.75, 'ap-south': 0.25 };
const ENVIRONMENTS = ['production', 'staging'] as const;

/** Management zone ids are 64-bit integers; kept as text so none loses digits. */
export const MANAGEMENT_ZONES = [
  { id: '4100000000000000001', name: 'production' },
  { id: '4100000000000000002', name: 'staging' },
  { id: '4100000000000000011', name: 'us-east' },
  { id: '4100000000000000012', name: 'eu-west' },
  { id: '4100000000000000013', name: 'ap-south' },
];

export interface World {
  services: ServiceEntity[];
  keyRequests: KeyRequestEntity[];
}

export function buildWorld(): World {
  const services: ServiceEntity[] = [];
  let seed = 1;
  for (const environment of ENVIRONMENTS) {
    for (const region of REGIONS) {
      for (const spec of SERVICES) {
        const name = `${spec.serviceName} (${region}, ${environment})`;
        // Each service serves a stable subset of customers: every customer in production, the
        // two biggest in staging.
        const customers = environment === 'production' ? [...CUSTOMERS] : CUSTOMERS.slice(0, 2);
        services.push({
          entityId: `SERVICE-${entityIdSuffix(name)}`,
          name,
          serviceName: spec.serviceName,
          region,
          environment,
          team: spec.team,
          tags: [`service_name:${spec.serviceName}`, `region:${region}`, `environment:${environment}`, `team:${spec.team}`],
          managementZones: MANAGEMENT_ZONES.filter((zone) => zone.name === environment || zone.name === region),
          customers,
          peakRpm: Math.round(spec.peakRpm * REGION_SCALE[region]! * (environment === 'production' ? 1 : 0.05)),
          responseUs: spec.responseUs,
          seed: seed++,
        });
      }
    }
  }
  const keyRequests: KeyRequestEntity[] = [];
  for (const service of services) {
    if (service.environment !== 'production' || (service.serviceName !== 'checkout' && service.serviceName !== 'api-gateway')) continue;
    for (const [method, share] of service.serviceName === 'checkout' ? ([['POST /orders', 0.4], ['GET /cart', 0.35]] as const) : ([['GET /v1/products', 0.5]] as const)) {
      const name = `${method} on ${service.name}`;
      keyRequests.push({ entityId: `SERVICE_METHOD-${entityIdSuffix(name)}`, name: method, service, share, seed: seed++ });
    }
  }
  return { services, keyRequests };
}
