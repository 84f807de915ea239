import { buildWorld, type KeyRequestEntity, type ServiceEntity, type World } from './entities.js';
import { noise } from './random.js';

/**
 * The emulated metric catalogue and its data, minute by minute. Keys, units and aggregations are
 * the real built-in classic metrics' (`builtin:service.*`, response and CPU time in
 * MicroSecond); the custom `shop.*` metrics stand for ingested metrics, which may carry free-form
 * dimensions such as customer_id. Values are a deterministic function of (series, minute): a
 * daily curve per region, weekend dips, noise, and gaps (staging is switched off at weekends; some
 * services have a nightly maintenance hour). Minutes after `now` have no data.
 */

export interface DimensionDefinition {
  key: string;
  name: string;
  displayName: string;
  index: number;
  type: 'ENTITY' | 'STRING';
}

export interface Descriptor {
  metricId: string;
  displayName: string;
  description: string;
  unit: string;
  dduBillable: boolean;
  created: number | null;
  lastWritten: number | null;
  entityType: string[];
  aggregationTypes: string[];
  transformations: string[];
  defaultAggregation: { type: string };
  dimensionDefinitions: DimensionDefinition[];
  tags: string[];
  metricValueType: { type: string };
}

/** The monitored entity a series belongs to, for entitySelector and mzSelector. */
export interface SeriesEntity {
  id: string;
  type: 'SERVICE' | 'SERVICE_METHOD';
  name: string;
  tags: readonly string[];
  zones: ReadonlyArray<{ id: string; name: string }>;
}

export interface EmulatedSeries {
  dimensions: Readonly<Record<string, string>>;
  entity?: SeriesEntity;
  /** The value for one epoch minute, or null for no data. */
  minute(minute: number): number | null;
}

export interface EmulatedMetric {
  descriptor: Descriptor;
  /** How minutes fold under `auto`/`value`: counts add up, gauges average. */
  fold: 'sum' | 'avg';
  series: EmulatedSeries[];
}

const TRANSFORMATIONS = ['filter', 'fold', 'limit', 'merge', 'names', 'parents', 'timeshift', 'sort', 'last', 'splitBy', 'default', 'delta', 'lastReal', 'setUnit'];
const COUNT_AGGREGATIONS = ['auto', 'value'];
const GAUGE_AGGREGATIONS = ['auto', 'avg', 'count', 'max', 'median', 'min', 'percentile', 'sum'];
const SERVICE_DIMENSION: DimensionDefinition = { key: 'dt.entity.service', name: 'Service', displayName: 'Service', index: 0, type: 'ENTITY' };
const CUSTOM_DIMENSIONS = ['service_name', 'customer_id', 'region', 'plan_tier', 'environment', 'team'];
const REGION_UTC_OFFSET_HOURS: Readonly<Record<string, number>> = { 'us-east': -5, 'eu-west': 0, 'ap-south': 5.5 };
const MINUTES_PER_DAY = 1440;

export interface Catalogue {
  world: World;
  metrics: EmulatedMetric[];
  byKey: Map<string, EmulatedMetric>;
}

export function buildCatalogue(now: () => number): Catalogue {
  const world = buildWorld();
  const live = (minute: number) => minute * 60_000 < now() - 60_000;
  const requests = (service: ServiceEntity, minute: number): number | null => (live(minute) ? serviceRequests(service, minute) : null);
  const metrics: EmulatedMetric[] = [];
  const add = (descriptor: Partial<Descriptor> & Pick<Descriptor, 'metricId' | 'displayName' | 'unit'>, fold: 'sum' | 'avg', series: EmulatedSeries[]) => {
    metrics.push({ descriptor: describe(descriptor, fold), fold, series });
  };

  const perService = (value: (service: ServiceEntity, minute: number, rpm: number) => number) =>
    world.services.map((service): EmulatedSeries => ({
      dimensions: { 'dt.entity.service': service.entityId },
      entity: serviceEntity(service),
      minute: (minute) => {
        const rpm = requests(service, minute);
        return rpm === null ? null : value(service, minute, rpm);
      },
    }));

  const serviceMetric = { entityType: ['SERVICE'], dimensionDefinitions: [SERVICE_DIMENSION] };
  add({ metricId: 'builtin:service.requestCount.total', displayName: 'Request count', unit: 'Count', description: 'The number of requests the service received.', ...serviceMetric }, 'sum', perService((_, __, rpm) => rpm));
  add({ metricId: 'builtin:service.requestCount.server', displayName: 'Request count - server', unit: 'Count', ...serviceMetric }, 'sum', perService((_, __, rpm) => rpm));
  add({ metricId: 'builtin:service.requestCount.client', displayName: 'Request count - client', unit: 'Count', ...serviceMetric }, 'sum', perService((s, m, rpm) => Math.round(rpm * 0.1 * (0.5 + noise(s.seed + 50, m)))));
  add({ metricId: 'builtin:service.response.time', displayName: 'Response time', unit: 'MicroSecond', description: 'The time the service took to respond, in microseconds.', ...serviceMetric }, 'avg', perService((s, m) => responseUs(s, m)));
  add({ metricId: 'builtin:service.response.server', displayName: 'Response time - server', unit: 'MicroSecond', ...serviceMetric }, 'avg', perService((s, m) => Math.round(responseUs(s, m) * 0.92)));
  add({ metricId: 'builtin:service.response.client', displayName: 'Response time - client', unit: 'MicroSecond', ...serviceMetric }, 'avg', perService((s, m) => Math.round(responseUs(s, m) * 1.05)));
  add({ metricId: 'builtin:service.cpu.time', displayName: 'Service CPU time', unit: 'MicroSecond', description: 'CPU time the service consumed, in microseconds.', ...serviceMetric }, 'sum', perService((s, _, rpm) => rpm * cpuPerRequestUs(s)));
  add({ metricId: 'builtin:service.cpu.perRequest', displayName: 'CPU time per request', unit: 'MicroSecond', ...serviceMetric }, 'avg', perService((s) => cpuPerRequestUs(s)));
  add({ metricId: 'builtin:service.errors.total.count', displayName: 'Failed requests count', unit: 'Count', ...serviceMetric }, 'sum', perService((s, m, rpm) => errors(s, m, rpm)));
  add({ metricId: 'builtin:service.errors.total.successCount', displayName: 'Successful requests count', unit: 'Count', ...serviceMetric }, 'sum', perService((s, m, rpm) => rpm - errors(s, m, rpm)));
  add({ metricId: 'builtin:service.errors.total.rate', displayName: 'Failure rate', unit: 'Percent', ...serviceMetric }, 'avg', perService((s, m, rpm) => (rpm === 0 ? 0 : (100 * errors(s, m, rpm)) / rpm)));
  add({ metricId: 'builtin:service.dbconnections.success', displayName: 'Successful connections', unit: 'Count', ...serviceMetric }, 'sum', perService((_, __, rpm) => Math.round(rpm * 0.6)));
  add({ metricId: 'builtin:service.dbconnections.failure', displayName: 'Failed connections', unit: 'Count', ...serviceMetric }, 'sum', perService((s, m, rpm) => Math.round(rpm * 0.004 * noise(s.seed + 70, m))));
  add({ metricId: 'builtin:service.dbconnections.total', displayName: 'Total number of connections', unit: 'Count', ...serviceMetric }, 'sum', perService((_, __, rpm) => Math.round(rpm * 0.6)));
  add({ metricId: 'builtin:service.dbconnections.successRate', displayName: 'Connection success rate', unit: 'Percent', ...serviceMetric }, 'avg', perService(() => 99.6));
  add({ metricId: 'builtin:service.dbconnections.failureRate', displayName: 'Connection failure rate', unit: 'Percent', ...serviceMetric }, 'avg', perService(() => 0.4));

  const keyRequestMetric = {
    entityType: ['SERVICE_METHOD'],
    dimensionDefinitions: [{ key: 'dt.entity.service_method', name: 'Service method', displayName: 'Key request', index: 0, type: 'ENTITY' as const }],
  };
  const perKeyRequest = (factor: number) =>
    world.keyRequests.map((keyRequest): EmulatedSeries => ({
      dimensions: { 'dt.entity.service_method': keyRequest.entityId },
      entity: keyRequestEntity(keyRequest),
      minute: (minute) => {
        const rpm = requests(keyRequest.service, minute);
        return rpm === null ? null : Math.round(rpm * keyRequest.share * factor);
      },
    }));
  add({ metricId: 'builtin:service.keyRequest.count.total', displayName: 'Request count (key request)', unit: 'Count', ...keyRequestMetric }, 'sum', perKeyRequest(1));
  add({ metricId: 'builtin:service.keyRequest.count.server', displayName: 'Request count - server (key request)', unit: 'Count', ...keyRequestMetric }, 'sum', perKeyRequest(1));
  add({ metricId: 'builtin:service.keyRequest.count.client', displayName: 'Request count - client (key request)', unit: 'Count', ...keyRequestMetric }, 'sum', perKeyRequest(0.1));

  // Ingested custom metrics, split the way cost allocation wants: per customer of each service.
  const customMetric = {
    entityType: ['SERVICE'],
    dimensionDefinitions: [SERVICE_DIMENSION, ...CUSTOM_DIMENSIONS.map((key, i): DimensionDefinition => ({ key, name: key, displayName: key, index: i + 1, type: 'STRING' }))],
    created: 1_700_000_000_000,
  };
  const perCustomer = (value: (service: ServiceEntity, customerShare: number, minute: number, rpm: number, tierFactor: number) => number) =>
    world.services.flatMap((service) => {
      const totalWeight = service.customers.reduce((sum, customer) => sum + customer.weight, 0);
      return service.customers.map((customer): EmulatedSeries => ({
        dimensions: {
          'dt.entity.service': service.entityId,
          service_name: service.serviceName,
          customer_id: customer.id,
          region: service.region,
          plan_tier: customer.planTier,
          environment: service.environment,
          team: service.team,
        },
        entity: serviceEntity(service),
        minute: (minute) => {
          const rpm = requests(service, minute);
          const tierFactor = customer.planTier === 'enterprise' ? 0.9 : customer.planTier === 'pro' ? 1 : 1.2;
          return rpm === null ? null : value(service, customer.weight / totalWeight, minute, rpm, tierFactor);
        },
      }));
    });
  add({ metricId: 'shop.requests.count', displayName: 'Shop requests by customer', unit: 'Count', description: 'Requests per customer, ingested by the shop services.', ...customMetric }, 'sum', perCustomer((_, share, __, rpm) => Math.round(rpm * share)));
  add({ metricId: 'shop.request_duration', displayName: 'Shop request duration by customer', unit: 'MicroSecond', ...customMetric }, 'avg', perCustomer((s, _, m, __, tier) => Math.round(responseUs(s, m) * tier)));
  add({ metricId: 'shop.cpu_time', displayName: 'Shop CPU time by customer', unit: 'MicroSecond', ...customMetric }, 'sum', perCustomer((s, share, _, rpm) => Math.round(rpm * share) * cpuPerRequestUs(s)));

  // Catalogue entries of other areas: listed, queryable, with nothing monitored behind them.
  for (const [metricId, displayName, unit, entity] of [
    ['builtin:host.cpu.usage', 'CPU usage %', 'Percent', 'HOST'],
    ['builtin:host.cpu.idle', 'CPU idle', 'Percent', 'HOST'],
    ['builtin:host.cpu.user', 'CPU user', 'Percent', 'HOST'],
    ['builtin:host.mem.usage', 'Memory used %', 'Percent', 'HOST'],
    ['builtin:host.disk.avail', 'Disk available', 'Byte', 'HOST'],
    ['builtin:apps.web.actionCount.category', 'Action count (by Apdex category)', 'Count', 'APPLICATION'],
    ['builtin:synthetic.browser.availability', 'Availability rate (by location)', 'Percent', 'SYNTHETIC_TEST'],
    ['builtin:tech.jvm.memory.pool.collectionCount', 'Garbage collection count', 'Count', 'PROCESS_GROUP_INSTANCE'],
  ] as const) {
    const key = `dt.entity.${entity.toLowerCase()}`;
    add({ metricId, displayName, unit, entityType: [entity], dimensionDefinitions: [{ key, name: entity, displayName: entity, index: 0, type: 'ENTITY' }] }, unit === 'Count' ? 'sum' : 'avg', []);
  }

  metrics.sort((a, b) => (a.descriptor.metricId < b.descriptor.metricId ? -1 : 1));
  return { world, metrics, byKey: new Map(metrics.map((metric) => [metric.descriptor.metricId, metric])) };
}

/** Requests per minute of a service, or null when it has no data for that minute. */
export function serviceRequests(service: ServiceEntity, minute: number): number | null {
  const minuteOfDay = ((minute % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  const weekday = new Date(minute * 60_000).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  if (service.environment === 'staging' && weekend) return null;
  if (service.seed % 7 === 3 && minuteOfDay >= 120 && minuteOfDay < 180) return null;
  const localHour = (minuteOfDay / 60 + REGION_UTC_OFFSET_HOURS[service.region]! + 24) % 24;
  const daily = 0.35 + 0.65 * (0.5 - 0.5 * Math.cos((2 * Math.PI * (localHour - 4)) / 24));
  return Math.round(service.peakRpm * daily * (weekend ? 0.6 : 1) * (0.85 + 0.3 * noise(service.seed, minute)));
}

function responseUs(service: ServiceEntity, minute: number): number {
  return Math.round(service.responseUs * (0.9 + 0.2 * noise(service.seed + 1000, minute)));
}

function cpuPerRequestUs(service: ServiceEntity): number {
  return Math.round(service.responseUs * 0.12);
}

function errors(service: ServiceEntity, minute: number, rpm: number): number {
  const rate = 0.002 + 0.028 * noise(service.seed + 500, 0);
  return Math.min(rpm, Math.round(rpm * rate * (0.5 + noise(service.seed + 600, minute))));
}

function serviceEntity(service: ServiceEntity): SeriesEntity {
  return { id: service.entityId, type: 'SERVICE', name: service.name, tags: service.tags, zones: service.managementZones };
}

function keyRequestEntity(keyRequest: KeyRequestEntity): SeriesEntity {
  return { id: keyRequest.entityId, type: 'SERVICE_METHOD', name: keyRequest.name, tags: keyRequest.service.tags, zones: keyRequest.service.managementZones };
}

function describe(partial: Partial<Descriptor> & Pick<Descriptor, 'metricId' | 'displayName' | 'unit'>, fold: 'sum' | 'avg'): Descriptor {
  return {
    description: '',
    dduBillable: false,
    created: null,
    lastWritten: null,
    entityType: [],
    aggregationTypes: fold === 'sum' ? COUNT_AGGREGATIONS : GAUGE_AGGREGATIONS,
    transformations: TRANSFORMATIONS,
    defaultAggregation: { type: fold === 'sum' ? 'value' : 'avg' },
    dimensionDefinitions: [],
    tags: [],
    metricValueType: { type: 'unknown' },
    ...partial,
  };
}

