/**
 * The README's recovery recipe, run verbatim (bash, set -euo pipefail as written) in a rehearsal
 * folder of resources/ceremonies/root-keygen.yaml: the custodians it names are the template's and
 * their files are the ones the rehearsal wrote. The age step runs the real age CLI with Frank's
 * rehearsal passphrase typed on a pseudo-terminal. A missing file or an undecrypted age file stops
 * the recipe with one `combine-shares:` line, no traceback and no key.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHeadless } from '../../../electron/core/ceremony/headless';
import { tempDir } from '../../helpers/softhsm';
import { captureIo, ROOT, TEMPLATES } from '../ceremony/helpers';

const tmp = tempDir('keyrite-readme-recovery-');
afterAll(() => tmp.cleanup());
let ceremony: string;
let recipe: string;

beforeAll(async () => {
  ceremony = path.join(tmp.dir, 'root-keygen');
  await runHeadless({ scriptFile: path.join(TEMPLATES, 'root-keygen.yaml'), outDir: ceremony, rehearsal: true, io: captureIo(), inputsFile: path.join(TEMPLATES, 'root-keygen.rehearsal.yaml') });
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = /<!-- section:recovery-openssl[^\n]*\n([\s\S]*?)<!-- \/section:recovery-openssl -->/.exec(readme)?.[1] ?? '';
  recipe = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  expect(recipe).toMatch(/^set -euo pipefail\n/);
}, 120_000);

/** The ceremony folder as the README describes it, with resources/tools beside it. */
function folder(name: string): string {
  const dir = path.join(tmp.dir, name);
  cpSync(ceremony, dir, { recursive: true });
  symlinkSync(path.join(ROOT, 'resources'), path.join(dir, 'resources'));
  return dir;
}

function run(dir: string, script: string) {
  const r = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('README recovery recipe', () => {
  it('runs as written on the template\'s custodians and recovers the root key', () => {
    const dir = folder('ok');
    const r = run(dir, recipe);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('key.der is the backed-up private key');
    const pub = execFileSync('openssl', ['pkey', '-inform', 'DER', '-in', path.join(dir, 'key.der'), '-pubout'], { encoding: 'utf8' });
    expect(pub).toBe(readFileSync(path.join(ceremony, 'public-key.pem'), 'utf8'));
  });

  it('an age custodian: the README\'s age command (real age CLI, passphrase on a tty) gives a share the recipe takes', () => {
    const dir = folder('age');
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const ageLine = /^ {6}(age -d -o \S+ \S+)$/m.exec(readme)?.[1];
    expect(ageLine).toBeDefined();
    expect(existsSync(path.join(dir, ageLine!.split(' ').at(-1)!))).toBe(true);
    const passphrase = 'rehearsal only - frank passphrase';
    expect(readFileSync(path.join(TEMPLATES, 'root-keygen.rehearsal.yaml'), 'utf8')).toContain(passphrase);
    spawnSync('bash', ['-c', `(printf '%s\\n' "$P"; sleep 2) | script -qec "${ageLine!}" /dev/null`], { cwd: dir, env: { ...process.env, P: passphrase }, encoding: 'utf8', timeout: 60_000 });
    expect(readFileSync(path.join(dir, 'shares', 'Frank.share')).length).toBe(48);
    const r = run(dir, recipe.replace('shares/Erin.txt', 'shares/Frank.share'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('key.der is the backed-up private key');
  });

  it('a missing share file stops it with one line naming the file, before anything is unwrapped', () => {
    const dir = folder('missing');
    rmSync(path.join(dir, 'shares', 'Erin.txt'));
    const r = run(dir, recipe);
    expect(r.code).not.toBe(0);
    expect(r.err.trim()).toBe('combine-shares: shares/Erin.txt: no such file (expected a share: the custodian\'s words sheet, or their decrypted age file)');
    expect(r.err).not.toContain('Traceback');
    expect(existsSync(path.join(dir, 'key.der'))).toBe(false);
    expect(r.out).not.toContain('key.der is');
  });

  it('an age file given without decrypting it is named as such', () => {
    const dir = folder('undecrypted');
    cpSync(path.join(dir, 'custody', 'root-2026-Frank.keyrite-share.age'), path.join(dir, 'shares', 'Erin.txt'));
    const r = run(dir, recipe);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/^combine-shares: shares\/Erin\.txt is an age file: decrypt it first/);
    expect(existsSync(path.join(dir, 'key.der'))).toBe(false);
  });
});
