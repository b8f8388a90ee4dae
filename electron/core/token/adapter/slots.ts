/** Module, slot and token views, and finding a token by label or serial. */
import { tokenNotFound, type PinTriesFlags } from '../errors';
import { mechanismFlagNames, mechanismName } from '../pkcs11-names';
import { pkcs11, type Handle } from '../pkcs11js';
// CK_SLOT_INFO flags, not in pkcs11js's typings.
const CKF_TOKEN_PRESENT = 0x1;
const CKF_REMOVABLE_DEVICE = 0x2;
const CKF_HW_SLOT = 0x4;

import type { MechanismView, ModuleInfo, SlotView, TokenFlags, TokenSelector, TokenView } from '../types';
import { algorithmsFor } from './algorithms';
import { trimPadded, type AdapterContext } from './context';

export function slotIdString(slot: Handle): string {
  return slot.length >= 8 ? slot.readBigUInt64LE(0).toString() : slot.readUIntLE(0, slot.length).toString();
}

export function moduleInfo(ctx: AdapterContext): ModuleInfo {
  const info = ctx.call('C_GetInfo', () => ctx.p.C_GetInfo());
  return {
    path: ctx.modulePath,
    library: `${trimPadded(info.libraryDescription)} ${info.libraryVersion.major}.${info.libraryVersion.minor}`,
    manufacturer: trimPadded(info.manufacturerID),
    cryptokiVersion: `${info.cryptokiVersion.major}.${info.cryptokiVersion.minor}`,
  };
}

export function tokenFlags(flags: number): TokenFlags {
  const has = (bit: number): boolean => (flags & bit) !== 0;
  return {
    loginRequired: has(pkcs11.CKF_LOGIN_REQUIRED),
    tokenInitialized: has(pkcs11.CKF_TOKEN_INITIALIZED),
    rng: has(pkcs11.CKF_RNG),
    writeProtected: has(pkcs11.CKF_WRITE_PROTECTED),
    userPinInitialized: has(pkcs11.CKF_USER_PIN_INITIALIZED),
    userPinCountLow: has(pkcs11.CKF_USER_PIN_COUNT_LOW),
    userPinFinalTry: has(pkcs11.CKF_USER_PIN_FINAL_TRY),
    userPinLocked: has(pkcs11.CKF_USER_PIN_LOCKED),
    userPinToBeChanged: has(pkcs11.CKF_USER_PIN_TO_BE_CHANGED),
    soPinCountLow: has(pkcs11.CKF_SO_PIN_COUNT_LOW),
    soPinFinalTry: has(pkcs11.CKF_SO_PIN_FINAL_TRY),
    soPinLocked: has(pkcs11.CKF_SO_PIN_LOCKED),
    soPinToBeChanged: has(pkcs11.CKF_SO_PIN_TO_BE_CHANGED),
  };
}

/** Read after a failed login; undefined if the token cannot even say (it may have gone). */
export function pinTriesFlags(ctx: AdapterContext, slot: Handle, userType: 'user' | 'so'): PinTriesFlags | undefined {
  try {
    const f = tokenFlags(ctx.p.C_GetTokenInfo(slot).flags);
    return userType === 'so'
      ? { countLow: f.soPinCountLow, finalTry: f.soPinFinalTry, locked: f.soPinLocked }
      : { countLow: f.userPinCountLow, finalTry: f.userPinFinalTry, locked: f.userPinLocked };
  } catch {
    return undefined;
  }
}

export function mechanisms(ctx: AdapterContext, slot: Handle): MechanismView[] {
  const codes = ctx.call('C_GetMechanismList', () => ctx.p.C_GetMechanismList(slot));
  return codes.map((code) => {
    const info = ctx.call('C_GetMechanismInfo', () => ctx.p.C_GetMechanismInfo(slot, code));
    return { name: mechanismName(code), code, minKeySize: info.minKeySize, maxKeySize: info.maxKeySize, flags: mechanismFlagNames(info.flags) };
  });
}

function tokenView(ctx: AdapterContext, slot: Handle): TokenView {
  const info = ctx.call('C_GetTokenInfo', () => ctx.p.C_GetTokenInfo(slot));
  const mechs = mechanisms(ctx, slot);
  const manufacturer = trimPadded(info.manufacturerID);
  return {
    label: trimPadded(info.label),
    serial: trimPadded(info.serialNumber),
    model: trimPadded(info.model),
    manufacturer,
    flags: tokenFlags(info.flags),
    mechanisms: mechs,
    algorithms: algorithmsFor(mechs),
    // Software tokens whose keys live in files: SoftHSM2 and NSS softokn.
    rehearsal: manufacturer.startsWith('SoftHSM') || manufacturer.startsWith('Mozilla Foundation'),
    firmwareVersion: `${info.firmwareVersion.major}.${info.firmwareVersion.minor}`,
    hardwareVersion: `${info.hardwareVersion.major}.${info.hardwareVersion.minor}`,
  };
}

export function listSlots(ctx: AdapterContext): SlotView[] {
  ctx.rescanIfIdle();
  const slots = ctx.call('C_GetSlotList', () => ctx.p.C_GetSlotList(false));
  return slots.map((slot) => {
    const info = ctx.call('C_GetSlotInfo', () => ctx.p.C_GetSlotInfo(slot));
    const tokenPresent = (info.flags & CKF_TOKEN_PRESENT) !== 0;
    const view: SlotView = {
      slotId: slotIdString(slot),
      description: trimPadded(info.slotDescription),
      manufacturer: trimPadded(info.manufacturerID),
      hardwareSlot: (info.flags & CKF_HW_SLOT) !== 0,
      removable: (info.flags & CKF_REMOVABLE_DEVICE) !== 0,
      tokenPresent,
    };
    if (tokenPresent) view.token = tokenView(ctx, slot);
    return view;
  });
}

/** Slot ids change after init (SoftHSM2) or re-plugging, so tokens are always found by label or serial. */
export function findTokenSlot(ctx: AdapterContext, selector: TokenSelector): Handle {
  ctx.rescanIfIdle();
  const slots = ctx.call('C_GetSlotList', () => ctx.p.C_GetSlotList(true));
  for (const slot of slots) {
    const info = ctx.call('C_GetTokenInfo', () => ctx.p.C_GetTokenInfo(slot));
    if (selector.serial !== undefined && trimPadded(info.serialNumber) !== selector.serial) continue;
    if (selector.label !== undefined && trimPadded(info.label) !== selector.label) continue;
    if (selector.serial === undefined && selector.label === undefined) continue;
    return slot;
  }
  throw tokenNotFound(selector);
}
