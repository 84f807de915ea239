import type { EmulatedRequest, EmulatorReply } from '../server.js';
import { errorReply, violation } from './envelope.js';
import type { Catalogue, Descriptor } from './metrics.js';

/**
 * GET /api/v2/metrics and GET /api/v2/metrics/{metricKey}. Listing pages with an opaque
 * `nextPageKey` (null on the last page); `pageSize` defaults to 100 and is clamped to 500. A
 * request that sends `nextPageKey` must send nothing else: the key already carries the query,
 * and the API answers 400 otherwise. `fields` adds (+x) or removes (-x) properties from the
 * default set (displayName, description, unit) or, without signs, names the set; `metricId` is
 * always there. `metricSelector` takes keys and `prefix.*` wildcards; `text` searches key,
 * display name and description.
 */

const DEFAULT_FIELDS = ['displayName', 'description', 'unit'];
const ALL_FIELDS = new Set([
  'displayName', 'description', 'unit', 'dduBillable', 'created', 'lastWritten', 'entityType', 'aggregationTypes',
  'transformations', 'defaultAggregation', 'dimensionDefinitions', 'tags', 'metricValueType',
]);
/** Parameters that are about the caller, not the query. */
const NOT_QUERY = new Set(['api-token']);

interface PageQuery {
  offset: number;
  pageSize: number;
  metricSelector: string | null;
  text: string | null;
  fields: string[];
}

export function handleDescriptorList(request: EmulatedRequest, catalogue: Catalogue, pageSizeLimit: number): EmulatorReply {
  const params = request.url.searchParams;
  let query: PageQuery;
  const nextPageKey = params.get('nextPageKey');
  if (nextPageKey !== null) {
    const others = [...params.keys()].filter((key) => key !== 'nextPageKey' && !NOT_QUERY.has(key));
    if (others.length > 0) {
      return violation('nextPageKey', `When nextPageKey is set, all other query parameters must be omitted; got ${[...new Set(others)].join(', ')}`);
    }
    const decoded = decodeKey(nextPageKey);
    if (!decoded) return violation('nextPageKey', 'The nextPageKey is invalid or expired');
    query = decoded;
  } else {
    const size = params.get('pageSize');
    if (size !== null && !/^\d+$/.test(size)) return violation('pageSize', `must be a positive integer; got '${size}'`);
    const fields = parseFields(params.get('fields'));
    if (typeof fields === 'string') return violation('fields', fields);
    query = {
      offset: 0,
      // Larger pages are not an error: the API serves its maximum instead.
      pageSize: Math.max(1, Math.min(size === null ? 100 : Number(size), pageSizeLimit)),
      metricSelector: params.get('metricSelector'),
      text: params.get('text'),
      fields,
    };
  }

  const selected = select(catalogue, query);
  if (typeof selected === 'string') return errorReply(404, selected);
  const page = selected.slice(query.offset, query.offset + query.pageSize);
  const nextOffset = query.offset + page.length;
  return {
    status: 200,
    body: {
      totalCount: selected.length,
      nextPageKey: nextOffset < selected.length ? encodeKey({ ...query, offset: nextOffset }) : null,
      metrics: page.map((descriptor) => project(descriptor, query.fields)),
    },
  };
}

export function handleDescriptor(key: string, catalogue: Catalogue): EmulatorReply {
  const metric = catalogue.byKey.get(key);
  if (!metric) return errorReply(404, `Metric ${key} not found`);
  return { status: 200, body: metric.descriptor };
}

function select(catalogue: Catalogue, query: PageQuery): Descriptor[] | string {
  let descriptors = catalogue.metrics.map((metric) => metric.descriptor);
  if (query.metricSelector) {
    const patterns = query.metricSelector.split(',').map((pattern) => pattern.trim()).filter(Boolean);
    for (const pattern of patterns) {
      if (!pattern.endsWith('*') && !catalogue.byKey.has(pattern)) return `Metric ${pattern} not found`;
    }
    descriptors = descriptors.filter((descriptor) =>
      patterns.some((pattern) => (pattern.endsWith('*') ? descriptor.metricId.startsWith(pattern.slice(0, -1)) : descriptor.metricId === pattern)),
    );
  }
  if (query.text) {
    const needle = query.text.toLowerCase();
    descriptors = descriptors.filter((descriptor) => [descriptor.metricId, descriptor.displayName, descriptor.description].some((text) => text.toLowerCase().includes(needle)));
  }
  return descriptors;
}

function parseFields(text: string | null): string[] | string {
  if (text === null || text.trim() === '') return DEFAULT_FIELDS;
  const items = text.split(',').map((item) => item.trim()).filter(Boolean);
  const signed = items.some((item) => item.startsWith('+') || item.startsWith('-'));
  const fields = new Set(signed ? DEFAULT_FIELDS : []);
  for (const item of items) {
    const name = item.replace(/^[+-]/, '');
    if (name === 'metricId') continue;
    if (!ALL_FIELDS.has(name)) return `unknown field '${name}'; available: metricId, ${[...ALL_FIELDS].join(', ')}`;
    if (item.startsWith('-')) fields.delete(name);
    else fields.add(name);
  }
  return [...fields];
}

function project(descriptor: Descriptor, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { metricId: descriptor.metricId };
  for (const field of fields) out[field] = descriptor[field as keyof Descriptor];
  return out;
}

function encodeKey(query: PageQuery): string {
  return Buffer.from(JSON.stringify(query)).toString('base64url');
}

function decodeKey(key: string): PageQuery | undefined {
  try {
    const query = JSON.parse(Buffer.from(key, 'base64url').toString('utf8')) as PageQuery;
    if (!Number.isInteger(query.offset) || !Number.isInteger(query.pageSize) || !Array.isArray(query.fields)) return undefined;
    return query;
  } catch {
    return undefined;
  }
}
