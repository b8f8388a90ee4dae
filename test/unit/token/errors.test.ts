import { describe, expect, it } from 'vitest';
import { CKR_ERRORS, hostStopped, tokenError } from '../../../electron/core/token/errors';
import { ckrCode } from '../../../electron/core/token/pkcs11-names';

const REQUIRED: Record<string, string> = {
  CKR_PIN_INCORRECT: 'PIN_INCORRECT', CKR_PIN_LOCKED: 'PIN_LOCKED', CKR_PIN_EXPIRED: 'PIN_EXPIRED', CKR_TOKEN_NOT_PRESENT: 'TOKEN_NOT_PRESENT',
  CKR_DEVICE_REMOVED: 'DEVICE_REMOVED', CKR_SESSION_CLOSED: 'SESSION_CLOSED', CKR_SESSION_HANDLE_INVALID: 'SESSION_INVALID',
  CKR_GENERAL_ERROR: 'GENERAL_ERROR', CKR_DEVICE_ERROR: 'DEVICE_ERROR', CKR_MECHANISM_INVALID: 'MECHANISM_INVALID', CKR_KEY_SIZE_RANGE: 'KEY_SIZE_RANGE',
  CKR_TEMPLATE_INCOMPLETE: 'TEMPLATE_INCOMPLETE', CKR_TEMPLATE_INCONSISTENT: 'TEMPLATE_INCONSISTENT', CKR_KEY_UNEXTRACTABLE: 'KEY_UNEXTRACTABLE',
  CKR_KEY_NOT_WRAPPABLE: 'KEY_NOT_WRAPPABLE', CKR_WRAPPED_KEY_INVALID: 'WRAPPED_KEY_INVALID', CKR_TOKEN_WRITE_PROTECTED: 'TOKEN_WRITE_PROTECTED',
};

describe('CKR -> typed error table', () => {
  it('gives each CKR code a ceremony can meet its own Keyrite code, a message and an action', () => {
    for (const [ckr, code] of Object.entries(REQUIRED)) {
      expect(ckrCode(ckr), ckr).toBeTypeOf('number');
      const e = tokenError(ckr, 'C_Test');
      expect(e.code, ckr).toBe(code);
      expect(e.action?.length, ckr).toBeGreaterThan(10);
    }
    expect(new Set(Object.values(REQUIRED)).size).toBe(Object.keys(REQUIRED).length);
    for (const ckr of Object.keys(CKR_ERRORS)) expect(ckrCode(ckr), ckr).toBeTypeOf('number');
  });

  it('marks general, device and removal errors as outcome unknown: reconcile, do not retry', () => {
    for (const ckr of ['CKR_GENERAL_ERROR', 'CKR_DEVICE_ERROR', 'CKR_DEVICE_REMOVED']) expect(tokenError(ckr, 'C_X').details?.outcomeUnknown).toBe(true);
    expect(tokenError('CKR_PIN_INCORRECT', 'C_Login').details?.outcomeUnknown).toBeUndefined();
    expect(hostStopped('killed').toData()).toMatchObject({ code: 'TOKEN_HOST_STOPPED', details: { outcomeUnknown: true } });
  });

  it('adds the tries-left flags to PIN_INCORRECT and warns on the final try', () => {
    const e = tokenError('CKR_PIN_INCORRECT', 'C_Login', { pinFlags: { countLow: true, finalTry: true, locked: false } });
    expect(e.details).toMatchObject({ countLow: true, finalTry: true, locked: false });
    expect(e.message).toMatch(/One try is left/);
  });

  it('keeps an unlisted CKR code as TOKEN_ERROR with its name', () => {
    expect(tokenError('CKR_FUNCTION_CANCELED', 'C_Sign').toData()).toMatchObject({ code: 'TOKEN_ERROR', details: { ckr: 'CKR_FUNCTION_CANCELED', function: 'C_Sign' } });
  });
});
