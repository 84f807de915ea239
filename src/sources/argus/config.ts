import { z } from 'zod';
import type { sourceBase as SourceBase } from '../../config/schema.js';

/**
 * gateway.yaml settings for an Argus source. Argus publishes no descriptor discovery endpoint, so
 * the descriptors this source may query are listed here, with the keys every record carries and
 * the numeric values it holds.
 *
 * The schema is built by a function that takes the shared `sourceBase`: config/schema.ts imports
 * this file to list the kind, so importing `sourceBase` back from there at load time would be a
 * cycle that leaves one side undefined.
 */

/** The functions a descriptor value can default to (wavg needs a weight, so it is no default). */
export const DEFAULT_FUNCTIONS = ['sum', 'avg', 'min', 'max'] as const;
export type DefaultFunction = (typeof DEFAULT_FUNCTIONS)[number];

/** Value types of descriptor keys, as Argus names them. */
export const KEY_TYPES = ['ip', 'integer', 'string'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/** Argus field names are identifiers; a dot would be ambiguous in `descriptor.value` metric names. */
const fieldName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,127}$/, 'must be a name of letters, digits, _ or - starting with a letter or _');

const keySchema = z.union([
  fieldName.transform((name) => ({ name, type: undefined as KeyType | undefined })),
  z.strictObject({ name: fieldName, type: z.enum(KEY_TYPES).optional() }).transform((key) => ({ name: key.name, type: key.type })),
]);

export const descriptorSchema = z
  .strictObject({
    /** The descriptor's shortName in Argus (paths take it or the numeric id). */
    shortName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'must be an Argus shortName: letters, digits, _ . or -'),
    description: z.string().optional(),
    /** Every key a record carries: names, or `{ name, type: ip | integer | string }` to check submitted records. */
    keys: z.array(keySchema).min(1, 'must name at least one key'),
    /** The numeric fields of a record. */
    values: z.array(fieldName).min(1, 'must name at least one value'),
    /** The descriptor's own default aggregation per value; the gateway uses it to resample. @default sum */
    defaultFunctions: z.record(z.string(), z.enum(DEFAULT_FUNCTIONS)).optional(),
    /** Unit per value, shown on series and in discovery. */
    units: z.record(z.string(), z.string().min(1)).optional(),
    /** Global descriptors hold records that belong to no customer. @default false */
    global: z.boolean().default(false),
  })
  .superRefine((descriptor, ctx) => {
    const keyNames = descriptor.keys.map((key) => key.name);
    for (const name of duplicates(keyNames)) ctx.addIssue({ code: 'custom', path: ['keys'], message: `key '${name}' is listed twice` });
    for (const name of duplicates(descriptor.values)) ctx.addIssue({ code: 'custom', path: ['values'], message: `value '${name}' is listed twice` });
    for (const map of ['defaultFunctions', 'units'] as const) {
      for (const name of Object.keys(descriptor[map] ?? {})) {
        if (!descriptor.values.includes(name)) {
          ctx.addIssue({ code: 'custom', path: [map, name], message: `'${name}' is not one of the values (${descriptor.values.join(', ')})` });
        }
      }
    }
  });

export type ArgusDescriptorConfig = z.output<typeof descriptorSchema>;

/** An Argus source's `timeoutMs` when the config sets none; below the default request deadline (src/resilience/source-timeout.ts). */
export const ARGUS_TIMEOUT_MS = 20_000;

export function argusSourceSchema(base: typeof SourceBase) {
  return z
    .strictObject({
      ...base,
      kind: z.literal('argus'),
      /** @default https://api.mnemonic.no */
      url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL like https://api.mnemonic.no' }).default('https://api.mnemonic.no'),
      /** Sent as the Argus-API-Key header. */
      apiKey: z.string().min(1, 'required'),
      /** Verify the server's certificate. @default true */
      verifyTls: z.boolean().default(true),
      /** PEM file with the CA to trust (a proxy or a test server with its own certificate). */
      caFile: z.string().min(1).optional(),
      descriptors: z.array(descriptorSchema).min(1, 'must list at least one descriptor (Argus has no discovery endpoint)'),
    })
    .superRefine((source, ctx) => {
      for (const name of duplicates(source.descriptors.map((descriptor) => descriptor.shortName))) {
        ctx.addIssue({ code: 'custom', path: ['descriptors'], message: `descriptor '${name}' is listed twice` });
      }
    });
}

export type ArgusSourceConfig = z.output<ReturnType<typeof argusSourceSchema>>;

function duplicates(names: readonly string[]): string[] {
  return [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
}
