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
  const fh = await fsp.open(tmp, 'wx', mode).catch((e: unknown) => {
    throw writeFailure(target, e);
  });
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
    // The temp file may hold a secret (a share sheet, a key): never leave it behind on a failure. On
    // a failing disk the overwrite may fail too: then at least the name goes.
    await shredFile(tmp).catch(() => fsp.rm(tmp, { force: true })).catch(() => undefined);
    throw writeFailure(target, e);
  }
  killPoint(`publish.renamed:${name}`);
  await fsyncDir(dir);
  killPoint(`publish.dir-synced:${name}`);
}

/**
 * A publish that failed on an errno, as a typed error naming the file, with what to do for that
 * cause: a full or failing disk calls for another disk, not for moving files aside. A KeyriteError
 * (or anything without an errno) passes through unchanged. Nothing was replaced in any case: the
 * old file, if any, is still whole (the rename is the only step that touches it).
 */
function writeFailure(target: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (e instanceof KeyriteError || typeof code !== 'string') return e;
  const dir = path.dirname(target);
  const [why, action] = WRITE_FAILURES[code] ?? [
    'the system refused the write',
    `Check that ${dir} is on a working disk you may write to, then run the command again.`,
  ];
  return new KeyriteError('OUTPUT_WRITE_FAILED', `Cannot write ${target}: ${why} (${code}). Nothing was replaced.`, {
    action: action.replaceAll('{dir}', dir).replaceAll('{target}', target),
    details: { path: target, errno: code },
  });
}

const FULL: [string, string] = [
  'the disk is full',
  'Free space on the disk holding {dir}, or choose an output folder on another disk, then run the command again.',
];
const IN_THE_WAY: [string, string] = [
  'something else is in the way',
  'Move aside whatever is at {target} (a folder of that name, or a file where a folder should be), then run the command again.',
];
const DENIED: [string, string] = [
  'permission denied',
  "Fix the permissions of {dir} (or of {target}) so that this user may write there, or choose another output folder, then run the command again.",
];
const WRITE_FAILURES: Record<string, [string, string]> = {
  ENOSPC: FULL,
  EDQUOT: ['the disk quota is used up', 'Free space within your quota, or choose an output folder on another disk, then run the command again.'],
  EIO: [
    'the disk reported an input/output error',
    'The disk holding {dir} may be failing: stop, copy the ceremony folder to another disk, check it with `keyrite verify`, and continue there.',
  ],
  EROFS: ['the disk is mounted read-only', 'Remount the disk holding {dir} read-write, or choose an output folder on a writable disk, then run the command again.'],
  ENOENT: ['its folder does not exist', 'Create {dir}, or choose an output folder that exists, then run the command again.'],
  EISDIR: IN_THE_WAY,
  ENOTDIR: IN_THE_WAY,
  ENOTEMPTY: IN_THE_WAY,
  EEXIST: IN_THE_WAY,
  EACCES: DENIED,
  EPERM: DENIED,
};

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
