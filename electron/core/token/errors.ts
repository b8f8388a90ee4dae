/**
 * PKCS#11 return values -> KeyriteError. Each CKR code a ceremony can meet gets its own code and
 * a message that tells the person at the token what to do. Runs in the token host; the caller gets
 * the error as data (code, message, action, details) and rebuilds a KeyriteError.
 */
import { KeyriteError } from '../util/errors';

export interface TokenErrorInfo {
  code: string;
  message: string;
  action: string;
  /** The operation may have happened on the token even though it failed: reconcile, never retry. */
  outcomeUnknown?: boolean;
}

/** Keyed by CKR name, so this table reads like the docs (docs/TOKEN.md lists the same rows). */
export const CKR_ERRORS: Record<string, TokenErrorInfo> = {
  CKR_PIN_INCORRECT: { code: 'PIN_INCORRECT', message: 'The PIN is incorrect.', action: 'Check the PIN and try again. Each wrong PIN uses up one of the token\'s limited tries.' },
  CKR_PIN_INVALID: { code: 'PIN_INCORRECT', message: 'The PIN contains characters the token does not accept.', action: 'Check the PIN and try again.' },
  CKR_PIN_LEN_RANGE: { code: 'PIN_INCORRECT', message: 'The PIN is too short or too long for this token.', action: 'Check the PIN and try again.' },
  CKR_PIN_LOCKED: { code: 'PIN_LOCKED', message: 'The PIN is locked after too many wrong tries.', action: 'Stop. Unlocking needs the Security Officer (SO) PIN or the vendor\'s procedure; record this in the ceremony notes.' },
  CKR_PIN_EXPIRED: { code: 'PIN_EXPIRED', message: 'The PIN has expired and must be changed before the token can be used.', action: 'Change the PIN with the vendor\'s tool, then start this step again.' },
  CKR_TOKEN_NOT_PRESENT: { code: 'TOKEN_NOT_PRESENT', message: 'No token is present in the slot.', action: 'Insert or connect the token, then try again.' },
  CKR_TOKEN_NOT_RECOGNIZED: { code: 'TOKEN_NOT_PRESENT', message: 'The token in the slot is not recognised by the PKCS#11 module.', action: 'Check that this module is the one for this token.' },
  CKR_DEVICE_REMOVED: { code: 'DEVICE_REMOVED', message: 'The token was removed during the operation.', action: 'Reconnect the token. The operation may or may not have completed: check the token before repeating anything.', outcomeUnknown: true },
  CKR_SESSION_CLOSED: { code: 'SESSION_CLOSED', message: 'The token session was closed (the token may have been removed or reset).', action: 'Open a new session (log in again), then check the token\'s state before continuing.' },
  CKR_SESSION_HANDLE_INVALID: { code: 'SESSION_INVALID', message: 'The token session is no longer valid.', action: 'Open a new session (log in again), then check the token\'s state before continuing.' },
  CKR_USER_NOT_LOGGED_IN: { code: 'SESSION_INVALID', message: 'The session is not logged in.', action: 'Log in to the token, then try again.' },
  CKR_GENERAL_ERROR: { code: 'GENERAL_ERROR', message: 'The token reported a general error.', action: 'Do not repeat the operation: check on the token (by key id) whether it happened, then continue from what you find.', outcomeUnknown: true },
  CKR_DEVICE_ERROR: { code: 'DEVICE_ERROR', message: 'The token reported a device error.', action: 'Do not repeat the operation: check on the token (by key id) whether it happened, then continue from what you find.', outcomeUnknown: true },
  CKR_DEVICE_MEMORY: { code: 'DEVICE_MEMORY', message: 'The token has no room left for this object.', action: 'Free space on the token (with the custodians\' agreement) or use another token.' },
  CKR_MECHANISM_INVALID: { code: 'MECHANISM_INVALID', message: 'The token does not support this mechanism.', action: 'Choose an algorithm the token lists (keyrite tokens shows its mechanisms).' },
  CKR_MECHANISM_PARAM_INVALID: { code: 'MECHANISM_INVALID', message: 'The token rejected the mechanism\'s parameters.', action: 'Choose an algorithm the token lists (keyrite tokens shows its mechanisms).' },
  CKR_KEY_SIZE_RANGE: { code: 'KEY_SIZE_RANGE', message: 'The token does not support this key size.', action: 'Choose a key size within the range the token lists for this mechanism.' },
  CKR_TEMPLATE_INCOMPLETE: { code: 'TEMPLATE_INCOMPLETE', message: 'The token needs attributes that were not given.', action: 'This token needs a different key template; report the token model so Keyrite can support it.' },
  CKR_TEMPLATE_INCONSISTENT: { code: 'TEMPLATE_INCONSISTENT', message: 'The token refused the key attributes as inconsistent.', action: 'This token\'s policy forbids these attributes (for example extractable keys); choose a policy it allows.' },
  CKR_ATTRIBUTE_VALUE_INVALID: { code: 'TEMPLATE_INCONSISTENT', message: 'The token refused an attribute value.', action: 'This token\'s policy forbids these attributes; choose a policy it allows.' },
  CKR_KEY_UNEXTRACTABLE: { code: 'KEY_UNEXTRACTABLE', message: 'The key cannot be taken out of the token, not even wrapped.', action: 'This key was made without a backup. It cannot be backed up now; plan a new key if a backup is needed.' },
  CKR_KEY_NOT_WRAPPABLE: { code: 'KEY_NOT_WRAPPABLE', message: 'The token will not wrap this key.', action: 'The token\'s policy forbids wrapping this key; it cannot be backed up this way.' },
  CKR_WRAPPED_KEY_INVALID: { code: 'WRAPPED_KEY_INVALID', message: 'The wrapped key did not unwrap: the backup or its wrapping key is wrong.', action: 'Check that the shares belong to this backup and that the backup file is intact.' },
  CKR_WRAPPED_KEY_LEN_RANGE: { code: 'WRAPPED_KEY_INVALID', message: 'The wrapped key has the wrong length.', action: 'Check that the backup file is intact and belongs to this key.' },
  CKR_ENCRYPTED_DATA_INVALID: { code: 'WRAPPED_KEY_INVALID', message: 'The encrypted data did not decrypt with this key.', action: 'Check that the data was encrypted to this key.' },
  CKR_TOKEN_WRITE_PROTECTED: { code: 'TOKEN_WRITE_PROTECTED', message: 'The token is write-protected.', action: 'Use a token that allows new objects, or remove its write protection with the vendor\'s tool.' },
  CKR_KEY_HANDLE_INVALID: { code: 'KEY_NOT_FOUND', message: 'The key is no longer on the token.', action: 'Look the key up again by its id.' },
  CKR_OBJECT_HANDLE_INVALID: { code: 'KEY_NOT_FOUND', message: 'The object is no longer on the token.', action: 'Look the object up again by its id.' },
  CKR_KEY_FUNCTION_NOT_PERMITTED: { code: 'KEY_FUNCTION_NOT_PERMITTED', message: 'The key\'s attributes do not allow this use.', action: 'Use a key made for this purpose.' },
  CKR_KEY_TYPE_INCONSISTENT: { code: 'KEY_TYPE_INCONSISTENT', message: 'The key is of the wrong type for this operation.', action: 'Check that the right key was chosen.' },
};

/** Tries-left flags read from the token right after a PIN failure. */
export interface PinTriesFlags {
  countLow: boolean;
  finalTry: boolean;
  locked: boolean;
}

export function tokenError(ckrName: string, fn: string, extra: { pinFlags?: PinTriesFlags } = {}): KeyriteError {
  const info = CKR_ERRORS[ckrName];
  if (!info) {
    return new KeyriteError('TOKEN_ERROR', `The token refused ${fn} (${ckrName}).`, {
      action: 'Note the code and check the token vendor\'s documentation before trying again.',
      details: { ckr: ckrName, function: fn },
    });
  }
  const details: Record<string, unknown> = { ckr: ckrName, function: fn };
  let message = info.message;
  if (info.outcomeUnknown) details.outcomeUnknown = true;
  if (info.code === 'PIN_INCORRECT' && extra.pinFlags) {
    Object.assign(details, extra.pinFlags);
    if (extra.pinFlags.finalTry) message += ' One try is left: another wrong PIN locks the token.';
    else if (extra.pinFlags.countLow) message += ' Few tries are left.';
  }
  return new KeyriteError(info.code, message, { action: info.action, details });
}

export function hostStopped(reason: string): KeyriteError {
  return new KeyriteError('TOKEN_HOST_STOPPED', `The token host process stopped (${reason}). The call did not finish.`, {
    action: 'The next call starts a new token host. Log in again, then check on the token (by key id) whether the interrupted operation happened.',
    details: { outcomeUnknown: true },
  });
}

export function tokenNotFound(selector: { label?: string; serial?: string }): KeyriteError {
  const what = selector.serial ? `serial ${selector.serial}` : `label "${selector.label ?? ''}"`;
  return new KeyriteError('TOKEN_NOT_FOUND', `No token with ${what} is present.`, {
    action: 'Connect the token (keyrite tokens lists what is present), or check the label or serial.',
    details: { ...selector },
  });
}

export function keyNotFound(key: { id?: string; label?: string }, what = 'key'): KeyriteError {
  return new KeyriteError('KEY_NOT_FOUND', `No ${what} with id ${key.id ?? '-'} and label "${key.label ?? ''}" is on the token.`, {
    action: 'Check the key id and label (keyrite tokens, or the ceremony transcript).',
    details: { id: key.id, label: key.label },
  });
}
