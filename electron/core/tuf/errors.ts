import { KeyriteError } from '../util/errors';

/**
 * Stable codes for everything that can be wrong with a TUF root or a signature over one. Each names
 * one problem the people at the ceremony can act on; details carry keyids, roles and JSON paths, never
 * private material (there is none in TUF metadata).
 */
export type TufErrorCode =
  /** Not JSON, or JSON that canonical JSON cannot encode (a float, a duplicate member). */
  | 'TUF_JSON_INVALID'
  /** A field of root metadata is missing, of the wrong type or out of range. */
  | 'TUF_ROOT_FORMAT'
  /** spec_version is not 1.x: a TUF client of this specification refuses it. */
  | 'TUF_SPEC_VERSION_UNSUPPORTED'
  /** A key whose type, scheme or public value no TUF client can verify with. */
  | 'TUF_KEY_INVALID'
  /** A role names a keyid the root does not define, or names one twice. */
  | 'TUF_ROLE_KEYID_INVALID'
  /** A role's threshold cannot be met by its own keys (or is below 1). */
  | 'TUF_THRESHOLD_INVALID'
  /** Two signatures for the same keyid. */
  | 'TUF_SIGNATURE_DUPLICATE'
  /** The new root's version is not the previous version + 1. */
  | 'TUF_VERSION_NOT_NEXT'
  /** The new root has already expired (or expires before it could be published). */
  | 'TUF_ROOT_EXPIRED'
  /** The ceremony's key is not a root key of the new or of the previous root. */
  | 'TUF_KEY_NOT_ROOT_KEY'
  /** A public key cannot be expressed as a TUF key Keyrite signs with. */
  | 'TUF_KEY_UNSUPPORTED'
  /** A signature does not verify over the root's canonical bytes with its key. */
  | 'TUF_SIGNATURE_INVALID'
  /** A signature's keyid is not a root key of the new or previous root. */
  | 'TUF_SIGNATURE_UNKNOWN_KEY'
  /** A root.json brought in with signatures has another signed part than the root being signed. */
  | 'TUF_SIGNED_DIFFERS';

export function tufError(code: TufErrorCode, message: string, action: string, details?: Record<string, unknown>): KeyriteError {
  return new KeyriteError(code, message, details === undefined ? { action } : { action, details });
}
