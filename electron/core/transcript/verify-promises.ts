/**
 * What a transcript promises in its first entry (`ceremony.start` `promises`), held against the rest
 * of it. `key-locked`: a sealed, completed ceremony that made or restored a key holds a `key.locked`
 * entry for that key, read back not extractable. Transcripts written before promises were recorded
 * carry none, and are only told (keyrite verify prints whether a lock is recorded).
 */
import { ENTRY_KINDS, type CeremonyStartData, type JournalEntry } from './entry-kinds';
import type { VerifyFailure } from './verify-types';

export function promiseFailures(entries: readonly JournalEntry[], offsets: readonly number[]): VerifyFailure[] {
  const start = entries[0];
  if (start?.kind !== ENTRY_KINDS.ceremonyStart || !(start.data as CeremonyStartData).promises?.includes('key-locked')) return [];
  // By seq, not by position: the streaming verifier passes only the entries of the kinds read here.
  const sealed = entries.find((e) => e.kind === ENTRY_KINDS.ceremonySealed && (e.data as { outcome?: unknown }).outcome === 'completed');
  if (!sealed || entries.some((e) => e.kind === ENTRY_KINDS.keyDestroyed)) return [];
  const sealedAt = sealed.seq;
  const made = entries.findLast((e) => e.kind === ENTRY_KINDS.keyGenerated || e.kind === ENTRY_KINDS.keyRestored);
  const id = made ? String((made.data as { id?: unknown }).id) : undefined;
  const locked = entries.some((e) => e.seq < sealedAt && e.kind === ENTRY_KINDS.keyLocked
    && String((e.data as { id?: unknown }).id) === id
    && (e.data as { proof?: { extractable?: unknown } }).proof?.extractable === false);
  if (locked) return [];
  return [{
    code: 'KEY_NOT_LOCKED', seq: sealedAt, offset: offsets[sealedAt] ?? 0,
    message: made
      ? `The transcript promises the key ends locked in the token, but the ceremony sealed with no key.locked entry showing key ${id} (entry ${made.seq}) read back not extractable: it may still be exported.`
      : 'The transcript promises the key ends locked in the token, but it records no key made or restored, and no lock.',
  }];
}
