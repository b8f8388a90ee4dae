/**
 * What the ceremony screens show: the whole run as main sees it (CeremonyView), what the current
 * step needs from the room (CeremonyNeed), a share on offer (RevealedShare) and progress events.
 * Main owns the ceremony: every reply and every `ceremony/changed` event carries the whole view,
 * and the renderer only mirrors it. Types only; no Node or DOM imports.
 */
import type { ErrorData } from '../core/util/errors';

export type ParticipantRole = 'administrator' | 'witness' | 'custodian' | 'auditor';

export interface ParticipantView {
  name: string;
  role: ParticipantRole;
}

export type StepStatus = 'pending' | 'current' | 'done' | 'failed';

/** A fact a step produced, for the screen (fingerprint, key id, file written...). Never a secret. */
export interface StepFact {
  label: string;
  value: string;
  /** Long values (hex, PGP words) are shown in a monospace block that wraps. */
  mono?: boolean;
}

export interface CeremonyStepView {
  id: string;
  /** 0-based position in the script. */
  index: number;
  /** The script's action, e.g. `generate-key`, `backup`, `confirm`. */
  action: string;
  instruction: string;
  status: StepStatus;
  irreversible: boolean;
  /** Who must attest this step (names from the script) and who already has. */
  attest: string[];
  attested: string[];
  facts: StepFact[];
}

export type ShareDelivery = 'paper' | 'file' | 'token';

/** Tries-left flags the token reported after a wrong PIN (PIN_INCORRECT details). */
export interface PinTries {
  countLow: boolean;
  finalTry: boolean;
  locked: boolean;
}

/** What the current step needs from the people in the room; one screen per kind. */
export type CeremonyNeed =
  | { kind: 'confirm'; who: string | null }
  /**
   * Before a step signs: what it is about to sign (what changes, the hash of the bytes signed), for the
   * room to read; `who` answers with `confirm` and only then is anything signed. Journaled before asked.
   */
  | { kind: 'review'; who: string | null; title: string; facts: StepFact[] }
  /** `rehearsalPin`: in rehearsal mode only, the throwaway PIN Keyrite's rehearsal tokens are made with. */
  | { kind: 'pin'; who: string | null; token: string; userType: 'user' | 'so'; tries: PinTries | null; rehearsalPin?: string }
  | { kind: 'attest'; witnesses: string[]; attested: string[] }
  | { kind: 'air-gap-override'; findings: string[]; overrideAllowed: boolean }
  /** delivery `paper`: the words are shown (hold to show) and may be printed; then `verify-share`. */
  | { kind: 'show-share'; custodian: string; delivery: ShareDelivery; position: number; total: number }
  /** delivery `paper`: the custodian re-enters the words at these 1-based positions. */
  | { kind: 'verify-share'; custodian: string; delivery: ShareDelivery; positions: number[]; wordCount: number }
  /**
   * delivery `file`: the custodian chooses a passphrase; main encrypts the share to it (age, scrypt)
   * and writes the file (save dialog in the app; the custody folder otherwise). The words are never shown.
   */
  | { kind: 'share-file'; custodian: string; position: number; total: number; minPassphraseChars: number }
  /**
   * delivery `file`: the custodian re-enters the passphrase; main opens the written file with it.
   * A custodian who cannot repeat it may answer `share-file` again (a new passphrase, the file written again).
   */
  | { kind: 'verify-share-file'; custodian: string; fileName: string; minPassphraseChars: number }
  /**
   * delivery `token`: the share is encrypted (RSA-OAEP, or ECDH for an EC key) to the custodian's token key that the script
   * records; the custodian compares this fingerprint with their token's key before saying go.
   */
  | { kind: 'share-token'; custodian: string; position: number; total: number; recipient: RecipientView }
  /** delivery `token`: the custodian opens the share on their own token (their PIN) to prove it works. */
  | { kind: 'verify-share-token'; custodian: string; fileName: string; recipient: RecipientView; tries: PinTries | null }
  /**
   * At the seal: a witness whose key the script records cosigns the final checkpoint. Main asks for
   * their signer key file itself (open dialog in the app): the key never passes through the renderer.
   */
  | {
    kind: 'witness-cosign'; witness: string; keyName: string; keyId: string; cosigned: string[]; pending: string[];
    /**
     * The recorded key's type: `ed25519` may be a key file or a key on the witness's token;
     * `keyrite.spki/v1` (ECDSA/RSA) can only be on a token.
     */
    keyType: 'ed25519' | 'keyrite.spki/v1';
    /** Tries-left flags after a wrong PIN on the witness's token; null otherwise. */
    tries: PinTries | null;
  }
  /** `accepted`: whose shares are in so far (recovery and reshare; the check-up leaves it out). */
  | { kind: 'share-input'; received: number; needed: number; wordCount: number; accepted?: { custodian: string; index: number }[] }
  | { kind: 'running'; message: string }
  | { kind: 'done' };

/** The custodian token key a `token` share is encrypted to (from the script); public facts only. */
export interface RecipientView {
  /** SHA-256 of the key's SubjectPublicKeyInfo, hex. */
  spkiSha256: string;
  /** The same fingerprint as PGP words, read aloud against the custodian's token. */
  words: string;
  keyLabel: string | null;
  /** The custodian token the script names (label or serial), when it names one. */
  tokenLabel: string | null;
  tokenSerial: string | null;
}

export interface DeviationView {
  step: string;
  who: string;
  why: string;
  time: string;
}

/**
 * What this run's irreversible steps act on, restated in their confirmation: the key (as the script
 * names it, with its fingerprint once made) and the token (its serial once logged in).
 */
export interface RunSubjectView {
  keyLabel: string;
  algorithm: string;
  keyClass: string;
  /** SHA-256 of the key's public key, hex, once the run knows the key. */
  fingerprint: string | null;
  tokenLabel: string | null;
  tokenSerial: string | null;
  /**
   * The policy's key-attribute rules for this key's class, as the core reads them (key-attributes.ts):
   * `field` is the proof's attribute name, `want` its required value. `atLock`: made true by the lock
   * after the backup, so not yet due when the proof is read; `origin`: says how the key was made, so
   * not shown again by a key restored from its backup (`restored`).
   */
  attributeRules: { name: string; attribute: string; field: string; want: boolean; atLock: boolean; origin: boolean }[];
  /** The key is restored from a backup in this run (recovery), not generated here. */
  restored: boolean;
  /** The policy's name, to say what a verdict is measured against. */
  policyName: string;
}

export interface CeremonyView {
  runId: string;
  ceremonyId: string;
  title: string;
  purpose: string;
  type: string;
  rehearsal: boolean;
  /** Folder the transcript and exports are written to. */
  outDir: string;
  participants: ParticipantView[];
  steps: CeremonyStepView[];
  /** Index of the current step; null once the ceremony is sealed. */
  current: number | null;
  need: CeremonyNeed;
  /** The last refused input or failed action, with what to do next. */
  error: ErrorData | null;
  deviations: DeviationView[];
  /** Custodians whose share was shown and verified, in hand-off order. */
  handedOff: string[];
  /** The key and token the irreversible steps act on (absent from views made before it existed). */
  subject?: RunSubjectView;
}

/** A share's words, only ever the reply of `ceremony/reveal-share`; the renderer drops it on release. */
export interface RevealedShare {
  custodian: string;
  words: string[];
  /** QR of the share as an SVG document (no script, no external refs). */
  qrSvg: string;
  fingerprint: string;
  delivery: ShareDelivery;
}

export interface ProgressEvent {
  runId: string;
  step: string;
  message: string;
  /** 0..1 where known, else null (indeterminate). */
  fraction: number | null;
}
