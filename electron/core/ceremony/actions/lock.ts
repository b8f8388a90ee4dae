/**
 * Locking the ceremony's key: an irreversible operation of its own (intent before, result after),
 * run at the end of the last step that needs the key extractable (the backup once every share is
 * verified; else the step that made or restored it), then a strict read-back of its attributes
 * journaled as the key's final proof (`key.locked`) and checked against the policy.
 *
 * An interrupted lock is reconciled by reading the key's attributes, never by wrapping it again.
 * The seal refuses a ceremony whose key has no such proof or still reads extractable.
 */
import { KeyriteError } from '../../util/errors';
import type { KeyLockResult, KeyProof, LockStep } from '../../token/types';
import { describeFailing, failingAttributes, type FailingAttribute } from '../key-attributes';
import type { KeyInfo } from '../run-facts';
import { ENTRY_KINDS } from '../../transcript/entry-kinds';
import { keyRefOf, type RunRead, type JournalAppend, type IrreversibleOps, type TokenSession, type Progress } from '../step-context';
import type { StepFact } from '../engine';

export const LOCK_OPERATION = 'lockKey';

interface KeyLockedData {
  id: string;
  label: string;
  fingerprint: string;
  proof: Record<string, boolean | string>;
  lock: LockStep[];
  required: string[];
  failing?: FailingAttribute[];
}

/** Whether the current step is where the key is locked: no later step wraps it for a backup. */
export function locksHere(ctx: RunRead): boolean {
  const at = ctx.script.steps.findIndex((s) => s.id === ctx.step.id);
  return !ctx.script.steps.slice(at + 1).some((s) => s.action === 'backup');
}

function keyNotLocked(key: KeyInfo, why: string): KeyriteError {
  return new KeyriteError('KEY_NOT_LOCKED', `Key "${key.label}" is not locked in the token: ${why}. The ceremony does not seal while its key can be exported.`, {
    action: 'Resume the run so the lock is done (the backup step, or the step that made or restored the key, locks it). If the token refuses the lock, record a deviation and destroy the key.',
    details: { id: key.id, label: key.label },
  });
}

function proofRecord(proof: KeyProof): Record<string, boolean | string> {
  return Object.fromEntries(Object.entries(proof).filter(([, v]) => v !== undefined)) as Record<string, boolean | string>;
}

/** Locks the step's subject key (once), journals its final proof, and refuses a proof that breaks policy. */
export async function lockKey(ctx: RunRead & JournalAppend & IrreversibleOps & TokenSession & Progress, key: KeyInfo, opts: { restored: boolean }): Promise<StepFact[]> {
  const token = ctx.token();
  const session = ctx.session();
  const ref = keyRefOf(key);
  let data = ctx.stepEntries().find((e) => e.kind === ENTRY_KINDS.keyLocked && (e.data as KeyLockedData).id === key.id)?.data as KeyLockedData | undefined;
  if (!data) {
    for (const open of ctx.intents(LOCK_OPERATION, 'open')) {
      const now = await token.readKeyProof(session, ref);
      await ctx.resolveIntent(open.opId, !now.extractable, { extractable: now.extractable, note: 'read the key\'s attributes after an interruption; the key was not wrapped again' });
    }
    const locked = ctx.intents(LOCK_OPERATION, 'ok').length > 0;
    let steps: LockStep[] = [];
    if (!locked) {
      ctx.progress('Locking the key in the token', null);
      const result = await ctx.irreversible(LOCK_OPERATION, { ckaId: key.id, label: key.label, fingerprint: key.fingerprint, ...(ctx.facts.token ? { token: ctx.facts.token } : {}) },
        () => token.lockKey(session, ref), (r: KeyLockResult) => ({ steps: r.steps, extractable: r.extractable }));
      steps = result.steps;
    }
    const proof = await token.readKeyProof(session, ref);
    if (proof.extractable) throw keyNotLocked(key, 'it still reads CKA_EXTRACTABLE TRUE after the lock');
    const required = ctx.policy.classes[ctx.script.key.class]?.requiredAttributes ?? [];
    const failing = failingAttributes(proof, required, { stage: 'final', restored: opts.restored });
    data = { id: key.id, label: key.label, fingerprint: key.fingerprint, proof: proofRecord(proof), lock: steps, required: [...required], ...(failing.length > 0 ? { failing } : {}) };
    await ctx.append({ kind: ENTRY_KINDS.keyLocked, data: data as unknown as Record<string, unknown> });
  }
  if (data.failing && data.failing.length > 0) {
    throw new KeyriteError('KEY_PROOF_POLICY', `The key's final attributes break policy: ${describeFailing(data.failing)}.`, {
      action: 'Stop the ceremony and record a deviation: this key must not be used. Destroy it (and its backup), then generate it again on a token that gives these attributes, or have the security officer change the policy.',
      details: { failing: data.failing.map((f) => f.rule) },
    });
  }
  const refused = data.lock.filter((s) => s.outcome === 'refused' || s.outcome === 'unsupported');
  return [
    { label: 'Locked', value: `${key.label}: CKA_EXTRACTABLE FALSE, it can no longer be wrapped out of the token` },
    ...(refused.length > 0 ? [{ label: 'Not allowed by the token', value: refused.map((s) => `${s.attribute}${s.ckr ? ` (${s.ckr})` : ''}`).join(', ') }] : []),
    { label: 'Final proof', value: Object.entries(data.proof).map(([k, v]) => `${k}: ${String(v)}`).join(', ') },
  ];
}

/** The seal's check: the key has a journaled final proof, and (with a session) still reads locked now. */
export async function assertKeyLocked(ctx: RunRead & TokenSession, key: KeyInfo): Promise<void> {
  if (!ctx.facts.lockedKeys?.includes(key.id)) throw keyNotLocked(key, 'the transcript holds no final proof of its lock');
  let session;
  try {
    session = ctx.session();
  } catch {
    return; // A resumed seal without a token session relies on the journaled proof.
  }
  const now = await ctx.token().readKeyProof(session, keyRefOf(key));
  if (now.extractable) throw keyNotLocked(key, 'the token reads CKA_EXTRACTABLE TRUE');
}
