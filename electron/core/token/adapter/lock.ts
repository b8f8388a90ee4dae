/**
 * Locking a private key in the token once its backup is verified: CKA_EXTRACTABLE, CKA_COPYABLE and
 * CKA_MODIFIABLE set to FALSE. PKCS#11 lets each go from TRUE to FALSE and never back, so a locked
 * key can never again be wrapped out, whoever holds the user PIN.
 *
 * Measured on SoftHSM2 2.6.1: CKA_EXTRACTABLE TRUE -> FALSE is accepted (and FALSE -> TRUE refused
 * with CKR_ATTRIBUTE_READ_ONLY); CKA_COPYABLE and CKA_MODIFIABLE cannot be changed after creation
 * (CKR_ATTRIBUTE_READ_ONLY), so Keyrite makes its keys CKA_COPYABLE=FALSE at generation and records
 * CKA_MODIFIABLE as refused. A key made CKA_MODIFIABLE=FALSE refuses every later change, which is
 * why CKA_MODIFIABLE comes last here and is never set at birth on a key that still needs its backup.
 */
import { KeyriteError } from '../../util/errors';
import { pkcs11, type Handle } from '../pkcs11js';
import type { KeyLockResult, KeyRef, LockAttribute, LockStep, SessionId } from '../types';
import { bool, type AdapterContext } from './context';

const ORDER: readonly [LockAttribute, number][] = [
  ['CKA_EXTRACTABLE', pkcs11.CKA_EXTRACTABLE],
  ['CKA_COPYABLE', pkcs11.CKA_COPYABLE],
  // Last: once FALSE, the token refuses any further change to the key's attributes.
  ['CKA_MODIFIABLE', pkcs11.CKA_MODIFIABLE],
];

/** Errors that say the token or session is gone (or the outcome is unknown), not that the token refused. */
const NOT_A_REFUSAL = new Set(['SESSION_INVALID', 'SESSION_CLOSED', 'TOKEN_NOT_PRESENT', 'DEVICE_REMOVED', 'TOKEN_HOST_STOPPED', 'KEY_NOT_FOUND']);

function isRefusal(e: unknown): e is KeyriteError {
  return e instanceof KeyriteError && !NOT_A_REFUSAL.has(e.code) && e.details?.outcomeUnknown !== true && typeof e.details?.ckr === 'string';
}

/** The attribute's value, or null when the token does not know it; read strictly (never guessed). */
function readFlag(ctx: AdapterContext, session: Handle, h: Handle, type: number): boolean | null {
  try {
    return bool(ctx.readAttributes(session, h, [type]).get(type));
  } catch (e) {
    if (e instanceof KeyriteError && e.details?.ckr === 'CKR_ATTRIBUTE_TYPE_INVALID') return null;
    throw e;
  }
}

export function lockKey(ctx: AdapterContext, id: SessionId, key: KeyRef): KeyLockResult {
  const s = ctx.session(id);
  const h = ctx.findKey(s.handle, key, 'private');
  const steps: LockStep[] = [];
  for (const [attribute, type] of ORDER) {
    const now = readFlag(ctx, s.handle, h, type);
    if (now === null) { steps.push({ attribute, outcome: 'unsupported' }); continue; }
    if (!now) { steps.push({ attribute, outcome: 'already' }); continue; }
    try {
      ctx.call('C_SetAttributeValue', () => ctx.p.C_SetAttributeValue(s.handle, h, [{ type, value: false }]));
      steps.push({ attribute, outcome: 'set' });
    } catch (e) {
      if (!isRefusal(e)) throw e;
      steps.push({ attribute, outcome: 'refused', ckr: String(e.details?.ckr) });
    }
  }
  const extractable = readFlag(ctx, s.handle, h, pkcs11.CKA_EXTRACTABLE);
  if (extractable !== false) {
    const refused = steps.find((x) => x.attribute === 'CKA_EXTRACTABLE');
    throw new KeyriteError('KEY_LOCK_REFUSED', `The token did not make key "${key.label}" non-extractable${refused?.ckr ? ` (${refused.ckr})` : ''}: it can still be wrapped out of the token.`, {
      action: 'Do not seal and do not use this key. Record a deviation; then destroy the key and its backup and generate it again on a token that lets CKA_EXTRACTABLE be set to FALSE (check with the vendor), or fix the token\'s policy and resume the run to try the lock again.',
      details: { id: key.id, label: key.label, steps, ...(refused?.ckr ? { ckr: refused.ckr } : {}) },
    });
  }
  return {
    steps,
    extractable,
    copyable: readFlag(ctx, s.handle, h, pkcs11.CKA_COPYABLE),
    modifiable: readFlag(ctx, s.handle, h, pkcs11.CKA_MODIFIABLE),
  };
}
