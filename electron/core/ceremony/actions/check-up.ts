/**
 * check-up: each custodian present proves, one at a time, that their share still matches the
 * backup: the share's envelope (checksum, ceremony, split) and its own commitment in backup.json.
 * The wrapping key is never rebuilt, so the check-up needs no quorum and no token. A wrong share is
 * recorded against the custodian it was entered for, and the check-up goes on with the next one:
 * finding bad shares is its purpose.
 */
import { KeyriteError, isKeyriteError } from '../../util/errors';
import { parseBackupFile } from '../../shares/backup-file';
import { decodeShareInput, SHARE_WORDS } from '../../shares';
import { matchShareToBackup } from '../../shares/share-input';
import type { ActionHandler, RunRead, JournalAppend, OtherTokens } from '../step-context';
import { SHARE_CHECKED_UP, type ShareCheckedUpData } from '../../lifecycle/check-ups';
import { toShareInput } from './recover';

function checked(ctx: JournalAppend): ShareCheckedUpData[] {
  return ctx.stepEntries().filter((e) => e.kind === SHARE_CHECKED_UP).map((e) => e.data as ShareCheckedUpData);
}

export const checkUpStep: ActionHandler<RunRead & JournalAppend & OtherTokens> = {
  needsSession: false,
  async advance(ctx, input) {
    if (!ctx.prior?.backupText) throw new KeyriteError('BACKUP_MISSING', 'A check-up needs the backup file of the key.', { action: 'Run with --from the folder holding backup.json.' });
    const backup = parseBackupFile(ctx.prior.backupText);
    const coming = ctx.script.participants.filter((p) => p.role === 'custodian').map((p) => p.name);
    const holders = new Set(backup.split.shares.map((s) => s.custodian));
    const strangers = coming.filter((c) => !holders.has(c));
    if (strangers.length > 0) throw new KeyriteError('CHECK_UP_NOT_A_CUSTODIAN', `${strangers.join(', ')} hold${strangers.length === 1 ? 's' : ''} no share of the current split ${backup.split.id}.`, { action: 'List only the current custodians (keyrite inventory shows them) in the check-up script.' });
    if (input?.kind === 'share-input') {
      const turn = coming.find((c) => !checked(ctx).some((d) => d.custodian === c));
      if (turn === undefined) throw new KeyriteError('CHECK_UP_DONE', 'Every custodian listed has been checked.', { action: 'Continue to the next step.' });
      let data: ShareCheckedUpData;
      try {
        const rec = matchShareToBackup(backup, decodeShareInput(await toShareInput(ctx, input.share)));
        data = rec.custodian === turn
          ? { custodian: turn, ok: true, splitId: backup.split.id, index: rec.index, fingerprint: rec.fingerprint }
          : { custodian: turn, ok: false, splitId: backup.split.id, error: { code: 'CHECK_UP_SOMEONE_ELSES_SHARE', message: `The share entered for ${turn} is ${rec.custodian}'s (#${rec.index}).` } };
      } catch (e) {
        if (!isKeyriteError(e)) throw e;
        data = { custodian: turn, ok: false, splitId: backup.split.id, error: { code: e.code, message: e.message } };
      }
      await ctx.append({ kind: SHARE_CHECKED_UP, actor: { role: 'custodian', name: turn }, data });
    }
    const done = checked(ctx);
    if (done.length < coming.length) return { need: { kind: 'share-input', received: done.length, needed: coming.length, wordCount: SHARE_WORDS } };
    const failed = done.filter((d) => !d.ok);
    return {
      performed: done.map((d) => ({ label: d.custodian, value: d.ok ? `share #${d.index} matches the backup (fingerprint ${d.fingerprint})` : `WRONG: ${d.error?.message ?? ''}` })),
      data: { splitId: backup.split.id, passed: done.filter((d) => d.ok).map((d) => d.custodian), failed: failed.map((d) => d.custodian) },
    };
  },
};
