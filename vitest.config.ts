import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql 16 ships CommonJS (main) and ESM (module) copies. Node, and so Yoga and Pothos, load
  // the CommonJS one; tests must load the same, or `instanceof GraphQLError` and graphql-js's
  // schema checks see two realms and behave unlike production.
  resolve: { alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }] },
  test: {
    globalSetup: ['test/setup/global-database.ts'],
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // each file gets its own database cloned from a migrated template: files run in any order
    sequence: { shuffle: { files: true, tests: false } },
  },
});
