import { defineConfig } from 'vitest/config';

// The suite StrykerJS runs for every mutant: the unit tests of the security core only (no token, no
// build, no browser), so a mutant costs seconds. Integration tests need SoftHSM2 and take minutes.
export default defineConfig({
  test: {
    include: [
      'test/unit/transcript/**/*.test.ts',
      'test/unit/shares/**/*.test.ts',
      'test/unit/ceremony/**/*.test.ts',
      'test/unit/ipc/**/*.test.ts',
      'test/unit/token/**/*.test.ts',
      'test/unit/util/**/*.test.ts',
    ],
    // The exhaustive every-word-substitution check (SHARE_WORDS x 2047 decodes) takes minutes once
    // instrumented; the other word tests cover the same code per mutant. It still runs in test:unit.
    testNamePattern: /^(?!.*detects every single-word substitution)/,
    // Debian's age at its default work factor: seconds of scrypt per run. It checks interoperability,
    // not Keyrite's branches; age-passphrase-promises.test.ts pins the same code at a low work factor.
    exclude: ['test/unit/shares/age-debian-interop.test.ts', '**/node_modules/**'],
    pool: 'forks',
    testTimeout: 60_000,
  },
});
