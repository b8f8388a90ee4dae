/**
 * The entry kinds a ceremony writes to its journal, and the shape of each one's `data`.
 * The runner writes them; the verifier reads the ones it needs to report key facts and to check
 * that the script's steps ran completely and in order. Other kinds are allowed (EntryKind is open)
 * and are hash-chained and signed like any other; the verifier just reports them by kind.
 * Byte strings are base64 (binary) or lowercase hex (hashes, ids), as named.
 */

import type { Actor, CeremonyStartData, StepStartData, StepIntentData, StepResultData, StepAttestData, DeviationData, KeyGeneratedData, BackupCreatedData, ShareVerifiedData, CertificateIssuedData, TranscriptKeyHandoverData, CeremonySealedData, FilePublishedData, TufRootChangesData, TufRootSignedData } from './entry-data';

export type { Actor, Participant, CeremonyStartData, StepStartData, StepIntentData, StepResultData, StepAttestData, DeviationData, KeyGeneratedData, ShareIssued, BackupCreatedData, ShareVerifiedData, CertificateIssuedData, TranscriptKeyHandoverData, CeremonySealedData, FilePublishedData, TufRootChangesData, TufRootSignedData } from './entry-data';

/** Maps each documented kind to its data shape. */
export interface EntryDataByKind {
  'ceremony.start': CeremonyStartData;
  'step.start': StepStartData;
  'step.intent': StepIntentData;
  'step.result': StepResultData;
  'step.attest': StepAttestData;
  deviation: DeviationData;
  'key.generated': KeyGeneratedData;
  'backup.created': BackupCreatedData;
  'share.verified': ShareVerifiedData;
  'certificate.issued': CertificateIssuedData;
  'ceremony.sealed': CeremonySealedData;
  'transcript.key-handover': TranscriptKeyHandoverData;
  'file.published': FilePublishedData;
  'tuf.root-changes': TufRootChangesData;
  'tuf.root-signed': TufRootSignedData;
}

export type KnownEntryKind = keyof EntryDataByKind;
/** Documented kinds, plus any other dotted lowercase name a ceremony needs. */
export type EntryKind = KnownEntryKind | (string & {});

/**
 * Every entry kind a ceremony writes: the documented ones (with a data shape in EntryDataByKind)
 * and the runner's own. The one list; code names a kind through it.
 */
export const ENTRY_KINDS = {
  ceremonyStart: 'ceremony.start',
  stepStart: 'step.start',
  stepIntent: 'step.intent',
  stepResult: 'step.result',
  stepAttest: 'step.attest',
  deviation: 'deviation',
  keyGenerated: 'key.generated',
  backupCreated: 'backup.created',
  shareVerified: 'share.verified',
  certificateIssued: 'certificate.issued',
  ceremonySealed: 'ceremony.sealed',
  /** The transcript key moved from the key file to the token (docs/TRANSCRIPT.md). */
  transcriptHandover: 'transcript.key-handover',
  /** A file a ceremony wrote, bound to its bytes (docs/TRANSCRIPT.md, "Files"). */
  filePublished: 'file.published',
  stepDone: 'step.done',
  /** The room read what a step is about to sign (its review need) and confirmed it: { confirmedBy, title }. */
  stepReviewed: 'step.reviewed',
  keyPrior: 'key.prior',
  /** The issuing certificate taken over from an earlier run (not issued here). */
  certPrior: 'certificate.prior',
  keyLifecycle: 'key.lifecycle',
  keyRestored: 'key.restored',
  shareShown: 'share.shown',
  /** A `file` or `token` delivery's encrypted share written (file name and SHA-256; never the share). */
  shareDelivered: 'share.delivered',
  shareAccepted: 'share.accepted',
  sessionOpened: 'session.opened',
  /** A login the token refused (wrong or locked PIN): the token and the error code, never the PIN. */
  loginFailed: 'session.login-failed',
  artifactSigned: 'artifact.signed',
  keyDestroyed: 'key.destroyed',
  backupDestroyed: 'backup.destroyed',
  crlIssued: 'crl.issued',
  /** The ceremony's key locked in the token (ceremony/actions/lock.ts): what the lock did and the key's final proof. */
  keyLocked: 'key.locked',
  dnskeySigned: 'dnskey.signed',
  /** A TUF root signing: what changes, journaled before signing, then the signatures (ceremony/actions/tuf.ts). */
  tufRootChanges: 'tuf.root-changes',
  tufRootSigned: 'tuf.root-signed',
  /** Vendor key attestation (core/attestation/entries.ts). */
  attestationVerified: 'attestation.verified',
  attestationAbsent: 'attestation.absent',
  attestationRefused: 'attestation.refused',
  /** A custodian's share checked at a check-up (core/lifecycle/check-ups.ts). */
  shareCheckedUp: 'share.checked-up',
} as const;

/** The documented kinds, those with a data shape. */
export const KNOWN_ENTRY_KINDS: readonly KnownEntryKind[] = [
  ENTRY_KINDS.ceremonyStart, ENTRY_KINDS.stepStart, ENTRY_KINDS.stepIntent, ENTRY_KINDS.stepResult, ENTRY_KINDS.stepAttest, ENTRY_KINDS.deviation,
  ENTRY_KINDS.keyGenerated, ENTRY_KINDS.backupCreated, ENTRY_KINDS.shareVerified, ENTRY_KINDS.certificateIssued, ENTRY_KINDS.ceremonySealed,
  ENTRY_KINDS.transcriptHandover, ENTRY_KINDS.filePublished, ENTRY_KINDS.tufRootChanges, ENTRY_KINDS.tufRootSigned,
];

/** Step id used by entries that belong to no script step (start, seal). */
export const CEREMONY_STEP = '-';

/** One journal entry, as parsed from its canonical JSON line. */
export interface JournalEntry<D = unknown> {
  v: 1;
  seq: number;
  /** UTC, ISO 8601 with milliseconds and Z. */
  time: string;
  ceremony: string;
  kind: EntryKind;
  step: string;
  actor: Actor;
  data: D;
  /** Hex leaf hash of the previous entry; 64 zeros for seq 0. */
  prev: string;
}

export interface AppendInput<K extends EntryKind = EntryKind> {
  kind: K;
  step: string;
  actor: Actor;
  data: K extends KnownEntryKind ? EntryDataByKind[K] : unknown;
  /** Defaults to now. */
  time?: Date | string;
}
