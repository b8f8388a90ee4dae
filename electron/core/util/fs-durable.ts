/**
 * Durable, private file writes. Every file Keyrite writes is published the same way (temp file in
 * the target's folder, fsync, rename, fsync the folder), so a crash leaves the old file or the new
 * one, never half of one, and at worst a temp file that the next run removes (removeLeftoverTemps).
 * Modes are explicit whatever the umask: folders 0700 and files 0600, unless a caller says the file
 * is public (PUBLIC_FILE_MODE).
 */
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { KeyriteError } from './errors';
import { fileKillName, killPoint } from './kill-point';

/** Folders Keyrite makes: only their owner may list or add to them. */
export const PRIVATE_DIR_MODE = 0o700;
/** Files hold ceremony records or secrets: only their owner may read them. */
export const PRIVATE_FILE_MODE = 0o600;
/**
 * Public keys, certificates and CRLs are made to be handed to anyone (relying parties, OpenSSL,
 * the people in the room), so others may read them; nobody but the owner may change them.
 */
export const PUBLIC_FILE_MODE = 0o644;

const TEMP_NAME = /^\..+\.[0-9a-f]{12}\.tmp$/;

/** fsyncs a directory so that a file created or renamed in it survives a power cut. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Makes a folder (and missing parents) with mode 0700; an existing folder is left as it is. Each
 * missing folder is made in turn from the nearest one that exists, not by `mkdir({recursive})`:
 * under a pseudo file system that answers ENOENT to every mkdir (/proc) Node's recursive mkdir
 * retries forever, and a typo in `--out` must be an error, not a hang.
 */
export async function makePrivateDir(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = path.resolve(dir); ; ) {
    const st = await fsp.stat(at).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null;
      throw e;
    });
    if (st !== null) {
      if (st.isDirectory()) break;
      // Only the folder itself can be a file here: under a file, stat fails with ENOTDIR above.
      throw Object.assign(new Error(`EEXIST: ${at} exists and is not a folder`), { code: 'EEXIST', syscall: 'mkdir', path: at });
    }
    missing.push(at);
    const up = path.dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const folder of missing.reverse()) {
    await fsp.mkdir(folder, { mode: PRIVATE_DIR_MODE }).catch((e: NodeJS.ErrnoException) => {
      // Made meanwhile by someone else: left as it is, as an existing folder is.
      if (e.code !== 'EEXIST') throw e;
    });
  }
}

/** Sets the mode on an open file: the umask may have removed bits the mode asks for. */
async function setMode(fh: FileHandle, mode: number): Promise<void> {
  await fh.chmod(mode);
}

/**
 * Writes a file atomically: temp file in the same folder, fsync, rename over the target, fsync the
 * folder. A reader sees the old file or the new one, never half of one.
 * With `overwrite: false` an existing target is refused (ceremony outputs are never replaced).
 * `mode` defaults to 0600; pass PUBLIC_FILE_MODE only for public keys, certificates and CRLs.
 */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  opts: { overwrite?: boolean; mode?: number } = {},
): Promise<void> {
  const dir = path.dirname(target);
  const name = fileKillName(target);
  if (opts.overwrite === false) {
    const exists = await fsp.stat(target).then(() => true, () => false);
    if (exists) {
      throw new KeyriteError('OUTPUT_EXISTS', `Refusing to overwrite ${target}.`, {
        action: 'Choose a new output folder; ceremony outputs are never replaced.',
      });
    }
  }
  const tmp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const mode = opts.mode ?? PRIVATE_FILE_MODE;
  const fh = await fsp.open(tmp, 'wx', mode);
  try {
    try {
      await setMode(fh, mode);
      killPoint(`publish.tmp-created:${name}`);
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    killPoint(`publish.tmp-synced:${name}`);
    await fsp.rename(tmp, target);
  } catch (e) {
    // The temp file may hold a secret (a share sheet, a key): never leave it behind on a failure.
    await shredFile(tmp).catch(() => undefined);
    const code = (e as NodeJS.ErrnoException).code;
    if (e instanceof KeyriteError || typeof code !== 'string') throw e;
    // A folder, or something unwritable, where the file goes: say which file, not a bare errno.
    throw new KeyriteError('OUTPUT_WRITE_FAILED', `Cannot write ${target}: ${code}.`, {
      action: `Move aside whatever is at ${target} (a folder of that name, a file you cannot replace) or fix the folder's permissions, then run the command again.`,
      details: { path: target, errno: code },
    });
  }
  killPoint(`publish.renamed:${name}`);
  await fsyncDir(dir);
  killPoint(`publish.dir-synced:${name}`);
}

/**
 * Overwrites a file's bytes with random ones and fsyncs them before unlinking it, so neither the
 * name nor (on a file system that writes in place) the content survives. Returns false if absent.
 * The caller fsyncs the folder.
 */
export async function shredFile(file: string, onOverwritten?: () => void): Promise<boolean> {
  let fh: FileHandle;
  try {
    fh = await fsp.open(file, 'r+');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  try {
    const { size } = await fh.stat();
    const n = Math.max(size, 1);
    await fh.write(randomBytes(n), 0, n, 0);
    await fh.sync();
  } finally {
    await fh.close();
  }
  onOverwritten?.();
  await fsp.unlink(file);
  return true;
}

/**
 * Removes the temp files a crash left behind in `dir` and its subfolders (skipping `skip`, e.g. the
 * rehearsal token's own store): each is shredded, since it may hold a secret. Returns their paths.
 */
export async function removeLeftoverTemps(dir: string, skip: readonly string[] = []): Promise<string[]> {
  const removed: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const items = await fsp.readdir(d, { withFileTypes: true }).catch(() => []);
    let here = false;
    for (const it of items) {
      const p = path.join(d, it.name);
      if (it.isDirectory()) {
        if (!skip.includes(path.relative(dir, p))) await walk(p);
      } else if (it.isFile() && TEMP_NAME.test(it.name)) {
        if (await shredFile(p)) { removed.push(p); here = true; }
      }
    }
    if (here) await fsyncDir(d);
  };
  await walk(dir);
  return removed;
}
