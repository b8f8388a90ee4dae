/**
 * The keyrite command's manners: --version, exit 2 with a typed message (once, no stack trace) for
 * input it cannot use at all, and one usage style.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tempDir } from '../../helpers/softhsm';
import { keyrite } from '../../helpers/keyrite-cli';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '../../../bin/keyrite.mjs');
const PKG = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string };

describe('keyrite command manners', () => {
  it('--version (and -V) prints the package version', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await keyrite(flag);
      expect(r).toMatchObject({ code: 0, stdout: `keyrite ${PKG.version}\n` });
    }
    expect((await keyrite('--help')).stdout).toContain('keyrite --version');
  });

  it('inventory on a folder that does not exist exits 2 with a typed message, said once, no stack trace', async () => {
    const r = await keyrite('inventory', '/nonexistent-keyrite-folder');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('keyrite inventory: /nonexistent-keyrite-folder is not a folder (it does not exist).\n  What to do: Give the folder that holds the ceremony folders, e.g. keyrite inventory ~/ceremonies.\n  [INPUT_NOT_A_FOLDER]\n');
    expect(r.stdout).toBe('');
  });

  it('inventory on a file, not a folder, exits 2', async () => {
    const r = await keyrite('inventory', BIN);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${BIN} is not a folder.`);
  });

  it('ceremony check on a file it cannot read exits 2 (as verify does), the error said once', async () => {
    const r = await keyrite('ceremony', 'check', '/nonexistent-keyrite-script.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr.match(/Cannot read/g)).toHaveLength(1);
    expect(r.stderr).toContain('[FILE_UNREADABLE]');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an invalid script is refused (exit 1), not unusable input', async () => {
    const r = await keyrite('ceremony', 'check', BIN);
    expect(r.code).toBe(1);
    // Not YAML at all: refused as an invalid script file, not as unusable input.
    expect(r.stderr).toContain('[YAML_INVALID]');
  });
});

describe('keyrite ceremony run', () => {
  const tmp = tempDir('keyrite-cli-ux-');
  afterAll(() => tmp.cleanup());

  it('prints a header for every step, once, including the login step that asks for a PIN first', async () => {
    const script = path.resolve(__dirname, '../../../resources/ceremonies/root-keygen.yaml');
    const steps = (parse(readFileSync(script, 'utf8')) as { steps: { id: string; instruction: string }[] }).steps;
    const r = await run('node', [BIN, 'ceremony', 'run', script, '--rehearsal', '--out', path.join(tmp.dir, 'out')], { maxBuffer: 16 * 1024 * 1024 });
    const headers = r.stdout.split('\n').filter((l) => /^\[\d+\/\d+\] /.test(l));
    expect(headers).toEqual(steps.map((s, i) => `[${i + 1}/${steps.length}] ${s.id}: ${s.instruction}`));
    expect(headers).toContain(`[3/${steps.length}] login: ${steps[2]!.instruction}`);
  }, 180_000);

  it('a wrong PIN from the inputs file stops the run with the refusal said once (exit 1)', async () => {
    const templates = path.resolve(__dirname, '../../../resources/ceremonies');
    const out = path.join(tmp.dir, 'wrong');
    // The rehearsal token already in OUT/token (as on a resumed rehearsal) has PIN 123456; the inputs say 999999.
    expect((await keyrite('rehearsal-token', 'create', '--dir', path.join(out, 'token'), '--label', 'keyrite-rehearsal', '--pin', '123456', '--so-pin', '12345678')).code).toBe(0);
    const inputs = path.join(tmp.dir, 'wrong-pin.yaml');
    writeFileSync(inputs, readFileSync(path.join(templates, 'root-keygen.rehearsal.yaml'), 'utf8').replace('keyrite-rehearsal: "123456"', 'keyrite-rehearsal: "999999"'));
    expect(readFileSync(inputs, 'utf8')).toContain('"999999"');
    const r = await keyrite('ceremony', 'run', path.join(templates, 'root-keygen.yaml'), '--rehearsal', '--inputs', inputs, '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr.match(/The PIN is incorrect/g)).toHaveLength(1);
    expect(r.stderr).toContain('[PIN_INCORRECT]');
  }, 180_000);
});
