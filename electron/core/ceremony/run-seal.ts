/**
 * Sealing a run, in an order that survives a crash at any point:
 *   1. `ceremony.sealed`, saying the transcript key is destroyed right after the final checkpoint;
 *   2. the final checkpoint, signed by the transcript key (and the new key, proof of possession);
 *   3. the transcript key destroyed (overwritten, fsynced, unlinked, folder fsynced);
 *   4. each witness with a recorded key cosigns that final checkpoint (checked against the key),
 *      one at a time: the runner asks for each through the `witness-cosign` need;
 *   5. exports (report.html, public-key.pem), once the last witness has cosigned.
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
import { hashHex, parseVerifierKey, type NoteSigner, type NoteVerifier } from '../transcript/note-keys';
import { writeExports } from '../transcript/exports';
import { destroyTranscriptKey, TRANSCRIPT_KEY_FILE } from './run-keys';
import type { CeremonyScript } from './script-schema';
import type { RunInput, RunNeed } from './run-types';

/** A witness whose note verifier key the script records: they cosign the final checkpoint. */
export interface KeyedWitness {
  name: string;
  verifierKey: string;
}

/** Gives the signer a witness cosigns with (their key file, or their card); asked only at the seal. */
export type WitnessCosigner = (witness: KeyedWitness) => Promise<NoteSigner>;

/** The witness's own token (serial, PIN for one login): `use` gets the signer of the recorded key there; the session is closed after. */
export type WitnessTokenSigning = (witness: KeyedWitness, token: { tokenSerial: string; pin: string }, use: (signer: NoteSigner) => Promise<void>) => Promise<void>;

export function keyedWitnesses(script: CeremonyScript): KeyedWitness[] {
  return script.participants.flatMap((p) => (p.role === 'witness' && p.key ? [{ name: p.name, verifierKey: p.key }] : []));
}

export interface SealDeps {
  outDir: string;
  journal: Journal;
  script: CeremonyScript;
  /** Writes a checkpoint of the whole journal with the run's signers. */
  checkpoint: () => Promise<void>;
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

/** Stages 1 to 3 of the seal, whichever are not yet done. Returns true when anything changed. */
export async function sealFinalCheckpoint(d: SealDeps): Promise<boolean> {
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
  return changed;
}

/** Which keyed witnesses have cosigned the final checkpoint (a valid signature by the recorded key), in script order. */
export async function witnessCosignState(outDir: string, script: CeremonyScript): Promise<{ cosigned: string[]; pending: KeyedWitness[] }> {
  const note = (await latestNote(outDir)) ?? '';
  const cosigned: string[] = [], pending: KeyedWitness[] = [];
  for (const w of keyedWitnesses(script)) {
    if (hasValidSignature(note, parseVerifierKey(w.verifierKey))) cosigned.push(w.name);
    else pending.push(w);
  }
  return { cosigned, pending };
}

/** The need for the next witness still to cosign, or null when all have. */
export function witnessCosignNeed(state: { cosigned: string[]; pending: KeyedWitness[] }): Extract<RunNeed, { kind: 'witness-cosign' }> | null {
  const next = state.pending[0];
  if (!next) return null;
  const v = parseVerifierKey(next.verifierKey);
  return { kind: 'witness-cosign', witness: next.name, keyName: v.name, keyId: hashHex(v.keyHash), cosigned: [...state.cosigned], pending: state.pending.map((w) => w.name), keyType: v.type === 'ed25519' || v.type === 'cosignature/v1' ? 'ed25519' : 'keyrite.spki/v1', tries: null };
}

/** One witness cosigns the final checkpoint; a key other than the one recorded is refused, naming the witness, and nothing is written. */
export async function cosignWitness(outDir: string, w: KeyedWitness, cosigner: WitnessCosigner | undefined): Promise<void> {
  if (!cosigner) {
    throw new KeyriteError('WITNESS_COSIGNER_MISSING', `Witness ${w.name} must cosign the final checkpoint with their key, and this run has no way to ask for it.`, {
      action: 'Finish the ceremony with `keyrite ceremony run SCRIPT --out DIR` (the same folder), giving the witness key files in the inputs file or on the prompt.',
      details: { witness: w.name },
    });
  }
  if (!['ed25519', 'cosignature/v1'].includes(parseVerifierKey(w.verifierKey).type)) {
    // Only Ed25519 keys are ever key files: an ECDSA/RSA witness key lives on a token.
    throw new KeyriteError('WITNESS_TOKEN_REQUIRED', `Witness ${w.name}'s recorded key is an ECDSA/RSA key, which only their token holds: it cannot be a key file.`, {
      action: `${w.name}: connect your token, choose it and enter its PIN to cosign.`,
      details: { witness: w.name },
    });
  }
  await cosignWith(outDir, w, await cosigner(w));
}

async function cosignWith(outDir: string, w: KeyedWitness, signer: NoteSigner): Promise<void> {
  await assertWitnessSigner(w, signer, (await latestNote(outDir)) ?? '');
  await cosignCheckpoint(outDir, [signer]);
}

/**
 * Asks the keyed witnesses in turn (`show` sets the run's need): with a `witness-cosign` input for
 * the witness asked, that witness cosigns (on their own token when the input names it, else through
 * the cosigner, by key file). A refused or cancelled cosignature throws with the need
 * still shown, so the same witness tries again. `waiting` while any witness is still to cosign.
 */
export async function cosignWitnesses(outDir: string, script: CeremonyScript, input: RunInput | undefined, cosigner: WitnessCosigner | undefined, show: (need: RunNeed) => void, onToken?: WitnessTokenSigning): Promise<{ waiting: boolean; changed: boolean }> {
  let pending = input, changed = false;
  for (;;) {
    const state = await witnessCosignState(outDir, script);
    const need = witnessCosignNeed(state);
    if (!need) return { waiting: false, changed };
    show(need);
    if (pending?.kind !== 'witness-cosign') return { waiting: true, changed };
    if (pending.witness !== need.witness) {
      throw new KeyriteError('INPUT_NOT_EXPECTED', `It is ${need.witness}'s turn to cosign, not ${pending.witness}'s.`, { action: 'Follow the order on screen.' });
    }
    const w = state.pending[0]!, token = pending.token;
    pending = undefined;
    if (!token) await cosignWitness(outDir, w, cosigner);
    else if (!onToken) throw new KeyriteError('WITNESS_TOKEN_UNAVAILABLE', `This run cannot reach ${w.name}'s token.`, { action: `${w.name}: cosign with your key file instead.`, details: { witness: w.name } });
    else await onToken(w, token, (signer) => cosignWith(outDir, w, signer));
    changed = true;
  }
}

/** Stage 5: the exports, written when the seal changed anything or they are missing. */
export async function writeSealExports(outDir: string, changed: boolean): Promise<void> {
  if (changed || !existsSync(path.join(outDir, 'report.html'))) await writeExports(outDir);
}

function mismatch(w: KeyedWitness, detail: string): KeyriteError {
  return new KeyriteError('WITNESS_KEY_MISMATCH', `The key given for witness ${w.name} is not the key the script records for them (${w.verifierKey.split('+').slice(0, 2).join('+')}): ${detail}.`, {
    action: `${w.name} must cosign with their own key (the one in the script). Choose their own key file or token and cosign again (on the command line: give it and run the same command again).`,
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
