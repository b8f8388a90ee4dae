/**
 * A tpm2-pkcs11 rehearsal token: a TPM-backed token on a software TPM (swtpm.ts), in DIR/tpm-LABEL
 * (the TPM's state and the module's store). The module finds the TPM through TPM2_PKCS11_TCTI and
 * keeps its objects in TPM2_PKCS11_STORE; these go only into the environment of that module's token
 * host, never into other modules' (the host is a process per module: client.ts).
 */
import { cpSync, existsSync, promises as fsp } from 'node:fs';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { KeyriteError } from '../util/errors';
import { makePrivateDir } from '../util/fs-durable';
import type { RehearsalToken } from './rehearsal';
import { startSwtpm, stopLeftSwtpm, type Swtpm } from './swtpm';

const run = promisify(execFile);

/** Where Debian/Ubuntu (libtpm2-pkcs11-1), Fedora (tpm2-pkcs11) and source builds put the module. */
export const TPM2_PKCS11_PATHS = [
  '/usr/lib/x86_64-linux-gnu/pkcs11/libtpm2_pkcs11.so',
  '/usr/lib/aarch64-linux-gnu/pkcs11/libtpm2_pkcs11.so',
  '/usr/lib64/pkcs11/libtpm2_pkcs11.so',
  '/usr/lib/pkcs11/libtpm2_pkcs11.so',
  '/usr/local/lib/pkcs11/libtpm2_pkcs11.so',
];

/** tpm2-pkcs11 reports the TPM's serial: swtpm's is all zeros, so the label tells tokens apart. */
export const TPM_SERIAL = '0000000000000000';
const STORE_FILE = 'tpm2_pkcs11.sqlite3';
/** Written once the token and its user PIN are set: a store without it is a token whose making was cut short. */
const MADE_FILE = 'made';

export function findTpm2Pkcs11(): string | undefined {
  return TPM2_PKCS11_PATHS.find((p) => existsSync(p));
}

export interface TpmRehearsalToken extends RehearsalToken {
  swtpm: Swtpm;
}

/** The token's folder: DIR/tpm-LABEL. */
export function tpmTokenFolder(dir: string, label: string): string {
  return path.join(path.resolve(dir), `tpm-${label.replace(/[^A-Za-z0-9._-]/g, '_')}`);
}

function tpmEnv(folder: string, port: number): Record<string, string> {
  return { TPM2_PKCS11_TCTI: `swtpm:host=127.0.0.1,port=${port}`, TPM2_PKCS11_STORE: path.join(folder, 'store'), TPM2_PKCS11_LOG_LEVEL: '0' };
}

function moduleOrThrow(): string {
  const m = findTpm2Pkcs11();
  if (!m) throw new KeyriteError('TPM_MISSING', 'tpm2-pkcs11 is not installed, so no TPM rehearsal token can be made.', { action: 'Install it: `sudo apt-get install libtpm2-pkcs11-1 libtss2-tcti-swtpm0` (Debian/Ubuntu).' });
  return m;
}

async function pkcs11Tool(modulePath: string, env: Record<string, string>, args: string[]): Promise<void> {
  try {
    await run('pkcs11-tool', ['--module', modulePath, ...args], { env: { ...process.env, ...env } });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new KeyriteError('TPM_MISSING', 'pkcs11-tool is not installed, so no TPM rehearsal token can be made.', { action: 'Install it: `sudo apt-get install opensc`.' });
    throw new KeyriteError('TOKEN_INIT_FAILED', `pkcs11-tool could not initialise the TPM token: ${(e as { stderr?: string }).stderr?.trim() || String(e)}`, { action: 'Check that swtpm runs and the folder is writable.' });
  }
}

/**
 * Makes a TPM token in DIR/tpm-LABEL: starts swtpm on fresh state, then `pkcs11-tool --init-token`
 * and `--init-pin` through the module. swtpm keeps running: the caller stops it (swtpm.stop()) or
 * leaves it for other programs (swtpm.detach()). On failure swtpm is stopped.
 */
export async function createTpmRehearsalToken(opts: { dir: string; label?: string; pin?: string; soPin?: string }): Promise<TpmRehearsalToken> {
  const modulePath = moduleOrThrow();
  const label = opts.label ?? 'keyrite-rehearsal';
  const pin = opts.pin ?? '123456';
  const soPin = opts.soPin ?? '12345678';
  if (label.length === 0 || label.length > 32) throw new KeyriteError('TOKEN_LABEL_INVALID', `Token label "${label}" must be 1 to 32 characters.`, { action: 'Choose a shorter label.' });
  if (pin.length < 4 || soPin.length < 4) throw new KeyriteError('PIN_TOO_SHORT', 'Choose PINs of at least 4 characters.', { action: 'Choose longer PINs.' });
  const folder = tpmTokenFolder(opts.dir, label);
  if (existsSync(path.join(folder, 'store', STORE_FILE))) {
    throw new KeyriteError('TOKEN_LABEL_IN_USE', `A TPM rehearsal token labelled "${label}" already exists in ${opts.dir}.`, { action: 'Choose another label or another folder.' });
  }
  await makePrivateDir(path.join(folder, 'store'));
  const swtpm = await startSwtpm(folder);
  const env = tpmEnv(folder, swtpm.port);
  try {
    await pkcs11Tool(modulePath, env, ['--init-token', '--label', label, '--so-pin', soPin]);
    await pkcs11Tool(modulePath, env, ['--token-label', label, '--init-pin', '--login', '--so-pin', soPin, '--pin', pin]);
  } catch (e) {
    await swtpm.stop();
    throw e;
  }
  await fsp.writeFile(path.join(folder, MADE_FILE), `${label}\n`, { mode: 0o600 });
  return { modulePath, confPath: folder, tokenDir: folder, label, serial: TPM_SERIAL, env, swtpm };
}

/**
 * The rehearsal token of a run on `tpm`: its folder's token when it has one (a resumed run: swtpm
 * starts again on that state, on a new port), else a copy of `fromDir`'s, else a new one. The
 * caller stops swtpm when the run ends.
 */
export async function provisionTpmRehearsalToken(o: { dir: string; label: string; pin: string; fromDir?: string }): Promise<{ modulePath: string; env: Record<string, string>; stop: () => Promise<void> }> {
  const modulePath = moduleOrThrow();
  const folder = tpmTokenFolder(o.dir, o.label);
  const from = o.fromDir ? tpmTokenFolder(o.fromDir, o.label) : undefined;
  if (!existsSync(path.join(folder, MADE_FILE)) && from && existsSync(path.join(from, MADE_FILE))) {
    cpSync(from, folder, { recursive: true, filter: (src) => path.basename(src) !== 'swtpm.pid' && path.basename(src) !== '.lock' });
  }
  if (existsSync(path.join(folder, MADE_FILE))) {
    const swtpm = await startSwtpm(folder);
    return { modulePath, env: tpmEnv(folder, swtpm.port), stop: swtpm.stop };
  }
  // A run killed while its token was being made: nothing of the ceremony is on it yet, so make it again.
  await stopLeftSwtpm(folder);
  await fsp.rm(folder, { recursive: true, force: true });
  const t = await createTpmRehearsalToken({ dir: o.dir, label: o.label, pin: o.pin });
  return { modulePath, env: t.env, stop: t.swtpm.stop };
}
