/**
 * The recovery channels: share entry against a backup file, each share checked on entry, the
 * wrapping key rebuilt and checked once k are in. A share on a custodian's token is opened there
 * (one login, closed after); the PIN is never returned.
 */
import { wordlist } from '@scure/bip39/wordlists/english.js';
import type { RecoveryView, WordCheck } from '../../contract/recovery-views';
import { lookupWord, openTokenShareOnToken, parseBackupFile, RecoverySession, SHARE_WORDS, verifyBackupFile } from '../shares/index';
import { enteredShareToInput } from '../shares/share-input';
import { KeyriteError } from '../util/errors';
import type { ChannelImpls, ChannelsOf } from './dispatch';
import { withTokenApi, type CeremonyServices } from './ceremony-services';

/** Checks one typed word or prefix against the share word list (BIP-39 English, unique 4-letter prefixes). */
export function checkShareWord(input: string): WordCheck {
  const typed = input.trim().toLowerCase();
  if (typed === '') return { word: null, suggestions: [], unknown: false };
  const idx = lookupWord(typed);
  if (idx !== undefined) return { word: wordlist[idx] ?? null, suggestions: [], unknown: false };
  const suggestions = typed.length < 4 ? wordlist.filter((w) => w.startsWith(typed)) : [];
  return { word: null, suggestions: suggestions.slice(0, 8), unknown: suggestions.length === 0 };
}

interface OpenRecovery {
  id: string;
  session: RecoverySession;
}

function recoveryView(r: OpenRecovery, complete: boolean): RecoveryView {
  const { backup } = r.session;
  return {
    sessionId: r.id,
    ceremonyId: backup.sealed.ceremonyId,
    keyLabel: backup.sealed.key.label,
    k: backup.split.k,
    n: backup.split.n,
    wordCount: SHARE_WORDS,
    accepted: r.session.accepted.map((s, i) => ({ ordinal: i + 1, fingerprint: s.fingerprint, custodian: s.custodian, x: s.index })),
    complete,
    facts: complete ? [
      { label: 'Wrapping key', value: 'Rebuilt from the shares and matches its commitment in the backup' },
      { label: 'Key', value: `${backup.sealed.key.label} (${backup.sealed.key.algorithm}), id ${backup.sealed.key.id}`, mono: true },
      { label: 'Shares used', value: r.session.accepted.map((s) => `${s.custodian} (#${s.index})`).join(', ') },
    ] : [],
  };
}

/** Share entry against a backup file: each share checked on entry, the wrapping key rebuilt and checked at k. */
export function recoveryChannels(services: CeremonyServices | undefined): ChannelImpls<ChannelsOf<'recovery'>> {
  let open: OpenRecovery | null = null;
  let counter = 0;
  const current = (): OpenRecovery => {
    if (!open) throw new KeyriteError('RECOVERY_NOT_OPEN', 'No recovery is open.', { action: 'Choose the backup file first.' });
    return open;
  };
  return {
    'recovery/start': async ({ backupText }) => {
      const backup = parseBackupFile(backupText);
      verifyBackupFile(backup);
      open?.session.dispose();
      open = { id: `recovery-${++counter}`, session: new RecoverySession(backup) };
      return recoveryView(open, false);
    },
    'recovery/check-word': async ({ input }) => checkShareWord(input),
    'recovery/add-share': async (input) => {
      const r = current();
      r.session.add(await enteredShareToInput(input, (serial, pin, content) => withTokenApi(services, serial, (t) => openTokenShareOnToken(t, serial, pin, content))));
      if (!r.session.progress.complete) return recoveryView(r, false);
      try {
        await r.session.rebuild();
      } catch (e) {
        // A share that does not fit is taken back out, so the session stays usable with the others.
        const bad = e instanceof KeyriteError ? e.details?.bad : undefined;
        if (Array.isArray(bad)) for (const b of bad as { index: number }[]) r.session.remove(b.index);
        throw e;
      }
      return recoveryView(r, true);
    },
    'recovery/close': async () => {
      open?.session.dispose();
      open = null;
      return null;
    },
  };
}
