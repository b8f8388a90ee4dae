/**
 * Checkpoint signers. The transcript key is a per-ceremony Ed25519 note key kept in the ceremony
 * folder (transcript-key.secret, mode 0600) so that a resumed run signs with the same key; it only
 * ever signs checkpoints. Once the ceremony's key exists and a session is open, it cosigns every
 * checkpoint as proof of possession.
 */
import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import path from 'node:path';
import { generateNoteKey, keyFileSigner, type NoteSigner } from '../transcript/note-keys';
import { tokenNoteSigner } from '../transcript/note-token';
import { writeFileAtomic } from '../util/fs-durable';
import type { SessionId, TokenApi } from '../token/types';
import type { RunFacts } from './run-facts';

export const TRANSCRIPT_KEY_FILE = 'transcript-key.secret';

function noteName(ceremonyId: string): string {
  return `keyrite.transcript/${ceremonyId}`;
}

/** Makes the transcript key and returns its verifier key (for the ceremony.start entry). */
export async function generateKeyNoteFile(outDir: string, ceremonyId: string): Promise<string> {
  const { signerKey, verifierKey } = generateNoteKey(noteName(ceremonyId));
  await fsp.mkdir(outDir, { recursive: true });
  await writeFileAtomic(path.join(outDir, TRANSCRIPT_KEY_FILE), signerKey + '\n', { overwrite: false, mode: 0o600 });
  return verifierKey;
}

export async function transcriptSigners(outDir: string, token: TokenApi | undefined, session: SessionId | undefined, facts: RunFacts, ceremonyId: string): Promise<NoteSigner[]> {
  const file = path.join(outDir, TRANSCRIPT_KEY_FILE);
  const signers: NoteSigner[] = [];
  if (existsSync(file)) signers.push(keyFileSigner(readFileSync(file, 'utf8').trim()));
  const key = facts.successor ?? facts.key;
  if (token && session && key && !facts.keyGone) {
    try {
      signers.push(await tokenNoteSigner(token, session, { id: key.id, label: key.label }, key.algorithm, `keyrite.key/${ceremonyId}/${key.label}`));
    } catch {
      // A key not on this token (e.g. after destruction) simply does not cosign.
    }
  }
  return signers;
}
