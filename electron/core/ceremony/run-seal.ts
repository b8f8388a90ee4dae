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
import { existsSync } from 'node:fs';
import path from 'node:path';
import { KeyriteError } from '../util/errors';
import type { Journal } from '../transcript/journal';
import type { CeremonySealedData } from '../transcript/entry-kinds';
import { parseCheckpoint } from '../transcript/checkpoint';
import { parseNote } from '../transcript/note';
import { writeExports } from '../transcript/exports';
import { destroyTranscriptKey, TRANSCRIPT_KEY_FILE } from './transcript-key-file';
import type { CeremonyScript } from './script-schema';
import { cosignWitnesses, keyedWitnesses, latestNote } from './witness-cosign';
import { witnessTokenSigning } from './witness-keys';
import { administratorOf, SYSTEM } from './run-people';
import type { RunTokens } from './run-token';
import type { RunInput, RunNeed, WitnessCosigner } from './run-types';

// run-checks.ts and the IPC handlers name these here.
export { keyedWitnesses } from './witness-cosign';
export type { WitnessCosigner } from './run-types';

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

/** Stage 5: the exports, written when the seal changed anything or they are missing. */
export async function writeSealExports(outDir: string, changed: boolean): Promise<void> {
  if (changed || !existsSync(path.join(outDir, 'report.html'))) await writeExports(outDir);
}


/** What of the run the seal reaches. */
export interface SealRun {
  outDir: string;
  journal: Journal;
  script: CeremonyScript;
  tokens: RunTokens;
  witnessCosigner: WitnessCosigner | undefined;
  /** Note name of the proof of possession the final checkpoint needs (checkpoint-signers.ts proofNoteName). */
  proofName: string | undefined;
  /** Whether the seal changed anything since the exports were last written. */
  changed: { since: boolean };
  checkpoint(): Promise<void>;
  /** Logs in to the script's token, journaled. */
  login(pin: string): Promise<void>;
  show(need: RunNeed): void;
  pinNeed(): RunNeed;
}

/** Moves the seal on as far as it goes (idempotent: a resumed run finishes whatever stage a crash or a refusal left). */
export async function advanceSeal(run: SealRun, pending: RunInput | undefined): Promise<void> {
  const { outDir, journal, script, proofName } = run;
  if (!run.tokens.session && (await sealNeedsProof(outDir, journal, proofName))) {
    if (pending?.kind !== 'pin') return run.show(run.pinNeed());
    // After ceremony.sealed nothing may be journaled: the session for the proof is opened silently.
    if (journal.entries().some((e) => e.kind === 'ceremony.sealed')) await run.tokens.loginSilently(pending.pin);
    else await run.login(pending.pin);
    pending = undefined;
  }
  try {
    if (await sealFinalCheckpoint({ outDir, journal, script, checkpoint: run.checkpoint, actor: SYSTEM, ...(proofName ? { proofName } : {}) })) run.changed.since = true;
  } catch (e) {
    run.show(run.tokens.session ? { kind: 'confirm', who: administratorOf(script) } : run.pinNeed());
    throw e;
  }
  const witnesses = await cosignWitnesses(outDir, script, pending, run.witnessCosigner, run.show, witnessTokenSigning(script.token.module, (sel, pin) => run.tokens.openOther(sel, pin)));
  if (witnesses.changed) run.changed.since = true;
  if (witnesses.waiting) return;
  await writeSealExports(outDir, run.changed.since);
  run.show({ kind: 'done' });
}
