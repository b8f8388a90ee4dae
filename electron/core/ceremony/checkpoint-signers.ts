/**
 * Checkpoint signers: the transcript key (its file, or the token after the handover) and, once the
 * ceremony's key exists and a session is open, that key too, cosigning every checkpoint as proof of
 * possession.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { keyFileSigner, type NoteSigner } from '../transcript/note-keys';
import { rootNoteName, tokenNoteSigner } from '../transcript/note-token';
import { writeCheckpoint } from '../transcript/checkpoint';
import type { Journal } from '../transcript/journal';
import { KeyriteError } from '../util/errors';
import type { SessionId, TokenApi } from '../token/types';
import type { RunFacts } from './run-facts';
import type { CeremonyScript } from './script-schema';
import { destroyTranscriptKey, TRANSCRIPT_KEY_FILE, transcriptNoteName } from './transcript-key-file';

const noteName = transcriptNoteName;

/**
 * The note name the key made in this ceremony signs checkpoints under, when the seal needs its
 * proof of possession on the final checkpoint (`sealNeedsSession`: the seal handler needs the token for it).
 */
export function proofNoteName(script: CeremonyScript, facts: RunFacts, sealNeedsSession: boolean): string | undefined {
  const key = facts.successor ?? facts.key;
  if (sealNeedsSession && key && !facts.keyGone) return rootNoteName(key.label);
  // A transcript key on the token also needs a session for the final checkpoint.
  return facts.transcriptToken ? noteName(script.id) : undefined;
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
