/** Sessions and login. The PIN is passed straight to C_Login and never stored, logged or echoed. */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { KeyriteError } from '../../util/errors';
import { pkcs11 } from '../pkcs11js';
import type { LoginOptions, SessionId, TokenSelector } from '../types';
import { isPkcs11Error, type AdapterContext } from './context';
import { findTokenSlot, pinTriesFlags } from './slots';

/**
 * Login state belongs to the application and token, not the session (PKCS#11 §5.6): once this host
 * is logged in to a token, C_Login on another session answers CKR_USER_ALREADY_LOGGED_IN without
 * looking at the PIN. So a second login must still check its PIN: against a keyed digest of the PIN
 * that logged in (kept in this process's memory only, under a key made at start), or, with none, by
 * logging out and in again so the token itself checks it.
 */
const PIN_DIGEST_KEY = randomBytes(32);
const loggedInPins = new WeakMap<AdapterContext, Map<string, Buffer>>();

function pinDigest(pin: string): Buffer {
  return createHmac('sha256', PIN_DIGEST_KEY).update(pin, 'utf8').digest();
}

function loginChecked(ctx: AdapterContext, handle: Buffer, slot: Buffer, userType: 'user' | 'so', pin: string): void {
  const pins = loggedInPins.get(ctx) ?? new Map<string, Buffer>();
  loggedInPins.set(ctx, pins);
  const key = `${slot.toString('hex')}:${userType}`;
  const cku = userType === 'so' ? pkcs11.CKU_SO : pkcs11.CKU_USER;
  try {
    ctx.p.C_Login(handle, cku, pin);
  } catch (e) {
    if (!(isPkcs11Error(e) && e.code === pkcs11.CKR_USER_ALREADY_LOGGED_IN)) throw e;
    const known = pins.get(key);
    if (known) {
      if (timingSafeEqual(known, pinDigest(pin))) return;
      // The token has one PIN per user type, and this one is not the PIN that logged in.
      throw new pkcs11.Pkcs11Error(`CKR_PIN_INCORRECT:${pkcs11.CKR_PIN_INCORRECT}`, pkcs11.CKR_PIN_INCORRECT, 'C_Login');
    }
    ctx.p.C_Logout(handle);
    ctx.p.C_Login(handle, cku, pin);
  }
  pins.set(key, pinDigest(pin));
}

export function openSession(ctx: AdapterContext, selector: TokenSelector, login?: LoginOptions): SessionId {
  const slot = findTokenSlot(ctx, selector);
  const handle = ctx.call('C_OpenSession', () => ctx.p.C_OpenSession(slot, pkcs11.CKF_SERIAL_SESSION | pkcs11.CKF_RW_SESSION));
  if (login) {
    const userType = login.userType ?? 'user';
    try {
      ctx.call(
        'C_Login',
        () => loginChecked(ctx, handle, slot, userType, login.pin),
        { pinFlags: () => pinTriesFlags(ctx, slot, userType) },
      );
    } catch (e) {
      try {
        ctx.p.C_CloseSession(handle);
      } catch {
        // The session may already be gone with the token; the login error is what the caller needs.
      }
      throw e;
    }
  }
  return ctx.addSession({ handle, slot });
}

export function closeSession(ctx: AdapterContext, id: SessionId): void {
  const s = ctx.removeSession(id);
  ctx.forgetSession(s.handle);
  try {
    ctx.call('C_CloseSession', () => ctx.p.C_CloseSession(s.handle));
  } catch (e) {
    // Closing a session the token already dropped is the outcome the caller wanted.
    if (e instanceof KeyriteError && (e.code === 'SESSION_CLOSED' || e.code === 'SESSION_INVALID' || e.code === 'DEVICE_REMOVED')) return;
    throw e;
  }
}

export function generateRandom(ctx: AdapterContext, id: SessionId, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 1 || length > 65536) {
    throw new KeyriteError('INPUT_RANGE', `Random length ${length} must be 1 to 65536 bytes.`, { action: 'Ask for fewer bytes.' });
  }
  const s = ctx.session(id);
  return new Uint8Array(ctx.call('C_GenerateRandom', () => ctx.p.C_GenerateRandom(s.handle, Buffer.alloc(length))));
}
