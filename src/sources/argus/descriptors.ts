import { BadUserInputError } from '../../core/errors.js';
import type { MetricDescriptor } from '../source.js';
import type { ArgusDescriptorConfig, DefaultFunction, KeyType } from './config.js';

/**
 * The configured descriptors and the names the gateway gives them. A descriptor `netstats` with
 * values `packages` and `frames` answers to the metric names `netstats` (every value) and
 * `netstats.packages` / `netstats.frames` (one value); each value becomes its own series, named
 * `netstats.packages`, with the descriptor as `upstreamMetric`.
 */

/** The label that carries the owning customer of a record (absent on global descriptors). */
export const CUSTOMER_LABEL = 'customer';

export interface Descriptor {
  shortName: string;
  description?: string;
  keys: ReadonlyArray<{ name: string; type?: KeyType }>;
  values: readonly string[];
  defaultFunctions: Readonly<Record<string, DefaultFunction>>;
  units: Readonly<Record<string, string>>;
  global: boolean;
}

/** One metric name resolved: the descriptor and which of its values were asked for. */
export interface MetricTarget {
  descriptor: Descriptor;
  values: readonly string[];
}

export class DescriptorCatalog {
  readonly #byName = new Map<string, Descriptor>();

  constructor(
    readonly sourceId: string,
    configs: readonly ArgusDescriptorConfig[],
  ) {
    for (const config of configs) {
      this.#byName.set(config.shortName, {
        shortName: config.shortName,
        description: config.description,
        keys: config.keys,
        values: config.values,
        defaultFunctions: config.defaultFunctions ?? {},
        units: config.units ?? {},
        global: config.global,
      });
    }
  }

  list(): Descriptor[] {
    return [...this.#byName.values()];
  }

  /** A descriptor by its shortName, as writes name it. */
  get(shortName: string, field = 'descriptor'): Descriptor {
    const descriptor = this.#byName.get(shortName);
    if (descriptor) return descriptor;
    throw new BadUserInputError(
      `${field} must be a configured Argus descriptor; ${this.sourceId} has ${this.list().map((d) => d.shortName).join(', ')}; got '${shortName}'`,
      { field, source: this.sourceId },
    );
  }

  /** `netstats` or `netstats.packages`; anything else is refused with the names that exist. */
  resolve(metric: string, field = 'metric'): MetricTarget {
    const whole = this.#byName.get(metric);
    if (whole) return { descriptor: whole, values: whole.values };
    const dot = metric.lastIndexOf('.');
    if (dot > 0) {
      const descriptor = this.#byName.get(metric.slice(0, dot));
      const value = metric.slice(dot + 1);
      if (descriptor?.values.includes(value)) return { descriptor, values: [value] };
      if (descriptor) {
        throw new BadUserInputError(
          `'${value}' is not a value of Argus descriptor ${descriptor.shortName}; its values are ${descriptor.values.join(', ')}`,
          { field, source: this.sourceId },
        );
      }
    }
    throw new BadUserInputError(
      `metric must be a configured Argus descriptor (optionally .value); ${this.sourceId} has ${this.list().map((d) => d.shortName).join(', ')}; got '${metric}'`,
      { field, source: this.sourceId },
    );
  }

  /** Discovery: each descriptor, then each of its values. */
  describe(search: string | undefined): MetricDescriptor[] {
    const needle = search?.toLowerCase();
    const out: MetricDescriptor[] = [];
    for (const descriptor of this.#byName.values()) {
      const keys = descriptor.keys.map((key) => (key.type ? `${key.name} (${key.type})` : key.name)).join(', ');
      const owner = descriptor.global ? 'global (no customer)' : 'per customer';
      const entries: MetricDescriptor[] = [
        {
          source: this.sourceId,
          name: descriptor.shortName,
          upstreamName: descriptor.shortName,
          description:
            `${descriptor.description ? `${descriptor.description}. ` : ''}Argus descriptor, ${owner}; ` +
            `values ${descriptor.values.map((value) => `${value} (${defaultFunction(descriptor, value)})`).join(', ')}; keys ${keys}`,
          ...unitOf(descriptor, descriptor.values),
        },
        ...descriptor.values.map((value) => ({
          source: this.sourceId,
          name: `${descriptor.shortName}.${value}`,
          upstreamName: descriptor.shortName,
          description: `${value} of Argus descriptor ${descriptor.shortName}, ${owner}, by ${keys}; default function ${defaultFunction(descriptor, value)}`,
          ...unitOf(descriptor, [value]),
        })),
      ];
      out.push(...entries.filter((entry) => !needle || entry.name.toLowerCase().includes(needle) || entry.description!.toLowerCase().includes(needle)));
    }
    return out;
  }
}

/** The function Argus applies to a value when a request names none; sum when not configured. */
export function defaultFunction(descriptor: Descriptor, value: string): DefaultFunction {
  return descriptor.defaultFunctions[value] ?? 'sum';
}

/** The labels a descriptor's series carry: the owner customer (unless global) and every key. */
export function labelNames(descriptor: Descriptor): string[] {
  const keys = descriptor.keys.map((key) => key.name);
  return descriptor.global || keys.includes(CUSTOMER_LABEL) ? keys : [CUSTOMER_LABEL, ...keys];
}

/** Whether `customer` names the owner (true) or a key of the same name (false). */
export function customerIsOwner(descriptor: Descriptor): boolean {
  return !descriptor.global && !descriptor.keys.some((key) => key.name === CUSTOMER_LABEL);
}

function unitOf(descriptor: Descriptor, values: readonly string[]): { unit?: string } {
  const units = new Set(values.map((value) => descriptor.units[value]));
  const [unit] = units;
  return units.size === 1 && unit !== undefined ? { unit } : {};
}
