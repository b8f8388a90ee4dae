import { defineConfig } from 'vitest/config';

// The suite StrykerJS runs for every mutant: the unit tests of the security core (no build, no
// browser), so a mutant costs seconds, plus test/integration/token-inproc, which drives a real
// SoftHSM2 token through the token host's server run in the test process (test/helpers/in-process-host.ts):
// the token adapter and the runner past the login are mutated there. Other integration tests fork
// the built host or the CLI, which run out/, not the mutated sources.
export default defineConfig({
  test: {
    include: [
      'test/unit/transcript/**/*.test.ts',
      'test/unit/shares/**/*.test.ts',
      'test/unit/ceremony/**/*.test.ts',
      'test/unit/ipc/**/*.test.ts',
      'test/unit/token/**/*.test.ts',
      'test/unit/util/**/*.test.ts',
      'test/integration/token-inproc/**/*.test.ts',
    ],
    // The exhaustive every-word-substitution check (SHARE_WORDS x 2047 decodes) takes minutes once
    // instrumented; the other word tests cover the same code per mutant. It still runs in test:unit.
    testNamePattern: /^(?!.*detects every single-word substitution)/,
    // Debian's age at its default work factor: seconds of scrypt per run. It checks interoperability,
    // not Keyrite's branches; age-passphrase-promises.test.ts pins the same code at a low work factor.
    // key-attributes-pkcs11-tool.test.ts reads the keys back with OpenSC's pkcs11-tool (an outside
    // check, a process per key, RSA-4096): the in-process key-template tests pin the same code per mutant.
    exclude: ['test/unit/shares/age-debian-interop.test.ts', 'test/integration/token-inproc/key-attributes-pkcs11-tool.test.ts', '**/node_modules/**'],
    pool: 'forks',
    testTimeout: 60_000,
  },
});
