/**
 * The transcript key file: a per-ceremony Ed25519 note key kept in the ceremony folder
 * (transcript-key.secret, mode 0600) so that a resumed run signs with the same key; it only ever
 * signs checkpoints, and it is destroyed right after the final checkpoint (the folder is what
 * auditors receive and archive: a secret left in it would let anyone holding it sign a forged
 * checkpoint).
 */
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { generateNoteKey } from '../transcript/note-keys';
import { fsyncDir, makePrivateDir, PRIVATE_FILE_MODE, shredFile } from '../util/fs-durable';
import { killPoint } from '../util/kill-point';
import { KeyriteError } from '../util/errors';

/** The note name the transcript key signs under, file key and token key alike (they differ by key hash). */
export function transcriptNoteName(ceremonyId: string): string {
  return `keyrite.transcript/${ceremonyId}`;
}

export const TRANSCRIPT_KEY_FILE = 'transcript-key.secret';

/**
 * Makes the transcript key and returns its verifier key (for the ceremony.start entry). The key is
 * written straight to its own name (create-exclusive, 0600, fsync, folder fsync), never through a
 * temp file: a crash mid-write leaves it where the resumed run destroys it (an unstarted run), not
 * in a stray temp file nobody looks at.
 */
export async function generateKeyNoteFile(outDir: string, ceremonyId: string): Promise<string> {
  const { signerKey, verifierKey } = generateNoteKey(transcriptNoteName(ceremonyId));
  await makePrivateDir(outDir);
  const file = path.join(outDir, TRANSCRIPT_KEY_FILE);
  let fh: FileHandle;
  try {
    fh = await fsp.open(file, 'wx', PRIVATE_FILE_MODE);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    throw new KeyriteError('OUTPUT_EXISTS', `Refusing to overwrite ${file}.`, { action: 'Choose a new output folder; ceremony outputs are never replaced.' });
  }
  try {
    await fh.chmod(PRIVATE_FILE_MODE);
    killPoint('transcript-key.created');
    await fh.writeFile(signerKey + '\n');
    await fh.sync();
  } finally {
    await fh.close();
  }
  killPoint('transcript-key.synced');
  await fsyncDir(outDir);
  return verifierKey;
}

/** The name the key file is moved to while it is being destroyed. */
const DESTROYING = `${TRANSCRIPT_KEY_FILE}.destroying`;

/**
 * Destroys the transcript key, crash-safe: the file is first renamed aside (atomic, folder fsynced),
 * so that from then on no run signs with it, and only then overwritten, fsynced, unlinked and the
 * folder fsynced. A crash at any point leaves the key either whole under its own name (the
 * destruction has not begun) or under the aside name, which destroyTranscriptKey and a resumed run
 * (finishKeyDestruction) finish off; never a half-overwritten key under its own name.
 * Returns whether there was a key to destroy; calling it again is harmless.
 */
export async function destroyTranscriptKey(outDir: string): Promise<boolean> {
  const file = path.join(outDir, TRANSCRIPT_KEY_FILE);
  const aside = path.join(outDir, DESTROYING);
  const fail = (e: unknown) => new KeyriteError('TRANSCRIPT_KEY_DESTROY_FAILED', `Cannot destroy the transcript key ${file}: ${(e as Error).message}`, { action: `Delete ${file} (and ${aside}) by hand (shred -u), then keep the folder.` });
  let moved = false;
  try {
    await fsp.rename(file, aside);
    moved = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fail(e);
  }
  try {
    if (moved) { await fsyncDir(outDir); killPoint('transcript-key.renamed'); }
    const shredded = await shredFile(aside, () => killPoint('transcript-key.overwritten'));
    if (shredded) await fsyncDir(outDir);
    return moved || shredded;
  } catch (e) {
    throw fail(e);
  }
}

/** Finishes a destruction a crash interrupted (the key file renamed aside); the key under its own name is left alone. */
export async function finishKeyDestruction(outDir: string): Promise<void> {
  if (await shredFile(path.join(outDir, DESTROYING)).catch(() => false)) await fsyncDir(outDir);
}
