/**
 * End-to-end specs in Debian's Chromium (Playwright cannot download browsers here). The global
 * setup builds the renderer; each test gets its own token and data folder (harness.ts).
 * Set KEYRITE_E2E_RENDERER to a built renderer folder to skip the build.
 *
 * Two projects: 'chromium' (every *.spec.ts but electron-*.spec.ts, through the harness) and
 * 'electron' (electron-*.spec.ts: the built app through _electron.launch, sharing spec bodies with
 * chromium via electron-shared.ts). 'electron' is in the config only where an Electron binary
 * exists; elsewhere it is not run, says so once, and is never counted as passed.
 */
import { defineConfig, type Project } from '@playwright/test';
import { electronBinary } from './electron-binary';

export const CHROMIUM_PATH = process.env.KEYRITE_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

const ELECTRON_SPECS = 'electron-*.spec.ts';

function projects(): Project[] {
  const list: Project[] = [{ name: 'chromium', testIgnore: ELECTRON_SPECS }];
  if (electronBinary()) {
    // Needs `npm run build` first (out/main, out/preload, out/renderer). One app at a time: each
    // brings its own token host, and the machine running the e2e suite is usually small.
    list.push({ name: 'electron', testMatch: ELECTRON_SPECS, workers: 1 });
  } else if (!process.env.KEYRITE_E2E_ELECTRON_NOTED) {
    // The config is loaded by the runner and by every worker: print the line once per run.
    process.env.KEYRITE_E2E_ELECTRON_NOTED = '1';
    console.log('e2e electron project: NOT RUN (no Electron binary)');
  }
  return list;
}

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../../test-results/e2e',
  globalSetup: './global-setup.ts',
  globalTeardown: './global-teardown.ts',
  fullyParallel: true,
  workers: process.env.CI ? 2 : 3,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list'], ['./summary-reporter.ts']],
  use: {
    browserName: 'chromium',
    // A laptop screen (issue 14: every state is looked at, and shot, at 1280x800).
    viewport: { width: 1280, height: 800 },
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  projects: projects(),
});
