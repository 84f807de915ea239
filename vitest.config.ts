import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // One graphql for everything: Node loads yoga's `graphql` as CommonJS, and vite would hand our
    // own imports the .mjs build, making two realms where `instanceof GraphQLError` fails.
    alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Integration and e2e files start servers and Redis; keep the 2-core machines unhurried.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    globalSetup: ['test/helpers/global-redis.ts'],
    reporters: ['default'],
  },
});
