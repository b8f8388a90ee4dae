/**
 * Stage 4 of the seal (run-seal.ts): each witness whose key the script records cosigns the final
 * checkpoint, one at a time, each signature checked against the recorded key before it is written.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { KeyriteError } from '../util/errors';
import { cosignCheckpoint, LATEST_CHECKPOINT } from '../transcript/checkpoint';
import { cosignNote, openNote } from '../transcript/note';
import { hashHex, parseVerifierKey, type NoteSigner, type NoteVerifier } from '../transcript/note-keys';
import type { CeremonyScript } from './script-schema';
import type { KeyedWitness, RunInput, RunNeed, WitnessCosigner, WitnessTokenSigning } from './run-types';

export function keyedWitnesses(script: CeremonyScript): KeyedWitness[] {
  return script.participants.flatMap((p) => (p.role === 'witness' && p.key ? [{ name: p.name, verifierKey: p.key }] : []));
}


export async function latestNote(outDir: string): Promise<string | undefined> {
  return fsp.readFile(path.join(outDir, LATEST_CHECKPOINT), 'utf8').catch(() => undefined);
}

function hasValidSignature(note: string, verifier: NoteVerifier): boolean {
  try {
    return openNote(note, [verifier]).verified.length > 0;
  } catch {
    return false;
  }
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
