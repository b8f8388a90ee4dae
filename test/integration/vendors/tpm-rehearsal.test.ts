/**
 * TPM rehearsal tokens (tpm2-pkcs11 on swtpm), through the built CLI as a user runs it:
 * `keyrite rehearsal-token create --kind tpm` starts swtpm and prints how to use and stop it; a
 * rehearsal run with `--rehearsal-token tpm` starts swtpm and stops it when the run ends, refused,
 * sealed, or interrupted (SIGINT). root-keygen is refused in pre-flight (no CKM_AES_KEY_WRAP_PAD).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { keyrite, KEYRITE_BIN } from '../../helpers/keyrite-cli';
import { createTokenClient } from '../../../electron/core/token/client';
import { createTpmRehearsalToken, provisionTpmRehearsalToken } from '../../../electron/core/token/rehearsal-tpm';
import { tempDir } from '../../helpers/softhsm';
import { TEMPLATES } from '../ceremony/helpers';

const sh = promisify(execFile);
const tmp = tempDir('keyrite-tpm-rehearsal-');
afterAll(() => tmp.cleanup());

/** Live swtpm processes whose command line names `folder` (a zombie has an empty command line). */
function swtpmsIn(folder: string): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).flatMap((p) => {
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
      return path.basename(cmd.split('\0')[0]!) === 'swtpm' && cmd.includes(folder) ? [Number(p)] : [];
    } catch {
      return [];
    }
  });
}

async function noSwtpmIn(folder: string): Promise<number[]> {
  for (let i = 0; i < 100 && swtpmsIn(folder).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
  return swtpmsIn(folder);
}

describe('keyrite rehearsal-token create --kind tpm', () => {
  it('starts swtpm, makes the token, and prints the environment that lists it and the command that stops swtpm', async () => {
    const dir = path.join(tmp.dir, 'made');
    const made = await keyrite('rehearsal-token', 'create', '--kind', 'tpm', '--dir', dir, '--label', 'tpm-cli', '--pin', '482913');
    expect(made).toMatchObject({ code: 0 });
    expect(made.stdout).not.toContain('482913');
    const exports = made.stdout.split('\n').map((l) => l.trim()).find((l) => l.startsWith('export TPM2_PKCS11_TCTI='))!;
    const stop = made.stdout.split('\n').map((l) => l.trim()).find((l) => l.startsWith('kill '))!;
    const modulePath = /module:\s+(\S+)/.exec(made.stdout)![1]!;
    expect(exports).toMatch(/TPM2_PKCS11_STORE='[^']*tpm-tpm-cli\/store'/);
    // swtpm outlives the command: it serves the token until stopped.
    expect(swtpmsIn(dir)).toHaveLength(1);
    // The printed environment, exported in a shell, is what lets `keyrite tokens` see the token.
    const listed = await sh('sh', ['-c', `${exports}; "${process.execPath}" "${KEYRITE_BIN}" tokens --only --module "${modulePath}"`]);
    expect(listed.stdout).toMatch(/token "tpm-cli"\s+serial 0000000000000000\s+model SW {3}TPM\s+by IBM/);
    expect(listed.stdout).toMatch(/flags: login required, initialized, RNG, user PIN set/);
    expect(listed.stdout).not.toContain('CKM_AES_KEY_WRAP_PAD');
    // Without it, the module reaches no TPM and lists no such token.
    const without = await keyrite('tokens', '--only', '--module', modulePath);
    expect(without.stdout).not.toContain('token "tpm-cli"');
    const again = await keyrite('rehearsal-token', 'create', '--kind', 'tpm', '--dir', dir, '--label', 'tpm-cli');
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('TOKEN_LABEL_IN_USE') });
    await sh('sh', ['-c', stop]);
    expect(await noSwtpmIn(dir)).toEqual([]);
  }, 60_000);

  it('--json gives the module, the environment, the swtpm pid and the stop command', async () => {
    const dir = path.join(tmp.dir, 'made-json');
    const made = await keyrite('rehearsal-token', 'create', '--kind', 'tpm', '--dir', dir, '--json');
    const t = JSON.parse(made.stdout) as { kind: string; label: string; env: Record<string, string>; swtpmPid: number; pidFile: string; stop: string };
    expect(t).toMatchObject({ kind: 'tpm', label: 'keyrite-rehearsal', env: { TPM2_PKCS11_TCTI: expect.stringMatching(/^swtpm:host=127\.0\.0\.1,port=\d+$/), TPM2_PKCS11_STORE: path.join(dir, 'tpm-keyrite-rehearsal', 'store') } });
    expect(swtpmsIn(dir)).toEqual([t.swtpmPid]);
    expect(readFileSync(t.pidFile, 'utf8').trim()).toBe(String(t.swtpmPid));
    await sh('sh', ['-c', t.stop]);
    expect(await noSwtpmIn(dir)).toEqual([]);
  }, 60_000);
});

describe('keyrite ceremony run --rehearsal --rehearsal-token tpm', () => {
  it('refuses root-keygen in pre-flight naming CKM_AES_KEY_WRAP_PAD: no transcript, and no swtpm left running', async () => {
    const out = path.join(tmp.dir, 'root-tpm');
    const r = await keyrite('ceremony', 'run', path.join(TEMPLATES, 'root-keygen.yaml'), '--rehearsal', '--rehearsal-token', 'tpm', '--out', out);
    expect(r).toMatchObject({ code: 1, stderr: expect.stringContaining('TOKEN_CAPABILITY_MISSING') });
    expect(r.stderr).toMatch(/Token "keyrite-rehearsal" \(IBM SW {3}TPM\) cannot carry out this ceremony/);
    expect(r.stderr).toMatch(/CKM_AES_KEY_WRAP_PAD: to wrap the private key for its backup/);
    expect(existsSync(path.join(out, 'transcript.jsonl'))).toBe(false);
    // The TPM token was made (so the check read the TPM's own mechanism list) and its swtpm stopped.
    expect(existsSync(path.join(out, 'token', 'tpm-keyrite-rehearsal', 'store', 'tpm2_pkcs11.sqlite3'))).toBe(true);
    expect(await noSwtpmIn(out)).toEqual([]);
  }, 60_000);

  it('rehearses check-up and reshare (no backup made, no token key used) on the TPM token, verified VALID with the TPM module recorded; swtpm stopped', async () => {
    const out = path.join(tmp.dir, 'check-up-tpm');
    const r = await keyrite('ceremony', 'run', path.join(TEMPLATES, 'check-up.yaml'), '--rehearsal', '--rehearsal-token', 'tpm', '--out', out);
    expect(r, r.stderr).toMatchObject({ code: 0 });
    const v = await keyrite('verify', out);
    expect(v.stdout).toMatch(/Result\s+VALID/);
    expect(v.stdout).toMatch(/Module\s+\S*libtpm2_pkcs11\.so/);
    expect(v.stdout).toMatch(/Token info\s+IBM SW {3}TPM, serial 0000000000000000, label keyrite-rehearsal/);
    expect(await noSwtpmIn(out)).toEqual([]);
    // reshare uses no token key either: it continues the same prior rehearsal on a TPM token.
    const reshared = path.join(tmp.dir, 'reshare-tpm');
    const rs = await keyrite('ceremony', 'run', path.join(TEMPLATES, 'reshare.yaml'), '--rehearsal', '--rehearsal-token', 'tpm', '--out', reshared, '--from', path.join(out, 'prior'));
    expect(rs, rs.stderr).toMatchObject({ code: 0 });
    expect((await keyrite('verify', reshared)).stdout).toMatch(/Result\s+VALID[\s\S]*Token info\s+IBM SW {3}TPM/);
    expect(await noSwtpmIn(reshared)).toEqual([]);
  }, 120_000);

  it('stops swtpm when the run is interrupted (SIGINT), then dies of that signal', async () => {
    const out = path.join(tmp.dir, 'check-up-sigint');
    const pidFile = path.join(out, 'token', 'tpm-keyrite-rehearsal', 'swtpm.pid');
    // Continues the sealed root-keygen rehearsal the check-up above made, so swtpm starts at once.
    const child = spawn(process.execPath, [KEYRITE_BIN, 'ceremony', 'run', path.join(TEMPLATES, 'check-up.yaml'), '--rehearsal', '--rehearsal-token', 'tpm', '--out', out, '--from', path.join(tmp.dir, 'check-up-tpm', 'prior')], { stdio: 'ignore' });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    // Until swtpm has daemonised, its parent shares its command line: wait for the one daemon.
    for (let i = 0; i < 1500 && !(existsSync(pidFile) && swtpmsIn(out).length === 1); i++) await new Promise((r) => setTimeout(r, 10));
    expect(swtpmsIn(out)).toEqual([Number(readFileSync(pidFile, 'utf8'))]);
    child.kill('SIGINT');
    expect(await exited).toEqual({ code: null, signal: 'SIGINT' });
    expect(await noSwtpmIn(out)).toEqual([]);
  }, 60_000);

  it('a SIGINT that comes while swtpm is still starting waits until it has started, then stops it', async () => {
    const out = path.join(tmp.dir, 'sigint-starting');
    // A swtpm that takes a second to start, and says when it began: the signal lands inside that second.
    const shim = path.join(tmp.dir, 'slow-swtpm');
    const began = path.join(tmp.dir, 'slow-swtpm-began'), done = path.join(tmp.dir, 'slow-swtpm-done');
    mkdirSync(shim);
    writeFileSync(path.join(shim, 'swtpm'), `#!/bin/sh\ntouch '${began}'\nsleep 1\n/usr/bin/swtpm "$@"\nrc=$?\ntouch '${done}'\nexit $rc\n`, { mode: 0o755 });
    const child = spawn(process.execPath, [KEYRITE_BIN, 'ceremony', 'run', path.join(TEMPLATES, 'root-keygen.yaml'), '--rehearsal', '--rehearsal-token', 'tpm', '--out', out],
      { stdio: 'ignore', env: { ...process.env, PATH: `${shim}:${process.env.PATH ?? ''}` } });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    for (let i = 0; i < 1500 && !existsSync(began); i++) await new Promise((r) => setTimeout(r, 10));
    expect(existsSync(path.join(out, 'token', 'tpm-keyrite-rehearsal', 'swtpm.pid'))).toBe(false);
    child.kill('SIGINT');
    expect(await exited).toEqual({ code: null, signal: 'SIGINT' });
    // Once swtpm has daemonised (the shim returns), none is left serving the folder.
    for (let i = 0; i < 500 && !existsSync(done); i++) await new Promise((r) => setTimeout(r, 10));
    expect(existsSync(done)).toBe(true);
    expect(await noSwtpmIn(out)).toEqual([]);
    expect(existsSync(path.join(out, 'transcript.jsonl'))).toBe(false);
  }, 60_000);

  it('a run killed outright (SIGKILL: nothing can stop swtpm) resumes in the same folder: the left swtpm is stopped, the TPM token reused, the run sealed VALID', async () => {
    const out = path.join(tmp.dir, 'check-up-killed');
    const args = ['ceremony', 'run', path.join(TEMPLATES, 'check-up.yaml'), '--rehearsal', '--rehearsal-token', 'tpm', '--out', out, '--from', path.join(tmp.dir, 'check-up-tpm', 'prior')];
    const killed = await new Promise<NodeJS.Signals | null>((resolve) => {
      spawn(process.execPath, [KEYRITE_BIN, ...args], { stdio: 'ignore', env: { ...process.env, KEYRITE_TEST_KILL_AT: 'append:*:check-up' } }).on('exit', (_code, signal) => resolve(signal));
    });
    expect(killed).toBe('SIGKILL');
    const left = swtpmsIn(out);
    expect(left).toHaveLength(1);
    const r = await keyrite(...args);
    expect(r, r.stderr).toMatchObject({ code: 0 });
    expect((await keyrite('verify', out)).stdout).toMatch(/Result\s+VALID[\s\S]*Token info\s+IBM SW {3}TPM/);
    expect(await noSwtpmIn(out)).toEqual([]);
  }, 60_000);
});

describe('provisionTpmRehearsalToken (what a run calls)', () => {
  const loginWorks = async (t: { modulePath: string; env: Record<string, string> }, label: string, pin: string): Promise<boolean> => {
    const c = createTokenClient({ modulePath: t.modulePath, env: t.env });
    try {
      return await c.openSession({ label }, { pin }).then(() => true, () => false);
    } finally {
      await c.close();
    }
  };

  it('reuses a made token on resume, and makes again a token whose making was cut short', async () => {
    const dir = path.join(tmp.dir, 'provision');
    const made = await createTpmRehearsalToken({ dir, label: 'cut', pin: '999999' });
    expect(await loginWorks(made, 'cut', '999999')).toBe(true);
    await made.swtpm.stop();
    // Resumed: the same token (its PIN), on a swtpm started again.
    const again = await provisionTpmRehearsalToken({ dir, label: 'cut', pin: '123456' });
    expect(await loginWorks(again, 'cut', '999999')).toBe(true);
    await again.stop();
    expect(swtpmsIn(dir)).toEqual([]);
    // Cut short before its PIN was known to be set: made anew with the run's PIN.
    rmSync(path.join(dir, 'tpm-cut', 'made'));
    const remade = await provisionTpmRehearsalToken({ dir, label: 'cut', pin: '123456' });
    expect(await loginWorks(remade, 'cut', '123456')).toBe(true);
    await remade.stop();
    expect(await noSwtpmIn(dir)).toEqual([]);
  }, 60_000);
});
