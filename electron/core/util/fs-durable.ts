import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

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
 * Writes a file atomically: temp file in the same folder, fsync, rename over the target, fsync the
 * folder. A reader sees the old file or the new one, never half of one.
 * With `overwrite: false` an existing target is refused (ceremony outputs are never replaced).
 */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  opts: { overwrite?: boolean; mode?: number } = {},
): Promise<void> {
  const dir = path.dirname(target);
  if (opts.overwrite === false) {
    const exists = await fsp.stat(target).then(() => true, () => false);
    if (exists) {
      const { KeyriteError } = await import('./errors.js');
      throw new KeyriteError('OUTPUT_EXISTS', `Refusing to overwrite ${target}.`, {
        action: 'Choose a new output folder; ceremony outputs are never replaced.',
      });
    }
  }
  const tmp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await fsp.open(tmp, 'wx', opts.mode ?? 0o644);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fsp.rename(tmp, target);
  await fsyncDir(dir);
}
