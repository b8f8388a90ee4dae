import { describe, expect, it } from 'vitest';
import { moduleName, parseCardModules, slotMatches } from '../../../electron/core/token/card-modules';
import type { SlotView } from '../../../electron/core/token/types';

describe('parseCardModules (KEYRITE_CARD_MODULES)', () => {
  it('reads absolute paths split by the delimiter, once each, named by product where known', () => {
    expect(parseCardModules(undefined)).toEqual([]);
    expect(parseCardModules('  ')).toEqual([]);
    expect(parseCardModules('/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so::/opt/v/libfoo.so:/opt/v/libfoo.so', ':')).toEqual([
      { name: 'OpenSC (PIV, OpenPGP and other smart cards)', path: '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so' },
      { name: 'libfoo.so', path: '/opt/v/libfoo.so' },
    ]);
  });

  it('refuses a relative path, naming it and saying how to write the setting', () => {
    let err: unknown;
    try { parseCardModules('/usr/lib/a.so:opensc-pkcs11.so', ':'); } catch (e) { err = e; }
    expect(err).toMatchObject({ code: 'CARD_MODULE_INVALID', details: { path: 'opensc-pkcs11.so' } });
    expect((err as Error).message).toContain('"opensc-pkcs11.so"');
    expect((err as { action: string }).action).toContain('full path');
  });
});

describe('slotMatches', () => {
  const slot = (label: string, serial: string): SlotView => ({ slotId: '1', description: '', manufacturer: '', hardwareSlot: false, removable: true, tokenPresent: true, token: { label, serial } as SlotView['token'] });
  it('matches by serial when one is given (a label may repeat), else by label; an empty slot never', () => {
    expect(slotMatches(slot('card', 'A1'), { serial: 'A1' })).toBe(true);
    expect(slotMatches(slot('card', 'A1'), { serial: 'B2', label: 'card' })).toBe(false);
    expect(slotMatches(slot('card', 'A1'), { label: 'card' })).toBe(true);
    expect(slotMatches(slot('card', 'A1'), {})).toBe(false);
    expect(slotMatches({ ...slot('x', 'y'), token: undefined } as SlotView, { label: 'x' })).toBe(false);
  });

  it('names a module by its known product, else by its file name', () => {
    expect(moduleName('/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so')).toBe('SoftHSM2 (rehearsal tokens)');
    expect(moduleName('/opt/vendor/lib/libvendor-pkcs11.so')).toBe('libvendor-pkcs11.so');
  });
});
