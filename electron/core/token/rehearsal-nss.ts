/**
 * An NSS softokn rehearsal token: a throwaway NSS database made with certutil, opened through
 * libsoftokn3 with C_Initialize library parameters (NSS refuses to start without them). A second
 * real PKCS#11 implementation beside SoftHSM2, so ceremonies are proven on more than one vendor.
 */
import { execFile } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { KeyriteError } from '../util/errors';
import { makePrivateDir } from '../util/fs-durable';
import { PKCS11_INIT_ARGS_ENV } from './host-protocol';
import type { RehearsalToken } from './rehearsal';

const run = promisify(execFile);

/** Where Debian/Ubuntu (libnss3), Fedora (nss-softokn) and Homebrew (nss) put the module. */
export const NSS_SOFTOKN_PATHS = [
  '/usr/lib/x86_64-linux-gnu/libsoftokn3.so',
  '/usr/lib/aarch64-linux-gnu/libsoftokn3.so',
  '/usr/lib64/libsoftokn3.so',
  '/usr/lib/libsoftokn3.so',
  '/opt/homebrew/lib/libsoftokn3.dylib',
];

/** NSS's key database token always reports this serial; the label is what tells tokens apart. */
export const NSS_SERIAL = '0000000000000000';

export function findNssSoftokn(): string | undefined {
  return NSS_SOFTOKN_PATHS.find((p) => existsSync(p));
}

function missing(what: string, pkg: string): KeyriteError {
  return new KeyriteError('NSS_MISSING', `${what} is not installed, so no NSS rehearsal token can be made.`, {
    action: `Install it: \`sudo apt-get install ${pkg}\` (Debian/Ubuntu) or \`dnf install nss-tools\` (Fedora).`,
  });
}

/**
 * The softokn parameters for the database in `dbDir`: its one user token is labelled `label` (NSS
 * would call it "NSS Certificate DB"). Values are single-quoted, so a quote in them is refused.
 */
export function nssInitArgs(dbDir: string, label: string): string {
  if (/['"\\]/.test(dbDir) || /['"\\]/.test(label)) {
    throw new KeyriteError('TOKEN_LABEL_INVALID', 'An NSS rehearsal token\'s folder and label may not contain quotes or backslashes.', { action: 'Choose another folder or label.' });
  }
  return `configdir='sql:${dbDir}' certPrefix='' keyPrefix='' secmod='secmod.db' flags= dbTokenDescription='${label}' dbSlotDescription='Keyrite rehearsal token (NSS)'`;
}

/**
 * Makes an NSS database in DIR/nss-LABEL whose password is the user PIN. NSS has no separate SO
 * PIN: once a password is set, SO login is refused (measured: docs/TOKEN.md).
 */
export async function createNssRehearsalToken(opts: { dir: string; label?: string; pin?: string }): Promise<RehearsalToken> {
  const modulePath = findNssSoftokn();
  if (!modulePath) throw missing('NSS softokn (libsoftokn3)', 'libnss3');
  const label = opts.label ?? 'keyrite-rehearsal';
  const pin = opts.pin ?? '123456';
  if (label.length === 0 || label.length > 32) throw new KeyriteError('TOKEN_LABEL_INVALID', `Token label "${label}" must be 1 to 32 characters.`, { action: 'Choose a shorter label.' });
  if (pin.length < 4) throw new KeyriteError('PIN_TOO_SHORT', 'Choose a PIN of at least 4 characters.', { action: 'Choose a longer PIN.' });
  const dbDir = path.join(path.resolve(opts.dir), `nss-${label.replace(/[^A-Za-z0-9._-]/g, '_')}`);
  const initArgs = nssInitArgs(dbDir, label);
  if (existsSync(path.join(dbDir, 'key4.db'))) {
    throw new KeyriteError('TOKEN_LABEL_IN_USE', `An NSS rehearsal token labelled "${label}" already exists in ${opts.dir}.`, { action: 'Choose another label or another folder.' });
  }
  await makePrivateDir(dbDir);
  // certutil reads the new password from a file; it lives only while certutil runs.
  const pwFile = path.join(dbDir, '.pin-for-certutil');
  await fsp.writeFile(pwFile, `${pin}\n`, { mode: 0o600 });
  try {
    await run('certutil', ['-N', '-d', `sql:${dbDir}`, '-f', pwFile]);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw missing('certutil', 'libnss3-tools');
    throw new KeyriteError('TOKEN_INIT_FAILED', `certutil could not make the NSS database: ${(e as { stderr?: string }).stderr ?? String(e)}`, { action: 'Check that the folder is writable.' });
  } finally {
    await fsp.rm(pwFile, { force: true });
  }
  return { modulePath, confPath: dbDir, tokenDir: dbDir, label, serial: NSS_SERIAL, env: { [PKCS11_INIT_ARGS_ENV]: initArgs } };
}
