import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');

/** The README's first code block: the two commands a newcomer runs. */
function firstCommands(): string[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  return block.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
}

describe("the README's first command", () => {
  it('is the app script and the CI script, nothing else', () => {
    expect(firstCommands()).toEqual(['bash scripts/app.sh', 'bash .ci/run']);
    execFileSync('bash', ['-n', path.join(ROOT, 'scripts/app.sh')]);
  });

  it('sets up (skipping what is installed) and reaches npm start under Node 22, with no display and the old Node first on PATH', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `/usr/local/bin:/usr/bin:/bin`, HOME: process.env.HOME ?? '/root' };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const r = spawnSync('bash', ['scripts/app.sh', '--check'], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    // npm start ran and said what it would open: Electron, or the UI harness in Chromium.
    expect(r.stdout).toMatch(/would build and launch Electron|Starting the UI harness instead/);
    expect(r.stdout).toMatch(/node scripts\/start\.mjs/);
  });
});
