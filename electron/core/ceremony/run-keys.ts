/**
 * Checkpoint signers. The transcript key is a per-ceremony Ed25519 note key kept in the ceremony
 * folder (transcript-key.secret, mode 0600) so that a resumed run signs with the same key; it only
 * ever signs checkpoints, and it is destroyed right after the final checkpoint (the folder is what
 * auditors receive and archive: a secret left in it would let anyone holding it sign a forged
 * checkpoint). Once the ceremony's key exists and a session is open, it cosigns every checkpoint as
 * proof of possession.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { generateNoteKey, keyFileSigner, type NoteSigner } from '../transcript/note-keys';
import { rootNoteName, tokenNoteSigner } from '../transcript/note-token';
import { writeCheckpoint } from '../transcript/checkpoint';
import type { Journal } from '../transcript/journal';
import { fsyncDir, writeFileAtomic } from '../util/fs-durable';
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

/** Makes the transcript key and returns its verifier key (for the ceremony.start entry). */
export async function generateKeyNoteFile(outDir: string, ceremonyId: string): Promise<string> {
  const { signerKey, verifierKey } = generateNoteKey(noteName(ceremonyId));
  await fsp.mkdir(outDir, { recursive: true });
  await writeFileAtomic(path.join(outDir, TRANSCRIPT_KEY_FILE), signerKey + '\n', { overwrite: false, mode: 0o600 });
  return verifierKey;
}

/**
 * Destroys the transcript key: its bytes are overwritten and fsynced before the file is unlinked and
 * the folder fsynced, so neither the name nor (on a file system that writes in place) the seed
 * survives. Returns whether there was a key to destroy; calling it again is harmless.
 */
export async function destroyTranscriptKey(outDir: string): Promise<boolean> {
  const file = path.join(outDir, TRANSCRIPT_KEY_FILE);
  let fh: FileHandle;
  try {
    fh = await fsp.open(file, 'r+');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new KeyriteError('TRANSCRIPT_KEY_DESTROY_FAILED', `Cannot open the transcript key ${file} to destroy it: ${(e as Error).message}`, { action: `Delete ${file} by hand (shred -u), then keep the folder.` });
  }
  try {
    const { size } = await fh.stat();
    await fh.write(randomBytes(Math.max(size, 1)), 0, Math.max(size, 1), 0);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fsp.unlink(file);
  await fsyncDir(outDir);
  return true;
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
