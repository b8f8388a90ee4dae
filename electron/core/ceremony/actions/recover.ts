/**
 * Entering shares (words, QR, an age file, a file opened on the custodian's token), each checked on
 * entry against the backup, and the recovery step that restores the key from them. An interrupted
 * recovery is reconciled by looking the key up on the token by its CKA_ID, never by restoring it again.
 */
import { KeyriteError } from '../../util/errors';
import { parseBackupFile, RecoverySession, SHARE_WORDS, type BackupFile, type ShareInput } from '../../shares';
import { enteredShareToInput } from '../../shares/share-input';
import { ENTRY_KINDS } from '../../transcript/entry-kinds';
import { openOnCustodianToken } from './delivery';
import type { EnteredShare } from '../run-view';
import type { RunInput } from '../run-types';
import type { ActionHandler, StepOutcome, RunRead, JournalAppend, IrreversibleOps, TokenSession, OtherTokens, StepScratch, Progress } from '../step-context';
import { subjectKey } from './keygen';
import { lockKey, locksHere } from './lock';

/** Scratch key of the shares entered so far. */
export const RECOVERY = 'recovery';

/** A share as entered in a run; a token-held share is opened on the custodian's token (one login, closed after). */
export async function toShareInput(ctx: RunRead & OtherTokens, input: EnteredShare): Promise<ShareInput> {
  return enteredShareToInput(input, (serial, pin, content) => openOnCustodianToken(ctx, serial, pin, content));
}

function priorBackup(ctx: RunRead): BackupFile {
  if (!ctx.prior?.backupText) throw new KeyriteError('BACKUP_MISSING', 'This ceremony needs the backup file of the key.', { action: 'Run with --from the folder holding backup.json.' });
  return parseBackupFile(ctx.prior.backupText);
}

/** Collects shares one by one (each checked on entry) until k are in. */
export async function collectShares(ctx: RunRead & JournalAppend & OtherTokens & StepScratch, input: RunInput | undefined): Promise<RecoverySession | { need: StepOutcome }> {
  let rs = ctx.scratch.get(RECOVERY) as RecoverySession | undefined;
  if (!rs) { rs = new RecoverySession(priorBackup(ctx)); ctx.scratch.set(RECOVERY, rs); }
  if (input?.kind === 'share-input') {
    const accepted = rs.add(await toShareInput(ctx, input.share));
    const refusal = unlistedCustodian(ctx, accepted.custodian, accepted.index);
    if (refusal) { rs.remove(accepted.index); throw refusal; }
    await ctx.append({ kind: ENTRY_KINDS.shareAccepted, actor: { role: 'custodian', name: accepted.custodian }, data: { ...accepted, splitId: rs.backup.split.id } });
  }
  const p = rs.progress;
  const accepted = rs.accepted.map((a) => ({ custodian: a.custodian, index: a.index }));
  if (!p.complete) return { need: { need: { kind: 'share-input', received: p.have, needed: p.need, wordCount: SHARE_WORDS, accepted } } };
  return rs;
}

/** Whose shares rebuilt the key, from the journal (so a resumed step still says it). */
function sharesAcceptedFact(ctx: JournalAppend): { label: string; value: string }[] {
  const got = ctx.stepEntries().filter((e) => e.kind === ENTRY_KINDS.shareAccepted).map((e) => e.data as { custodian: string; index: number });
  return got.length > 0 ? [{ label: 'Shares from', value: got.map((g) => `${g.custodian} (#${g.index})`).join(', ') }] : [];
}

/**
 * A share from someone the signed script does not name as a custodian is refused: the witnesses
 * attest to the script's list, so an unlisted holder takes part only through a recorded deviation
 * that names them (recorded in this step, so the step's attestation covers it).
 */
function unlistedCustodian(ctx: RunRead & JournalAppend, custodian: string, index: number): KeyriteError | undefined {
  const listed = ctx.script.participants.filter((p) => p.role === 'custodian').map((p) => p.name);
  if (listed.includes(custodian)) return undefined;
  const named = new RegExp(`(^|[^\\p{L}])${custodian.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'iu');
  const allowed = ctx.stepEntries().some((e) => e.kind === 'deviation' && named.test(`${String((e.data as { who?: unknown }).who ?? '')} ${String((e.data as { why?: unknown }).why ?? '')}`));
  if (allowed) return undefined;
  return new KeyriteError('SHARE_CUSTODIAN_NOT_LISTED', `This is ${custodian}'s share (#${index}), but the script lists ${listed.length > 0 ? listed.join(', ') : 'no custodians'} as the custodians of this ceremony.`, {
    action: `Ask a listed custodian for their share; or, if ${custodian} is to take part, record a deviation naming ${custodian} and why, and enter the share again.`,
  });
}

export const recoverStep: ActionHandler<RunRead & JournalAppend & IrreversibleOps & TokenSession & OtherTokens & StepScratch & Progress> = {
  needsSession: true,
  async advance(ctx, input) {
    const backup = priorBackup(ctx);
    const key = backup.sealed.key;
    const token = ctx.token();
    const session = ctx.session();
    let restored = false;
    for (const open of ctx.intents('recoverInto', 'open')) {
      const found = await token.findKeys(session, { id: String(open.detail.ckaId), class: 'private' });
      await ctx.resolveIntent(open.opId, found.length > 0, { found: found.length, note: 'looked up by CKA_ID after an interruption' });
      restored ||= found.length > 0;
    }
    restored ||= ctx.intents('recoverInto', 'ok').length > 0;
    if (!restored) {
      const got = await collectShares(ctx, input);
      if ('need' in got) return got.need;
      await ctx.irreversible('recoverInto', { ckaId: key.id, label: ctx.script.key.label, token: ctx.facts.token },
        () => got.recoverInto(token, session, { label: ctx.script.key.label, id: key.id, extractable: ctx.script.steps.some((s) => s.action === 'backup') }),
        (r) => ({ proof: r.proof }));
      got.dispose();
      ctx.scratch.delete(RECOVERY);
      restored = true;
    }
    if (!ctx.stepEntries().some((e) => e.kind === ENTRY_KINDS.keyRestored)) await ctx.append({ kind: ENTRY_KINDS.keyRestored, data: { id: key.id, label: ctx.script.key.label, fingerprint: subjectKey(ctx).fingerprint, token: ctx.facts.token, fromBackup: backup.split.id } });
    // Restored keys are locked the same way as generated ones, unless a backup step still has to wrap it.
    const subject = { ...subjectKey(ctx), id: key.id, label: ctx.script.key.label };
    const locked = locksHere(ctx) ? await lockKey(ctx, subject, { restored: true }) : [];
    return { performed: [{ label: 'Restored', value: `${ctx.script.key.label} (CKA_ID ${key.id}) on ${ctx.facts.token?.label ?? 'the token'}` }, ...sharesAcceptedFact(ctx), { label: 'Proof', value: 'a fresh challenge signed on the token verified with the recorded public key' }, ...locked] };
  },
};

