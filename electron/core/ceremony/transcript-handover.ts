/**
 * The transcript key's handover to the token. Steps before login are signed by the per-ceremony
 * key file recorded in ceremony.start; at the login step, a token that lists Ed25519 makes a
 * sign-only, non-extractable Ed25519 key (CKA_ID chosen and journaled before the call), the
 * `transcript.key-handover` entry records its verifier key, the next checkpoint is signed by both
 * keys, and the file key is destroyed right after it (run-keys.ts). A token without Ed25519 keeps
 * the file key until the seal. A resumed login step finds an interrupted generation by its CKA_ID
 * and never generates twice.
 */
import { randomBytes } from 'node:crypto';
import { KeyriteError } from '../util/errors';
import { tokenNoteSigner } from '../transcript/note-token';
import { transcriptNoteName } from './transcript-key-file';
import { ENTRY_KINDS } from '../transcript/entry-kinds';
import type { RunRead, JournalAppend, IrreversibleOps, TokenSession, Progress } from './step-context';
import type { StepFact } from './engine';

export const TRANSCRIPT_KEYGEN_OPERATION = 'generateTranscriptKeyPair';

export function transcriptKeyLabel(ceremonyId: string): string {
  return `keyrite-transcript-${ceremonyId}`;
}

/** Whether the logged-in token can generate and sign with Ed25519 (its mechanism list). */
async function tokenHasEd25519(ctx: RunRead & TokenSession): Promise<boolean> {
  const t = ctx.facts.token;
  const slots = await ctx.token().listSlots();
  const slot = slots.find((s) => s.token && t && s.token.serial === t.serial && s.token.label === t.label);
  return slot?.token?.algorithms.includes('ed25519') ?? false;
}

/** Performs (or finishes) the handover; returns the facts the login step shows, none when the token lacks Ed25519. */
export async function handOverTranscriptKey(ctx: RunRead & JournalAppend & IrreversibleOps & TokenSession & Progress): Promise<StepFact[]> {
  const label = transcriptKeyLabel(ctx.script.id);
  const done = ctx.stepEntries().find((e) => e.kind === ENTRY_KINDS.transcriptHandover);
  if (done) return factsOf(done.data as { ckaId: string; verifierKey: string });
  const token = ctx.token();
  const session = ctx.session();
  let made: string | undefined;
  for (const open of ctx.intents(TRANSCRIPT_KEYGEN_OPERATION, 'open')) {
    const id = String(open.detail.ckaId);
    const found = await token.findKeys(session, { id, class: 'private' });
    await ctx.resolveIntent(open.opId, found.length > 0, { found: found.length, note: 'looked up by CKA_ID after an interruption' });
    if (found.length > 0) made = id;
  }
  if (!made) {
    // An earlier attempt of this step whose result said failed may still have made the key.
    for (const e of ctx.intents(TRANSCRIPT_KEYGEN_OPERATION)) {
      const id = String(e.detail.ckaId);
      if ((await token.findKeys(session, { id, class: 'private' })).length > 0) made = id;
    }
  }
  if (!made) {
    if (!(await tokenHasEd25519(ctx))) return [];
    if ((await token.findKeys(session, { label })).length > 0) {
      throw new KeyriteError('TRANSCRIPT_KEY_LABEL_IN_USE', `The token already holds a key labelled "${label}" that this run did not make.`, {
        action: 'Use a fresh token (or delete that object after checking where it came from), then log in again.',
      });
    }
    const id = randomBytes(16).toString('hex');
    ctx.progress('Generating the transcript key (Ed25519) on the token', null);
    await ctx.irreversible(TRANSCRIPT_KEYGEN_OPERATION, { ckaId: id, label, algorithm: 'ed25519', usage: 'sign', extractable: false, token: ctx.facts.token },
      () => token.generateKeyPair(session, { algorithm: 'ed25519', label, id, extractableForBackup: false, usage: 'sign' }),
      (p) => ({ id: p.id }));
    made = id;
  }
  const ref = { id: made, label };
  const signer = await tokenNoteSigner(token, session, ref, 'ed25519', transcriptNoteName(ctx.script.id));
  const proof = await token.readKeyProof(session, ref);
  const data = {
    verifierKey: signer.verifierKey, ckaId: made, label, algorithm: 'ed25519' as const,
    token: ctx.facts.token ? { label: ctx.facts.token.label, serial: ctx.facts.token.serial } : { label: '', serial: '' },
    proof: { local: proof.local, sensitive: proof.sensitive, extractable: proof.extractable, neverExtractable: proof.neverExtractable, sign: proof.sign },
    previous: { source: 'file' as const, disposal: 'destroyed right after the next checkpoint, which both keys sign' },
  };
  await ctx.append({ kind: ENTRY_KINDS.transcriptHandover, actor: { role: 'system', name: 'keyrite' }, data });
  return factsOf(data);
}

function factsOf(d: { ckaId: string; verifierKey: string }): StepFact[] {
  return [
    { label: 'Transcript key', value: 'handed over to the token (Ed25519); the key file is destroyed after this step' },
    { label: 'Transcript key CKA_ID', value: d.ckaId, mono: true },
    { label: 'Transcript verifier key', value: d.verifierKey, mono: true },
  ];
}
