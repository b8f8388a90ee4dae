/**
 * Sealing a run, in an order that survives a crash at any point:
 *   1. `ceremony.sealed`, saying the transcript key is destroyed right after the final checkpoint;
 *   2. the final checkpoint, signed by the transcript key (and the new key, proof of possession);
 *   3. the transcript key destroyed (overwritten, fsynced, unlinked, folder fsynced);
 *   4. each witness with a recorded key cosigns that final checkpoint (checked against the key);
 *   5. exports (report.html, public-key.pem).
 * Every stage looks at the folder first, so a resumed run does only what is missing, and nothing
 * after (1) appends to the journal or needs the transcript key again.
 */
import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { KeyriteError } from '../util/errors';
import type { Journal } from '../transcript/journal';
import type { CeremonySealedData } from '../transcript/entry-kinds';
import { cosignCheckpoint, LATEST_CHECKPOINT, parseCheckpoint } from '../transcript/checkpoint';
import { cosignNote, openNote, parseNote } from '../transcript/note';
import { parseVerifierKey, type NoteSigner, type NoteVerifier } from '../transcript/note-keys';
import { writeExports } from '../transcript/exports';
import { destroyTranscriptKey, TRANSCRIPT_KEY_FILE } from './run-keys';
import type { CeremonyScript } from './script-schema';

/** A witness whose note verifier key the script records: they cosign the final checkpoint. */
export interface KeyedWitness {
  name: string;
  verifierKey: string;
}

/** Gives the signer a witness cosigns with (their key file, or their card); asked only at the seal. */
export type WitnessCosigner = (witness: KeyedWitness) => Promise<NoteSigner>;

export function keyedWitnesses(script: CeremonyScript): KeyedWitness[] {
  return script.participants.flatMap((p) => (p.role === 'witness' && p.key ? [{ name: p.name, verifierKey: p.key }] : []));
}

export interface SealDeps {
  outDir: string;
  journal: Journal;
  script: CeremonyScript;
  /** Writes a checkpoint of the whole journal with the run's signers. */
  checkpoint: () => Promise<void>;
  cosigner?: WitnessCosigner;
  actor: { role: string; name: string };
  /** Note key name of the key this ceremony made: the final checkpoint must carry its signature (proof of possession). */
  proofName?: string;
}

/** Whether the note carries a signature line by the named signer (checked cryptographically by the verifier). */
export function noteSignedBy(note: string | undefined, name: string): boolean {
  if (!note) return false;
  try {
    return parseNote(note).signatures.some((s) => s.name === name);
  } catch {
    return false;
  }
}

/**
 * Whether the seal still needs the new key's signature on the final checkpoint (a run resumed
 * after a crash inside the seal has no token session): the runner then asks for the PIN.
 */
export async function sealNeedsProof(outDir: string, journal: Journal, proofName: string | undefined): Promise<boolean> {
  if (!proofName) return false;
  if (!journal.entries().some((e) => e.kind === 'ceremony.sealed')) return true;
  const note = await latestNote(outDir);
  return !note || parseCheckpoint(parseNote(note).text).size !== journal.size || !noteSignedBy(note, proofName);
}

async function latestNote(outDir: string): Promise<string | undefined> {
  return fsp.readFile(path.join(outDir, LATEST_CHECKPOINT), 'utf8').catch(() => undefined);
}

function hasValidSignature(note: string, verifier: NoteVerifier): boolean {
  try {
    return openNote(note, [verifier]).verified.length > 0;
  } catch {
    return false;
  }
}

/** Runs whatever stages of the seal are not yet done. Returns true when anything changed. */
export async function finishSeal(d: SealDeps): Promise<boolean> {
  let changed = false;
  if (!d.journal.entries().some((e) => e.kind === 'ceremony.sealed')) {
    const data = {
      entries: d.journal.size, outcome: 'completed', exports: ['transcript.jsonl', 'checkpoint.note', 'report.html'],
      transcriptKey: d.journal.entries().some((e) => e.kind === 'transcript.key-handover')
        ? { token: 'handed over at login (transcript.key-handover)', disposal: 'stays on the token, sign-only; the key file was destroyed at the handover' }
        : { file: TRANSCRIPT_KEY_FILE, disposal: 'destroyed right after the final checkpoint: no later checkpoint can carry its signature' },
      witnessCosigners: keyedWitnesses(d.script).map((w) => w.name),
    };
    await d.journal.append({ kind: 'ceremony.sealed', step: '-', actor: d.actor, data: data as CeremonySealedData });
    changed = true;
  }
  let note = await latestNote(d.outDir);
  const final = (n: string | undefined) => n !== undefined && parseCheckpoint(parseNote(n).text).size === d.journal.size;
  if (!final(note) || (d.proofName && !noteSignedBy(note, d.proofName))) {
    await d.checkpoint(); // the same size again only merges signatures
    changed = true;
    note = await latestNote(d.outDir);
  }
  if (!final(note)) {
    throw new KeyriteError('SEAL_CHECKPOINT_MISSING', 'The final checkpoint could not be signed: the transcript key is on the token and no session is open.', {
      action: 'Log in to the token again (enter the PIN) so that the transcript key signs the final checkpoint.',
    });
  }
  if (d.proofName && !noteSignedBy(note, d.proofName)) {
    // Destroying the transcript key now would leave a final checkpoint that can never prove possession.
    throw new KeyriteError('SEAL_PROOF_MISSING', `The final checkpoint lacks the signature of ${d.proofName} (proof of possession): the token session is gone.`, {
      action: 'Log in to the token again (enter the PIN) so that the key signs the final checkpoint; the transcript key is kept until it has.',
    });
  }
  if (await destroyTranscriptKey(d.outDir)) changed = true;
  if (await cosignWitnesses(d)) changed = true;
  if (changed || !existsSync(path.join(d.outDir, 'report.html'))) await writeExports(d.outDir);
  return changed;
}

/** Each keyed witness cosigns the final checkpoint; a key other than the one recorded is refused, naming the witness. */
async function cosignWitnesses(d: SealDeps): Promise<boolean> {
  let changed = false;
  for (const w of keyedWitnesses(d.script)) {
    const verifier = parseVerifierKey(w.verifierKey);
    const note = (await latestNote(d.outDir)) ?? '';
    if (hasValidSignature(note, verifier)) continue;
    if (!d.cosigner) {
      throw new KeyriteError('WITNESS_COSIGNER_MISSING', `Witness ${w.name} must cosign the final checkpoint with their key, and this run has no way to ask for it.`, {
        action: 'Finish the ceremony with `keyrite ceremony run SCRIPT --out DIR` (the same folder), giving the witness key files in the inputs file or on the prompt.',
      });
    }
    const signer = await d.cosigner(w);
    await assertWitnessSigner(w, signer, note);
    await cosignCheckpoint(d.outDir, [signer]);
    changed = true;
  }
  return changed;
}

function mismatch(w: KeyedWitness, detail: string): KeyriteError {
  return new KeyriteError('WITNESS_KEY_MISMATCH', `The key given for witness ${w.name} is not the key the script records for them (${w.verifierKey.split('+').slice(0, 2).join('+')}): ${detail}.`, {
    action: `${w.name} must cosign with their own key (the one in the script). Check the key file or card, then resume the run.`,
    details: { witness: w.name },
  });
}

/** Signs the note in memory and checks the signature against the recorded verifier key before anything is written. */
export async function assertWitnessSigner(w: KeyedWitness, signer: NoteSigner, note: string): Promise<void> {
  const verifier = parseVerifierKey(w.verifierKey);
  if (signer.verifierKey !== undefined && signer.verifierKey !== w.verifierKey) throw mismatch(w, `it is ${signer.name}+${signer.verifierKey.split('+')[1] ?? ''}`);
  if (signer.name !== verifier.name || signer.keyHash !== verifier.keyHash) throw mismatch(w, `its name or key id differs (${signer.name})`);
  if (!note) return;
  const cosigned = await cosignNote(note, [signer]);
  if (!hasValidSignature(cosigned, verifier)) throw mismatch(w, 'its signature does not verify with the recorded key');
}
