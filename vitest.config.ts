import fs from 'node:fs';
import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// the browser test needs Chromium: part of `npm test` where it is installed, else said out loud;
// `npm run test:browser` (which .ci/run calls after installing it) fails when it is missing
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const withBrowser = process.env.FORMGRAPH_BROWSER_TESTS === '1' || fs.existsSync(chromium);
if (!withBrowser) console.warn(`test/browser left out: ${chromium} is missing (apt-get install chromium; npm run test:browser)`);

export default defineConfig({
  // graphql 16 ships CommonJS (main) and ESM (module) copies. Node, and so Yoga and Pothos, load
  // the CommonJS one; tests must load the same, or `instanceof GraphQLError` and graphql-js's
  // schema checks see two realms and behave unlike production.
  resolve: { alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }] },
  test: {
    globalSetup: ['test/setup/global-database.ts'],
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...(withBrowser ? [] : ['test/browser/**'])],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // each file gets its own database cloned from a migrated template: files run in any order
    sequence: { shuffle: { files: true, tests: false } },
  },
});
