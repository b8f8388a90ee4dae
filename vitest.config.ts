import { defineConfig } from 'vitest/config';

// Token tests load a native PKCS#11 module and set SOFTHSM2_CONF per process: run each file in its
// own forked process, never in worker threads.
export default defineConfig({
  test: {
    pool: 'forks',
    // The CLI and the token host run from the build: make it when out/ is missing or stale.
    globalSetup: ['./test/helpers/build-once.ts'],
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          pool: 'forks',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          pool: 'forks',
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
