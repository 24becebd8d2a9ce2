import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) builds; Node loads the CJS one for the
    // packages vitest leaves external, so our code must load the very same copy.
    alias: [
      { find: /^graphql$/, replacement: require.resolve('graphql') },
      // The tests use the SDK's source; the packed build has tests of its own (test/sdk/).
      { find: /^@serenity\/sdk$/, replacement: fileURLToPath(new URL('sdk/src/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // One PostgreSQL for the run (embedded, or TEST_DATABASE_URL); a database per test file.
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The machines have 2 cores; each e2e file runs a whole server.
    maxWorkers: 2,
  },
});
