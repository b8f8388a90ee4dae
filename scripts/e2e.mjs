// Runs the Playwright end-to-end specs (test/e2e) in Debian's Chromium; arguments (spec names, Playwright
// options) are passed on, so `node scripts/e2e.mjs live-tokens` runs one spec.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';

const specs = existsSync('test/e2e') ? readdirSync('test/e2e').filter((f) => f.endsWith('.spec.ts')) : [];
if (specs.length === 0) {
  console.log('e2e: no specs in test/e2e yet');
  process.exit(0);
}
const r = spawnSync('npx', ['playwright', 'test', '-c', 'test/e2e/playwright.config.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
