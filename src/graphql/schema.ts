import { readdirSync, readFileSync } from 'node:fs';
import { createSchema } from 'graphql-yoga';
import { createColumnSchema } from './columns/column-schema.js';
import type { GatewayContext } from './context.js';
import { resolvers } from './resolvers/index.js';

/** schema/ sits at the project root, two levels up from both src/graphql and dist/graphql. */
const SCHEMA_DIR = new URL('../../schema/', import.meta.url);

export function loadTypeDefs(): string[] {
  return readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(new URL(file, SCHEMA_DIR), 'utf8'));
}

export function createGatewaySchema() {
  return createSchema<GatewayContext>({ typeDefs: loadTypeDefs(), resolvers: resolvers as never });
}

/** The same schema with float lists kept whole for execution (columns/column-schema.ts). */
export function createGatewayColumnSchema() {
  return createColumnSchema(loadTypeDefs(), resolvers);
}
