// StrykerJS over the security core (`npm run mutate`; docs/MUTATION.md). Incremental: the result of
// the last run is kept in reports/mutation/stryker-incremental.json (committed), so a rerun only
// mutates code or tests that changed since. Two cores are shared on the build machine: concurrency 2.
// A subset: `npm run mutate -- --mutate 'electron/core/shares/**/*.ts'`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  // The runner sets its own pool (threads by default), overriding the config file's: forks, since
  // process.umask() (fs-durable's tests) is not supported in worker threads.
  vitest: { configFile: 'vitest.stryker.config.ts', pool: 'forks' },
  mutate: [
    'electron/core/transcript/**/*.ts',
    'electron/core/shares/**/*.ts',
    'electron/core/ceremony/engine.ts',
    'electron/core/ceremony/runner.ts',
    'electron/core/ceremony/load.ts',
    'electron/core/ceremony/air-gap.ts',
    'electron/core/ceremony/policy-schema.ts',
    'electron/core/ceremony/run-checks.ts',
    'electron/core/token/verify.ts',
    'electron/core/token/adapter/keys.ts',
    'electron/core/ipc/**/*.ts',
  ],
  concurrency: 2,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  ignoreStatic: true,
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowEmojis: false, logTests: false, maxTestsToLog: 0 },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
