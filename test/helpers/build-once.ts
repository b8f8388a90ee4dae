/**
 * Vitest globalSetup (and a helper for the bench and e2e): the CLI and the token host run from the
 * build (out/cli/keyrite.js, out/main/token-host.js), so tests that spawn them must see a build of
 * the sources they test. Builds main, preload and the CLI (not the renderer; about two seconds) when
 * out/ is missing or older than any file under electron/ or a build config; otherwise does nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OUTPUTS = ['out/cli/keyrite.js', 'out/cli/ui-harness.js', 'out/main/token-host.js', 'out/main/index.js'];
const INPUTS = ['electron', 'scripts/ui-harness.ts', 'electron.vite.config.ts', 'cli.vite.config.ts', 'package.json'];

function newestMtime(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const d of readdirSync(p, { withFileTypes: true, recursive: true })) {
    if (d.isFile()) newest = Math.max(newest, statSync(path.join(d.parentPath, d.name)).mtimeMs);
  }
  return newest;
}

/** Why the build must be made again, or undefined when it is up to date. */
export function staleReason(root = ROOT): string | undefined {
  const outputs = OUTPUTS.map((f) => path.join(root, f));
  const missing = outputs.find((f) => !existsSync(f));
  if (missing) return `${path.relative(root, missing)} is missing`;
  const built = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  const changed = INPUTS.find((f) => existsSync(path.join(root, f)) && newestMtime(path.join(root, f)) > built);
  return changed ? `${changed} changed since the last build` : undefined;
}

function run(args: string[], env: NodeJS.ProcessEnv): void {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed (${args.join(' ')}):\n${r.stderr}`);
}

export function ensureBuilt(): void {
  const reason = staleReason();
  if (!reason) return;
  console.log(`building main, preload and the CLI for the tests (${reason})`);
  const { KEYRITE_OUT_DIR: _ignored, ...env } = process.env;
  run([path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { ...env, KEYRITE_SKIP_RENDERER: '1' });
  run([path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '-c', 'cli.vite.config.ts'], env);
}

export default function setup(): void {
  ensureBuilt();
}
