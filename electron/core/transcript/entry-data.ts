/**
 * The data of each documented journal entry kind (entry-kinds.ts maps kinds to these shapes; docs/TRANSCRIPT.md).
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
  /**
   * What this transcript promises and `keyrite verify` holds it to (absent in transcripts written
   * before promises were recorded): `key-locked`, the key the ceremony made or restored ends locked
   * in the token (a `key.locked` entry for it, read back not extractable) before the seal.
   */
  promises?: 'key-locked'[];
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

/** Appended right after a file is written atomically, so the checkpoint after the step covers its hash. */
export interface FilePublishedData {
  /** Path relative to the ceremony folder, with '/' separators. */
  file: string;
  /** SHA-256 of the file's bytes, hex. */
  sha256: string;
  bytes: number;
}

/** sign-tuf-root, before any signature: what the new root changes, and what is signed (SHA-256 of the canonical "signed" part). */
export interface TufRootChangesData {
  version: number; previousVersion?: number; signedSha256: string;
  /** SHA-256 of each input file as read, by its path in the script. */
  inputs: Record<string, string>;
  /** electron/core/tuf's RootChangeSummary (absent for a first root), and the lines shown to the room. */
  changes?: Record<string, unknown>;
  summary: string[];
  notes: { code: string; message: string; keyid?: string }[];
}

/** sign-tuf-root, after signing: each signature added (token or imported), both root roles' thresholds (ThresholdReport), the file. */
export interface TufRootSignedData {
  version: number; signedSha256: string; keyFingerprint: string;
  signatures: { keyid: string; sig: string; source: 'token' | 'import'; file?: string }[];
  threshold: { met: boolean; previous?: Record<string, unknown>; new: Record<string, unknown>; invalid: string[] };
  file: string;
}
