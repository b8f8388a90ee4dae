/**
 * What the renderer sends to the ceremony and recovery channels. Secrets go in (a PIN, a
 * passphrase) and never come back. Types only; the zod schemas that parse them at the IPC boundary
 * are in ./request-schemas.ts.
 */
import type { EnteredShare } from '../core/shares/share-input';

/** What the renderer submits for the current need; one variant per need kind. */
export type CeremonyInput =
  | { kind: 'confirm'; who: string }
  | { kind: 'pin'; pin: string }
  | { kind: 'attest'; witness: string }
  | { kind: 'air-gap-override'; who: string; reason: string }
  | { kind: 'share-shown'; custodian: string }
  | { kind: 'verify-share'; custodian: string; words: string[] }
  | { kind: 'share-file'; custodian: string; passphrase: string }
  | { kind: 'verify-share-file'; custodian: string; passphrase: string }
  | { kind: 'share-token'; custodian: string }
  /** `tokenSerial` from `tokens/list`; the PIN is used for one login on the custodian's token and dropped. */
  | { kind: 'verify-share-token'; custodian: string; tokenSerial: string; pin: string }
  /**
   * Without `token`: main asks for the witness's key file (its own open dialog); nothing secret
   * crosses IPC. With `token`: the witness's own token (serial from `tokens/list`) and its PIN, used
   * for one login; main finds the key the script records on it and signs there.
   */
  | { kind: 'witness-cosign'; witness: string; token?: { tokenSerial: string; pin: string } }
  | { kind: 'share-input'; share: ShareInput };

export interface LoadScriptReq {
  /** Name of the file, for error messages. */
  fileName: string;
  text: string;
  /** Optional policy text; the default policy applies when omitted. */
  policyText?: string;
  /**
   * Folder of the earlier ceremony whose key this one uses (backup.json, public key): needed by
   * recovery, reshare, signing, rotation and destruction; ignored by validate.
   */
  from?: string;
  /** Folder of an unfinished run of this same script, to resume it from its journal; else a new run. */
  resume?: string;
}

/** A share as entered on a screen; one type with the core's converter (enteredShareToInput). */
export type ShareInput = EnteredShare;
