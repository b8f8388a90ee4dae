/**
 * The entry kinds a ceremony writes to its journal, and the shape of each one's `data`.
 * The runner writes them; the verifier reads the ones it needs to report key facts and to check
 * that the script's steps ran completely and in order. Other kinds are allowed (EntryKind is open)
 * and are hash-chained and signed like any other; the verifier just reports them by kind.
 * Byte strings are base64 (binary) or lowercase hex (hashes, ids), as named.
 */
import type { Provenance } from '../provenance/gather';

export interface Actor {
  /** 'administrator' | 'custodian' | 'witness' | 'auditor' | 'system' | ... */
  role: string;
  name: string;
}

export interface Participant extends Actor {
  /** C2SP signed-note verifier key of this person's cosigning key, when they cosign checkpoints. */
  verifierKey?: string;
}

export interface CeremonyStartData {
  script: { id: string; title: string; type: string; version?: string; sha256: string };
  /** The script's step ids, in the order they must run. The verifier checks the journal against it. */
  steps: string[];
  participants: Participant[];
  /** Verifier key (C2SP signed-note) of the transcript key that signs every checkpoint. */
  transcriptKey: string;
  /** Where the transcript key lives: on the token, or a per-ceremony key file. */
  transcriptKeySource: 'token' | 'file';
  policy?: { id?: string; sha256: string };
  rehearsal?: boolean;
  /** Keyrite's version and code digest, the PKCS#11 module's and token's identity, the system (electron/core/provenance). */
  provenance?: Provenance;
}

export interface StepStartData {
  title?: string;
  [k: string]: unknown;
}

/** Written before an irreversible token call; the matching step.result (same opId) follows it. */
export interface StepIntentData {
  opId: string;
  operation: string;
  /** Pre-chosen CKA_ID (hex) of the object the operation will create or touch. */
  ckaId?: string;
  label?: string;
  token?: { label: string; serial: string };
  [k: string]: unknown;
}

export interface StepResultData {
  outcome: 'ok' | 'failed' | 'skipped';
  /** Set when the result answers an intent. */
  opId?: string;
  error?: { code: string; message: string };
  [k: string]: unknown;
}

export interface StepAttestData {
  witness: string;
  statement: string;
  /** True when the witness also cosigned the checkpoint after this step. */
  cosigned?: boolean;
}

export interface DeviationData {
  who: string;
  why: string;
  /** What was done instead, if anything. */
  action?: string;
  approvedBy?: string[];
}

export interface KeyGeneratedData {
  label: string;
  /** CKA_ID, hex. */
  id: string;
  algorithm: string;
  /** SubjectPublicKeyInfo DER, base64. */
  spki: string;
  /** SHA-256 of the SPKI DER, hex. */
  fingerprint: string;
  /** The same fingerprint as PGP words, to read aloud. */
  fingerprintWords: string[];
  /** Attributes read back from the private key (CKA_LOCAL, CKA_SENSITIVE, ...). */
  proof: Record<string, boolean | string>;
  token?: { label: string; serial: string; model?: string; manufacturer?: string; uri?: string };
  /** Signed-note verifier key of this key as a checkpoint signer (proof of possession). */
  noteVerifierKey?: string;
}

export interface ShareIssued {
  custodian: string;
  /** Share x coordinate / index. */
  index: number;
  /** Fingerprint of the share envelope, hex (never the share itself). */
  fingerprint: string;
  medium?: string;
}

export interface BackupCreatedData {
  k: number;
  n: number;
  splitId: string;
  /** Commitment(s) to the wrapping key / shares, hex. */
  commitments: string[] | Record<string, string>;
  shares: ShareIssued[];
  /** SHA-256 of the wrapped key blob, hex. */
  wrappedKeySha256?: string;
  [k: string]: unknown;
}

export interface ShareVerifiedData {
  custodian: string;
  index: number;
  fingerprint: string;
  ok: boolean;
  /** How the custodian proved they hold it: words re-entered, the age file opened, or the file opened on their token. */
  method?: 'words' | 'file' | 'token';
  [k: string]: unknown;
}

export interface CertificateIssuedData {
  subject: string;
  serial: string;
  /** SHA-256 of the certificate DER, hex. */
  sha256: string;
  notBefore?: string;
  notAfter?: string;
  pem?: string;
}

/** The kind recording the transcript key's handover from the key file to the token (docs/TRANSCRIPT.md). */
export const TRANSCRIPT_HANDOVER_KIND = 'transcript.key-handover' satisfies KnownEntryKind;

/**
 * The transcript key moves to the token: from this entry on, checkpoints are signed by `verifierKey`;
 * the first checkpoint covering this entry carries both keys' signatures, and the key file is
 * destroyed right after it.
 */
export interface TranscriptKeyHandoverData {
  /** Signed-note verifier key of the new (token) transcript key; same name as the old one. */
  verifierKey: string;
  /** CKA_ID (hex), chosen and journaled in a step.intent before the key was generated. */
  ckaId: string;
  label: string;
  algorithm: 'ed25519';
  token: { label: string; serial: string };
  /** Attributes read back from the private key. */
  proof?: Record<string, boolean | string>;
  previous?: { source: 'file'; disposal: string };
}

export interface CeremonySealedData {
  /** Entry count before the sealing entry (the seal itself is entry seq === entries). */
  entries: number;
  outcome: 'completed' | 'aborted';
  exports?: string[];
}

/** The kind binding a file a ceremony wrote to its bytes (docs/TRANSCRIPT.md, "Files"). */
export const FILE_PUBLISHED_KIND = 'file.published' satisfies KnownEntryKind;

/** Appended right after a file is written atomically, so the checkpoint after the step covers its hash. */
export interface FilePublishedData {
  /** Path relative to the ceremony folder, with '/' separators. */
  file: string;
  /** SHA-256 of the file's bytes, hex. */
  sha256: string;
  bytes: number;
}

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
  ENTRY_KINDS.transcriptHandover, ENTRY_KINDS.filePublished,
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
