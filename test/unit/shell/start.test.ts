import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error scripts/start.mjs is plain JavaScript without type declarations
import { electronBinary, missingBinaryHelp } from '../../../scripts/start.mjs';

const find = electronBinary as (dir: string, env: Record<string, string | undefined>) => string | undefined;

describe('npm start: finding the Electron binary without downloading it', () => {
  it('finds none when the npm package has no dist/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyrite-electron-'));
    expect(find(dir, {})).toBeUndefined();
    writeFileSync(join(dir, 'path.txt'), 'electron');
    expect(find(dir, {})).toBeUndefined();
  });

  it('finds dist/<path.txt> once the binary is installed, or ELECTRON_OVERRIDE_DIST_PATH', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyrite-electron-'));
    writeFileSync(join(dir, 'path.txt'), 'electron');
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'electron'), '');
    expect(find(dir, {})).toBe(join(dir, 'dist', 'electron'));
    const other = mkdtempSync(join(tmpdir(), 'keyrite-electron-dist-'));
    writeFileSync(join(other, 'electron'), '');
    expect(find(dir, { ELECTRON_OVERRIDE_DIST_PATH: other })).toBe(join(other, 'electron'));
  });

  it('explains how to get the binary for the pinned version and how to check it', () => {
    const help = (missingBinaryHelp as (v: string) => string)('45.5.0');
    expect(help).toContain('electron-v45.5.0-');
    expect(help).toContain('checksums.json');
  });
});

describe('npm start without a display', () => {
  const START = resolve(__dirname, '../../../scripts/start.mjs');
  const { DISPLAY: _d, WAYLAND_DISPLAY: _w, ...headless } = process.env;

  it('exits 1 with the command that runs it on a virtual display, and builds or opens nothing', () => {
    const r = spawnSync(process.execPath, [START], { env: headless, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no display (DISPLAY and WAYLAND_DISPLAY are unset)');
    expect(r.stderr).toContain('xvfb-run -a npm start');
  });

  it('--check says what it would start (the built harness under plain node, or Electron) and exits 0', () => {
    const r = spawnSync(process.execPath, [START, '--check'], { env: headless, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/would build and launch Electron|node \S+\/out\/cli\/ui-harness\.js/);
    expect(r.stdout).not.toContain('tsx');
  });
});
