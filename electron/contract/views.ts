/**
 * Plain-data views the renderer shows. They are the contract's own shapes (not core's internal
 * types) so that core can change without the screens noticing; the handler table maps core values
 * onto them. No Node or DOM imports: bundled into main, preload and renderer.
 */
import type { ErrorData } from '../core/util/errors';
import type { SlotView } from '../core/token/types';

export interface AppInfo {
  version: string;
  /** True when the app was started for a rehearsal (SoftHSM2 token, throwaway data). */
  rehearsal: boolean;
  platform: string;
  /** Where ceremonies and transcripts are kept on this machine. */
  dataDir: string;
  /** True when a system folder picker exists (Electron); else folders are typed as paths. */
  canPickFolders: boolean;
}

export interface UsbDeviceView {
  /** Stable for as long as the device stays plugged in (bus and port path). */
  id: string;
  vendorId: number;
  productId: number;
  /** Product name from the known vendor table or the device's own strings. */
  name: string;
  vendor: string;
  /** What Keyrite recognises it as (electron/core/devices/vendors.ts). */
  kind: 'hsm' | 'security-key' | 'smart-card-token' | 'smart-card-reader' | 'other';
  known: boolean;
}

export interface DevicesView {
  usb: UsbDeviceView[];
  /** False when USB cannot be watched here (no permission, no libusb): the panel says so. */
  usbAvailable: boolean;
  slots: SlotView[];
  /** What the air-gap probe sees now; absent where there is no probe (the panel then says nothing). */
  network?: NetworkView;
}

/** One way off the machine the air-gap check looks for. */
export interface NetworkFindingView {
  kind: 'interface-up' | 'wireless' | 'bluetooth';
  name: string;
  detail: string;
}

/** The laptop's network state: air-gapped when there are no findings. */
export interface NetworkView {
  findings: NetworkFindingView[];
}

export interface CeremonySummary {
  /** Folder holding transcript.jsonl. */
  dir: string;
  id: string;
  title: string;
  type: string;
  /** ISO 8601 UTC of the first entry. */
  startedAt: string;
  entries: number;
  state: 'in-progress' | 'completed' | 'aborted';
  rehearsal: boolean;
}

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skipped';

export interface AuditEntryView {
  seq: number;
  time: string;
  kind: string;
  step: string;
  actor: { role: string; name: string };
  /** One line a person can read: what the entry records. */
  summary: string;
  status: 'ok' | 'failed' | 'unchecked';
  /** Why this entry failed (set only when status is 'failed'). */
  problem?: ErrorData;
}

export interface AuditSignatureView {
  /** Key name as written in the signed note. */
  name: string;
  role: string;
  status: CheckStatus;
  detail?: string;
}

export interface AuditCheckpointView {
  /** Number of entries the checkpoint covers. */
  size: number;
  file: string;
  status: CheckStatus;
  signatures: AuditSignatureView[];
  detail?: string;
}

export interface AuditCheckView {
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
}

export interface KeyFact {
  label: string;
  value: string;
  /** Set for values read aloud or compared by eye (fingerprints): shown monospaced. */
  mono?: boolean;
}

/** A file in the audited folder, or one the transcript names (docs/TRANSCRIPT.md, "Files"). */
export interface AuditFileView {
  /** Relative to the folder; a folder listed as one ends in '/'. */
  file: string;
  status: CheckStatus;
  /** What was found, in a few words: "Bound", "Changed", "Not present, not checked", ... */
  label: string;
  detail: string;
  /** The entry the file is held to, e.g. "entry 31 (file.published)". */
  entry?: string;
}

export interface AuditReport {
  dir: string;
  verdict: 'verified' | 'failed';
  /** One sentence: why the verdict is what it is. */
  headline: string;
  ceremony: { id: string; title: string; type: string; rehearsal: boolean };
  entries: AuditEntryView[];
  checkpoints: AuditCheckpointView[];
  /** Why the checkpoint list is empty or partial, for the person reading it ('' when complete). */
  checkpointsNote: string;
  checks: AuditCheckView[];
  policy: AuditCheckView[];
  keyFacts: KeyFact[];
  /** Every file beside the transcript, checked as `keyrite verify` checks it (absent from older services). */
  files?: AuditFileView[];
  /** The first entry that failed verification, if any: the timeline scrolls there. */
  firstFailure?: { seq: number; error: ErrorData };
  /** What ran, on what, as ceremony.start recorded it (absent from older services). */
  provenance?: ProvenanceView;
  /** Each vendor attestation of a generated key, re-verified here (absent from older services). */
  attestations?: AttestationView[];
}

/** The provenance panel: facts to compare, and the code digest as the words read aloud in the room. */
export interface ProvenanceView {
  /** False for a transcript from a Keyrite that did not record provenance. */
  recorded: boolean;
  codeDigest?: string;
  codeWords?: string[];
  facts: KeyFact[];
}

export interface AttestationView {
  key: string;
  status: 'verified' | 'refused' | 'absent';
  /** The transcript entry holding it (0 for "no attestation step at all"). */
  entry: number;
  /** One sentence: what the device vouched for, or why not. */
  summary: string;
  facts: KeyFact[];
  advisories: { id: string; summary: string }[];
}

/** NIST SP 800-57 Part 1 key states. */
export type KeyState = 'pre-activation' | 'active' | 'suspended' | 'deactivated' | 'compromised' | 'destroyed';

export const KEY_STATES: readonly KeyState[] = ['pre-activation', 'active', 'suspended', 'deactivated', 'compromised', 'destroyed'];

export interface InventoryKeyView {
  id: string;
  label: string;
  /** Key class from the policy, e.g. root-ca, code-signing. */
  keyClass: string;
  algorithm: string;
  state: KeyState;
  fingerprint: string;
  createdAt: string;
  /** ISO 8601 date the key is due for rotation, if the policy sets one. */
  rotationDue?: string;
  custodians: string[];
  quorum?: { k: number; n: number };
  /** Ceremony ids that touched this key, oldest first. */
  ceremonies: string[];
  /** State changes, oldest first: which ceremony moved the key into which state, and why. */
  history: { state: KeyState; date: string; ceremony: string; reason: string }[];
  /** Set when the key was rotated: the successor's fingerprint. */
  successor?: string;
  rehearsal: boolean;
}

/** One thing that falls due: a date a live key owes (docs/UI.md, Inventory). */
export interface DueDateView {
  kind: 'crl-next-update' | 'certificate-expiry' | 'rotation' | 'share-check-up';
  /** A few words: "CRL re-signing", "Certificate expiry", ... */
  title: string;
  /** What falls due, in a sentence. */
  what: string;
  /** When the work falls due (the deadline less the policy's lead time), ISO 8601. */
  dueFrom: string;
  /** The hard date: nextUpdate, notAfter, rotation date, ISO 8601. */
  deadline: string;
  keyLabel: string;
  fingerprint: string;
  /** The ceremony that set this date. */
  ceremony: string;
  status: 'upcoming' | 'due' | 'overdue';
}

export interface InventoryView {
  keys: InventoryKeyView[];
  /** Every date the live keys owe, in the order they fall due (absent from older services). */
  due?: DueDateView[];
  /** Transcripts that could not be read or verified, so their keys are missing from the list. */
  problems: { dir: string; error: ErrorData }[];
}

export type { SlotView };

/** Paper through the system print dialog, or a PDF saved where the person chooses. */
export type PrintOutput = 'print' | 'pdf';

export interface PrintOutcome {
  /** False when the person cancelled the print or save dialog: nothing was printed or written. */
  done: boolean;
  /** Where the PDF was saved; null for paper and when cancelled. */
  path: string | null;
}
