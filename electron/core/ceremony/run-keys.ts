/**
 * Checkpoint signers. The transcript key is a per-ceremony Ed25519 note key kept in the ceremony
 * folder (transcript-key.secret, mode 0600) so that a resumed run signs with the same key; it only
 * ever signs checkpoints, and it is destroyed right after the final checkpoint (the folder is what
 * auditors receive and archive: a secret left in it would let anyone holding it sign a forged
 * checkpoint). Once the ceremony's key exists and a session is open, it cosigns every checkpoint as
 * proof of possession.
 */
import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { generateNoteKey, keyFileSigner, type NoteSigner } from '../transcript/note-keys';
import { rootNoteName, tokenNoteSigner } from '../transcript/note-token';
import { writeCheckpoint } from '../transcript/checkpoint';
import type { Journal } from '../transcript/journal';
import { fsyncDir, makePrivateDir, PRIVATE_FILE_MODE, shredFile } from '../util/fs-durable';
import { killPoint } from '../util/kill-point';
import { KeyriteError } from '../util/errors';
import type { SessionId, TokenApi } from '../token/types';
import type { RunFacts } from './run-facts';
import type { CeremonyScript } from './script-schema';
import type { ActionHandler } from './step-context';

/**
 * The note name the key made in this ceremony signs checkpoints under, when the seal needs its
 * proof of possession on the final checkpoint (the seal handler needs the token for it).
 */
export function proofNoteName(script: CeremonyScript, facts: RunFacts, sealHandler: ActionHandler): string | undefined {
  const needs = typeof sealHandler.needsSession === 'function' ? sealHandler.needsSession(script) : sealHandler.needsSession;
  const key = facts.successor ?? facts.key;
  if (needs && key && !facts.keyGone) return rootNoteName(key.label);
  // A transcript key on the token also needs a session for the final checkpoint.
  return facts.transcriptToken ? noteName(script.id) : undefined;
}

export const TRANSCRIPT_KEY_FILE = 'transcript-key.secret';

/** The note name the transcript key signs under, file key and token key alike (they differ by key hash). */
export function transcriptNoteName(ceremonyId: string): string {
  return `keyrite.transcript/${ceremonyId}`;
}
const noteName = transcriptNoteName;

/**
 * Makes the transcript key and returns its verifier key (for the ceremony.start entry). The key is
 * written straight to its own name (create-exclusive, 0600, fsync, folder fsync), never through a
 * temp file: a crash mid-write leaves it where the resumed run destroys it (an unstarted run), not
 * in a stray temp file nobody looks at.
 */
export async function generateKeyNoteFile(outDir: string, ceremonyId: string): Promise<string> {
  const { signerKey, verifierKey } = generateNoteKey(noteName(ceremonyId));
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

function missingKey(file: string): KeyriteError {
  // Never sign without it: a checkpoint lacking the transcript key's signature fails verification.
  return new KeyriteError('TRANSCRIPT_KEY_MISSING', `The ceremony's transcript key (${file}) is gone, so no further checkpoint can be signed.`, {
    action: 'The key is destroyed at the seal; if this ceremony is not sealed, its folder was tampered with: keep it as evidence and run the ceremony again in a new folder.',
  });
}

/**
 * The checkpoint's signers, or undefined when the transcript key is on the token and no session
 * is open (a resumed run before its next login): that checkpoint is left to the next one, which
 * covers the same entries. Before the handover: the key file. At the handover: the key file and
 * the token key (the file is then destroyed). After it: the token key alone.
 */
export async function transcriptSigners(outDir: string, token: TokenApi | undefined, session: SessionId | undefined, facts: RunFacts, ceremonyId: string): Promise<NoteSigner[] | undefined> {
  const file = path.join(outDir, TRANSCRIPT_KEY_FILE);
  const hasFile = existsSync(file);
  const signers: NoteSigner[] = [];
  const onToken = facts.transcriptToken;
  if (onToken) {
    if (!token || !session) return undefined;
    if (hasFile) signers.push(keyFileSigner(readFileSync(file, 'utf8').trim()));
    signers.push(await tokenNoteSigner(token, session, { id: onToken.id, label: onToken.label }, 'ed25519', noteName(ceremonyId)));
  } else {
    if (!hasFile) throw missingKey(file);
    signers.push(keyFileSigner(readFileSync(file, 'utf8').trim()));
  }
  const key = facts.successor ?? facts.key;
  if (token && session && key && !facts.keyGone) {
    try {
      signers.push(await tokenNoteSigner(token, session, { id: key.id, label: key.label }, key.algorithm, rootNoteName(key.label)));
    } catch {
      // A key not on this token (e.g. after destruction) simply does not cosign.
    }
  }
  return signers;
}

/** Writes a checkpoint with the run's signers; the handover checkpoint is followed at once by the file key's destruction. */
export async function writeRunCheckpoint(outDir: string, journal: Journal, token: TokenApi | undefined, session: SessionId | undefined, facts: RunFacts, ceremonyId: string): Promise<void> {
  const signers = await transcriptSigners(outDir, token, session, facts, ceremonyId);
  if (!signers) return;
  await writeCheckpoint(outDir, journal, signers);
  if (facts.transcriptToken) await destroyTranscriptKey(outDir);
}
