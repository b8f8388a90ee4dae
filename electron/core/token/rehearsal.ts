import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { promises as fsp, existsSync } from 'node:fs';
import path from 'node:path';
import { KeyriteError } from '../util/errors';
import { killPoint } from '../util/kill-point';
import { makePrivateDir } from '../util/fs-durable';

const run = promisify(execFile);

/** Where Debian, Ubuntu, Fedora and Homebrew put SoftHSM2's module. */
export const SOFTHSM2_MODULE_PATHS = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib64/pkcs11/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
  '/opt/homebrew/lib/softhsm/libsofthsm2.so',
];

export interface RehearsalToken {
  modulePath: string;
  /** Export this as SOFTHSM2_CONF for any process that opens the token. */
  confPath: string;
  tokenDir: string;
  label: string;
  serial: string;
  /** Environment to give the token host process. */
  env: Record<string, string>;
}

export interface RehearsalTokenOptions {
  dir: string;
  label?: string;
  pin?: string;
  soPin?: string;
}

export function findSoftHsmModule(): string | undefined {
  return SOFTHSM2_MODULE_PATHS.find((p) => existsSync(p));
}

function softHsmMissing(): KeyriteError {
  return new KeyriteError('SOFTHSM2_MISSING', 'SoftHSM2 is not installed, so no rehearsal token can be made.', {
    action: 'Install it: `sudo apt-get install softhsm2` (Debian/Ubuntu), `dnf install softhsm` (Fedora) or `brew install softhsm` (macOS).',
  });
}

/** Writes a SoftHSM2 config whose token store lives in `dir` (created if missing). */
export async function writeSoftHsmConfig(dir: string): Promise<{ confPath: string; tokenDir: string }> {
  const abs = path.resolve(dir);
  const tokenDir = path.join(abs, 'tokens');
  await makePrivateDir(tokenDir);
  const confPath = path.join(abs, 'softhsm2.conf');
  if (!existsSync(confPath)) {
    await fsp.writeFile(
      confPath,
      `# Keyrite rehearsal token store (SoftHSM2). Not for production keys.\ndirectories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
      { mode: 0o600 },
    );
  }
  return { confPath, tokenDir };
}

/** The user PIN of a rehearsal token unless another is given (a throwaway: the UI shows it in rehearsal mode). */
export const REHEARSAL_USER_PIN = '123456';

/**
 * Provisions a SoftHSM2 token in `dir` with its own config, label and PINs. Several tokens may share
 * one folder (and so one SOFTHSM2_CONF): a recovery rehearsal needs a second token beside the first.
 */
export async function createRehearsalToken(opts: RehearsalTokenOptions): Promise<RehearsalToken> {
  const modulePath = findSoftHsmModule();
  if (!modulePath) throw softHsmMissing();
  const label = opts.label ?? 'keyrite-rehearsal';
  const pin = opts.pin ?? REHEARSAL_USER_PIN;
  const soPin = opts.soPin ?? '12345678';
  if (label.length === 0 || label.length > 32) {
    throw new KeyriteError('TOKEN_LABEL_INVALID', `Token label "${label}" must be 1 to 32 characters.`, { action: 'Choose a shorter label.' });
  }
  if (pin.length < 4 || soPin.length < 4) {
    throw new KeyriteError('PIN_TOO_SHORT', 'SoftHSM2 needs PINs of at least 4 characters.', { action: 'Choose longer PINs.' });
  }
  const { confPath, tokenDir } = await writeSoftHsmConfig(opts.dir);
  killPoint('rehearsal-token.configured');
  const env = { SOFTHSM2_CONF: confPath };
  const childEnv = { ...process.env, ...env };
  const existing = await listSoftHsmTokens(childEnv);
  if (existing.some((t) => t.label === label)) {
    throw new KeyriteError('TOKEN_LABEL_IN_USE', `A rehearsal token labelled "${label}" already exists in ${opts.dir}.`, {
      action: 'Choose another label or another folder.',
    });
  }
  try {
    await run('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', soPin], { env: childEnv });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw softHsmMissing();
    throw new KeyriteError('TOKEN_INIT_FAILED', `softhsm2-util could not initialise the token: ${(e as { stderr?: string }).stderr ?? String(e)}`, {
      action: 'Check that the folder is writable.',
    });
  }
  const token = (await listSoftHsmTokens(childEnv)).find((t) => t.label === label);
  if (!token) throw new KeyriteError('TOKEN_INIT_FAILED', `Token "${label}" was initialised but is not listed.`, { action: 'Check the SoftHSM2 config.' });
  return { modulePath, confPath, tokenDir, label, serial: token.serial, env };
}

async function listSoftHsmTokens(env: NodeJS.ProcessEnv): Promise<{ label: string; serial: string }[]> {
  let stdout: string;
  try {
    ({ stdout } = await run('softhsm2-util', ['--show-slots'], { env }));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw softHsmMissing();
    throw e;
  }
  // One block per slot; in each, "Serial number:" comes before "Label:".
  const tokens: { label: string; serial: string }[] = [];
  for (const block of stdout.split(/^Slot /m).slice(1)) {
    const serial = /^\s*Serial number:\s*(\S+)\s*$/m.exec(block)?.[1];
    const label = /^\s*Label:\s*(.*?)\s*$/m.exec(block)?.[1];
    if (serial && label) tokens.push({ label, serial });
  }
  return tokens;
}
