/**
 * The signer keys a transcript records, then the auditor's own: the transcript key (ceremony.start)
 * and the one it is handed over to, each witness's key, each generated root key, and every
 * --trusted-key. Which of them signed which checkpoint is checked by verify-checkpoints.ts.
 */
import { isKeyriteError } from '../util/errors';
import { ENTRY_KINDS, type CeremonyStartData, type JournalEntry, type KeyGeneratedData, type TranscriptKeyHandoverData } from './entry-kinds';
import { parseVerifierKey, type NoteVerifier } from './note-keys';
import type { SignerRole, TranscriptKeyFact, VerifyFailure } from './verify-types';

export interface KnownKey {
  verifier: NoteVerifier;
  role: SignerRole;
  source: string;
  trustedByAuditor: boolean;
  /** The participant holding the key, for witnesses. */
  owner?: string;
}

export interface RecordedKeys {
  known: KnownKey[];
  transcriptKeys: TranscriptKeyFact[];
  /** The transcript key of ceremony.start, and the handover to a token key if any. */
  transcriptKey?: NoteVerifier;
  handover?: { seq: number; key: NoteVerifier };
  rootKeys: NoteVerifier[];
  /** An unusable recorded key, a second handover: in entry order. */
  failures: VerifyFailure[];
}

export function recordedKeys(entries: readonly JournalEntry[], offsets: readonly number[], trusted: readonly NoteVerifier[]): RecordedKeys {
  const known: KnownKey[] = [];
  const tKeys: TranscriptKeyFact[] = [];
  const failures: VerifyFailure[] = [];
  const addKey = (text: unknown, role: SignerRole, e: JournalEntry, owner?: string) => {
    if (typeof text !== 'string') return;
    try {
      const v = parseVerifierKey(text);
      if (!known.some((k) => k.verifier.key === v.key)) {
        known.push({ verifier: v, role, source: `entry ${e.seq} (${e.kind})`, trustedByAuditor: false, ...(owner ? { owner } : {}) });
      }
    } catch (err) {
      failures.push({ code: 'ENTRY_MALFORMED', seq: e.seq, offset: offsets[e.seq] as number, message: `Entry ${e.seq} records an unusable verifier key: ${isKeyriteError(err) ? err.message : String(err)}` });
    }
  };
  let transcriptKey: NoteVerifier | undefined;
  let handover: { seq: number; key: NoteVerifier } | undefined;
  const rootKeys: NoteVerifier[] = [];
  for (const e of entries) {
    if (e.kind === 'ceremony.start' && e.seq === 0) {
      const d = e.data as CeremonyStartData;
      addKey(d.transcriptKey, 'transcript', e);
      transcriptKey = known.find((k) => k.role === 'transcript')?.verifier;
      if (typeof d.transcriptKey === 'string') tKeys.push({ key: d.transcriptKey, source: d.transcriptKeySource === 'token' ? 'token' : 'file', fromSeq: 0, inForce: true });
      // Without it no checkpoint is held to the ceremony's own key (any recorded key would do): the start is malformed.
      else failures.push({ code: 'ENTRY_MALFORMED', seq: 0, offset: offsets[0] as number, message: 'Entry 0 (ceremony.start) records no transcript key: nothing ties the signed checkpoints to this ceremony.' });
      for (const p of d.participants ?? []) addKey(p.verifierKey, 'witness', e, p.name);
    } else if (e.kind === ENTRY_KINDS.transcriptHandover) {
      const d = e.data as TranscriptKeyHandoverData;
      if (handover) {
        failures.push({ code: 'TRANSCRIPT_KEY_HANDOVER_REPEATED', seq: e.seq, offset: offsets[e.seq] as number, message: `Entry ${e.seq} hands the transcript key over a second time (the first handover is entry ${handover.seq}).` });
        continue;
      }
      addKey(d.verifierKey, 'transcript', e);
      const k = known.find((x) => x.verifier.key === d.verifierKey);
      if (k) handover = { seq: e.seq, key: k.verifier };
      tKeys.push({ key: d.verifierKey, source: 'token', fromSeq: e.seq, inForce: true, label: String(d.label), ckaId: String(d.ckaId), ...(d.token ? { token: d.token } : {}) });
    } else if (e.kind === 'key.generated') {
      const before = known.length;
      addKey((e.data as KeyGeneratedData).noteVerifierKey, 'root', e);
      if (known.length > before) rootKeys.push((known[known.length - 1] as KnownKey).verifier);
    }
  }
  // The key handed over to is the one in force at the end: the one auditors compare with the paper report.
  if (tKeys.length > 1) tKeys[0]!.inForce = false;
  if (handover && tKeys[0]) tKeys[0].untilSeq = handover.seq;
  for (const t of trusted) {
    const k = known.find((x) => x.verifier.key === t.key);
    if (k) k.trustedByAuditor = true;
    else known.push({ verifier: t, role: 'trusted', source: '--trusted-key', trustedByAuditor: true });
  }
  return { known, transcriptKeys: tKeys, ...(transcriptKey ? { transcriptKey } : {}), ...(handover ? { handover } : {}), rootKeys, failures };
}
