/**
 * Builds main and preload (not the renderer, which other work may have half-written) into a
 * private folder, so shell tests never race `npm run build` over out/.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export function buildShell(): string {
  const outDir = mkdtempSync(join(tmpdir(), 'keyrite-shell-build-'));
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--logLevel', 'error'], {
    cwd: ROOT,
    env: { ...process.env, KEYRITE_OUT_DIR: outDir, KEYRITE_SKIP_RENDERER: '1' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`electron-vite build failed:\n${r.stdout}\n${r.stderr}`);
  return outDir;
}
