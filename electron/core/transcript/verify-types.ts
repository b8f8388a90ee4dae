/** The auditor's verification report: what was checked, the first failure, and the key facts. */
import type { ShareIssued } from './entry-kinds';
import type { AttestationFact } from '../attestation/fact';
import type { Provenance } from '../provenance/gather';

/** Stable codes for the first failure (documented in docs/TRANSCRIPT.md). */
export type VerifyFailureCode =
  | 'KEY_NOT_LOCKED'
  | 'CHECKPOINT_HANDOVER_NOT_COSIGNED'
  | 'CHECKPOINT_SIGNED_BY_RETIRED_TRANSCRIPT_KEY'
  | 'TRANSCRIPT_KEY_HANDOVER_REPEATED'
  | 'ENTRY_TORN'
  | 'ENTRY_MALFORMED'
  | 'ENTRY_SEQ'
  | 'ENTRY_CHAIN'
  | 'ENTRY_CEREMONY'
  | 'START_MISSING'
  | 'CHECKPOINT_MISSING'
  | 'CHECKPOINT_MALFORMED'
  | 'CHECKPOINT_ORIGIN'
  | 'CHECKPOINT_BEYOND_END'
  | 'CHECKPOINT_ROOT'
  | 'CHECKPOINT_INCONSISTENT'
  | 'CHECKPOINT_SIGNATURE_INVALID'
  | 'CHECKPOINT_NOT_SIGNED_BY_TRANSCRIPT_KEY'
  | 'CHECKPOINT_LATEST_MISMATCH'
  | 'ENTRIES_NOT_CHECKPOINTED'
  | 'ROOT_KEY_NOT_PROVEN'
  | 'TRUSTED_KEY_NOT_USED'
  | 'WITNESS_COSIGNATURE_MISSING'
  | 'ENTRY_AFTER_SEAL'
  | 'STEP_UNKNOWN'
  | 'STEP_OUT_OF_ORDER'
  | 'STEPS_INCOMPLETE'
  | 'INTENT_WITHOUT_RESULT'
  | 'POLICY_MISMATCH'
  | 'KEY_FINGERPRINT_MISMATCH'
  | 'ATTESTER_NOT_IN_SCRIPT'
  | 'FILE_CHANGED'
  | 'ATTESTATION_INVALID';

export interface VerifyFailure {
  code: VerifyFailureCode;
  message: string;
  /** The first bad entry, when the failure is about an entry. */
  seq?: number;
  /** Byte offset of that entry in transcript.jsonl. */
  offset?: number;
  /** Checkpoint file, when the failure is about one. */
  checkpoint?: string;
  expected?: string;
  actual?: string;
  /** The file beside the transcript, when the failure is about one (FILE_CHANGED). */
  file?: string;
}

/**
 * What a file in the ceremony folder was found to be (docs/TRANSCRIPT.md, "Files"):
 * bound: its SHA-256 matches the entry that journaled it (and its content the recorded facts);
 * content-checked: no entry binds its bytes (an older transcript) but its content matches the recorded facts;
 * changed: it is not what the transcript says (INVALID);
 * not-present: the transcript names it, the folder lacks it: not checked;
 * not-bound: an older transcript, which journaled no file hashes, says nothing about it;
 * unexpected: the transcript does not name it;
 * report-matches / report-differs: report.html against the report derived again from the transcript;
 * transcript: the transcript and its checkpoints, checked above; working: rehearsal working files, not checked.
 */
export type FileStatus = 'bound' | 'content-checked' | 'changed' | 'not-present' | 'not-bound' | 'unexpected' | 'report-matches' | 'report-differs' | 'transcript' | 'working';

export interface FileFact {
  /** Relative to the ceremony folder, '/' separators; a folder listed as one ends in '/'. */
  file: string;
  status: FileStatus;
  /** The entry the file is held to. */
  entry?: { seq: number; kind: string };
  /** SHA-256 of the file found. */
  sha256?: string;
  /** SHA-256 the entry records. */
  expected?: string;
  detail: string;
}

export type SignerRole = 'transcript' | 'root' | 'witness' | 'trusted';

export interface SignerFact {
  name: string;
  keyHash: string;
  /** The verifier key text. */
  key: string;
  role: SignerRole;
  /** Where the key came from: an entry in the transcript, or --trusted-key. */
  source: string;
  /** True when the auditor passed this key with --trusted-key (trust not taken from the transcript itself). */
  trustedByAuditor: boolean;
  checkpointsSigned: number;
}

export interface CheckpointFact {
  file: string;
  size: number;
  root: string;
  signedBy: string[];
  unknownSigners: string[];
}

/** A transcript key: the one recorded at ceremony start, and the token key it was handed over to, if any. */
export interface TranscriptKeyFact {
  /** Signed-note verifier key. */
  key: string;
  source: 'file' | 'token';
  /** Seq of the entry recording it (0: ceremony.start). */
  fromSeq: number;
  /** Seq of the handover entry after which it no longer signs. */
  untilSeq?: number;
  /** The key signing the latest checkpoints: the one to compare with the signed paper report. */
  inForce: boolean;
  label?: string;
  ckaId?: string;
  token?: { label: string; serial: string };
}

export interface KeyFact {
  seq: number;
  label: string;
  id: string;
  algorithm: string;
  fingerprint: string;
  fingerprintWords: string[];
  /** Recomputed from the recorded SPKI; false if the recorded fingerprint does not match it. */
  fingerprintMatches: boolean;
  proof: Record<string, boolean | string>;
  /** The attributes read back after the key was locked in the token (`key.locked`), and that entry's seq. */
  locked?: { seq: number; proof: Record<string, boolean | string> };
  spki: string;
  token?: { label: string; serial: string };
}

export interface ShareFact {
  seq: number;
  splitId: string;
  k: number;
  n: number;
  shares: ShareIssued[];
  /** Every check of a share, in journal order (a custodian may fail and then pass). */
  verified: { custodian: string; index: number; ok: boolean; method?: string }[];
  /** Files written for `file` / `token` deliveries (share.delivered), in journal order. */
  delivered: { custodian: string; index: number; medium: string; fileName: string; sha256: string }[];
}

export interface VerificationReport {
  valid: boolean;
  dir: string;
  ceremonyId?: string;
  /** The ceremony.start entry says this run was a rehearsal (throwaway token, no real key). */
  rehearsal?: boolean;
  entries: number;
  /** Hex Merkle root over all entries. */
  root?: string;
  failure?: VerifyFailure;
  /** Things an auditor should know that do not make the transcript invalid. */
  warnings: string[];
  script?: { id: string; title: string; type: string; sha256: string };
  /** People named at ceremony start, with their roles. */
  participants: { role: string; name: string }[];
  /** Time of the first and last entries (UTC). */
  started?: string;
  ended?: string;
  policySha256?: string;
  steps: { expected: string[]; completed: string[] };
  checkpoints: CheckpointFact[];
  signers: SignerFact[];
  unknownSigners: string[];
  /** The transcript key(s), in the order they were in force (always set by verifyTranscript). */
  transcriptKeys?: TranscriptKeyFact[];
  keys: KeyFact[];
  shares: ShareFact[];
  certificates: { seq: number; subject: string; serial: string; sha256: string }[];
  /** Record sets signed (sign-dnskey): what, by which key tag, for which windows. */
  signedRecords?: { seq: number; owner: string; rrsetSha256: string; keyTag: number; algorithm: number; windows: { inception: string; expiration: string }[] }[];
  /** TUF metadata signed (sign-tuf-root): the canonical signed part's SHA-256, the version, signatures added and both root roles' thresholds. */
  signedMetadata?: { seq: number; type: 'tuf-root'; version: number; signedSha256: string; signatures: number; thresholds: { root: string; version: number; threshold: number; needed: number; met: boolean }[]; met: boolean }[];
  witnesses: { name: string; attestations: { seq: number; step: string; statement: string }[]; checkpointsCosigned: number }[];
  deviations: { seq: number; step: string; who: string; why: string; action?: string }[];
  /** Failed or skipped step results, and other exceptions recorded in the transcript. */
  exceptions: { seq: number; step: string; kind: string; detail: string }[];
  sealed: boolean;
  /** Every file in the ceremony folder and every file the transcript names (set unless VerifyOptions.files is false). */
  files?: FileFact[];
  /** False when a file the transcript names is not in the folder (so it was not checked). */
  filesAllChecked?: boolean;
  /** Vendor attestations of generated keys, re-verified here (electron/core/attestation). */
  attestations?: AttestationFact[];
  /** What ran, on what (ceremony.start provenance), when recorded. */
  provenance?: Provenance;
  /** Share check-ups recorded (check-up ceremonies): who was checked and whether their share matched. */
  checkUps?: { seq: number; custodian: string; ok: boolean; error?: { code: string; message: string } }[];
}

export interface VerifyOptions {
  /** Check the files beside the transcript (default true). The seal's exports pass false: they render the transcript alone. */
  files?: boolean;
  /** Verifier keys the auditor trusts independently of the transcript (e.g. printed on the signed report). */
  trustedKeys?: string[];
  /** The policy file's bytes (or text): its SHA-256 must match the one recorded at ceremony start. */
  policy?: unknown;
  /** Attestation roots (PEM) the auditor trusts besides the vendor roots shipped with Keyrite. */
  attestationRoots?: string[];
  /**
   * Hand every entry to the checks, not only the kinds they are known to read (verify-stream.ts
   * KEPT_KINDS). The report must be the same: tests use it to show the streaming verifier drops
   * nothing a check needs. Costs memory in proportion to the transcript.
   */
  keepAllEntries?: boolean;
}
