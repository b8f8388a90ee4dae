// `npm start`: build and launch Keyrite in Electron when the Electron binary is installed; otherwise
// say so, explain how to get it, and fall back to the UI harness in Chromium (the built
// out/cli/ui-harness.js under plain node: no TypeScript loader). Without a display neither can open a
// window: it says how to run it and exits 1, rather than exiting 0 having opened nothing.
//
// Never `require('electron')` here: without its binary that call tries to download it.
// `node scripts/start.mjs --check` prints what it would do and exits.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ELECTRON_DIR = join(ROOT, 'node_modules/electron');

/** The Electron executable, or undefined when only the npm package (no binary) is installed. */
export function electronBinary(electronDir = ELECTRON_DIR, env = process.env) {
  const pathFile = join(electronDir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(env.ELECTRON_OVERRIDE_DIST_PATH, name ?? 'electron');
    return existsSync(p) ? p : undefined;
  }
  if (name === undefined) return undefined;
  const p = join(electronDir, 'dist', name);
  return existsSync(p) ? p : undefined;
}

export function electronVersion(electronDir = ELECTRON_DIR) {
  return JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
}

export function missingBinaryHelp(version) {
  return [
    'Keyrite: the Electron binary is not installed (node_modules/electron has no dist/), so the app',
    'cannot open its window on this machine.',
    '',
    'To get it, on a machine with internet:',
    `  1. Download electron-v${version}-<platform>-<arch>.zip from`,
    `     https://github.com/electron/electron/releases/tag/v${version}`,
    '  2. Check its SHA-256 against node_modules/electron/checksums.json (sha256sum <file>).',
    '  3. Carry it over, then: unzip it into node_modules/electron/dist/ and write the executable',
    "     name (Linux: electron) to node_modules/electron/path.txt; or run `node node_modules/electron/install.js`",
    '     on the connected machine and copy node_modules/electron/dist across.',
    '  Or point ELECTRON_OVERRIDE_DIST_PATH at a folder holding an unpacked Electron of that version.',
    '',
  ].join('\n');
}

/** Whether a window can open: an X11 or Wayland display is set. */
export function hasDisplay(env = process.env) {
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

export function noDisplayHelp() {
  return [
    'Keyrite: no display (DISPLAY and WAYLAND_DISPLAY are unset), so its window cannot open here.',
    'Run `npm start` from a desktop session, or on a virtual display:',
    '  xvfb-run -a npm start        (Debian: apt-get install -y xvfb)',
    'To see what it would start without opening anything:',
    '  node scripts/start.mjs --check',
    '',
  ].join('\n');
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** `npm run build`'s steps for main, preload, the renderer and the CLI (which holds the UI harness). */
function build() {
  run(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']);
  run(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '-c', 'cli.vite.config.ts']);
}

function main() {
  const check = process.argv.includes('--check');
  if (!check && !hasDisplay()) {
    process.stderr.write(noDisplayHelp());
    process.exitCode = 1;
    return;
  }
  const binary = electronBinary();
  if (binary) {
    if (check) {
      console.log(`would build and launch Electron: ${binary}`);
      return;
    }
    build();
    const child = spawn(binary, [ROOT], { cwd: ROOT, stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 1));
    return;
  }
  console.log(missingBinaryHelp(electronVersion()));
  const harness = join(ROOT, 'out/cli/ui-harness.js');
  console.log('Starting the UI harness instead (the renderer in Chromium, with the real handler table):');
  console.log(`  npm run build && node ${harness}\n`);
  if (check) return;
  build();
  const child = spawn(process.execPath, [harness, ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 1));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
