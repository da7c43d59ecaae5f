import { defineConfig } from 'vitest/config';

export default defineConfig({
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
