import { describe, expect, it } from 'vitest';
import { algorithmsFor } from '../../../electron/core/token/adapter/algorithms';
import { findModules, KNOWN_MODULES } from '../../../electron/core/token/modules';
import type { MechanismView } from '../../../electron/core/token/types';

const mech = (code: number, min = 0, max = 0): MechanismView => ({ name: '', code, minKeySize: min, maxKeySize: max, flags: [] });
const RSA_GEN = 0x0, RSA_PKCS = 0x1, EC_GEN = 0x1040, ECDSA = 0x1041, ED_GEN = 0x1055, EDDSA = 0x1057;

describe('algorithms a token offers', () => {
  it('offers an algorithm only when generation and signing are listed and the size fits', () => {
    expect(algorithmsFor([mech(RSA_GEN, 1024, 4096), mech(RSA_PKCS, 1024, 4096)])).toEqual(['rsa-3072', 'rsa-4096']);
    expect(algorithmsFor([mech(RSA_GEN, 1024, 2048), mech(RSA_PKCS)])).toEqual([]);
    expect(algorithmsFor([mech(RSA_GEN, 1024, 4096)])).toEqual([]);
    expect(algorithmsFor([mech(EC_GEN, 256, 384), mech(ECDSA, 256, 384)])).toEqual(['ec-p256', 'ec-p384']);
    expect(algorithmsFor([mech(ED_GEN, 256, 256), mech(EDDSA, 256, 256)])).toEqual(['ed25519']);
    expect(algorithmsFor([mech(ED_GEN, 255, 255)])).toEqual([]);
  });
});

describe('known PKCS#11 modules', () => {
  it('knows the vendors Keyrite supports and says which are present', () => {
    expect(KNOWN_MODULES.map((m) => m.id)).toEqual(['softhsm2', 'opensc', 'yubihsm2', 'ykcs11', 'luna', 'nshield', 'cloudhsm', 'utimaco']);
    const present = new Set(['/usr/lib/pkcs11/yubihsm_pkcs11.so', '/tmp/vendor.so']);
    const found = findModules(['/tmp/vendor.so', '/tmp/missing.so'], (p) => present.has(p));
    expect(found[0]).toMatchObject({ path: '/tmp/vendor.so', present: true, userGiven: true });
    expect(found[1]).toMatchObject({ present: false, userGiven: true });
    expect(found.find((m) => m.id === 'yubihsm2')).toMatchObject({ path: '/usr/lib/pkcs11/yubihsm_pkcs11.so', present: true });
    expect(found.find((m) => m.id === 'luna')).toMatchObject({ present: false });
    const again = findModules(['/usr/lib/pkcs11/yubihsm_pkcs11.so'], (p) => present.has(p)).filter((m) => m.id === 'yubihsm2');
    expect(again).toEqual([{ id: 'yubihsm2', vendor: 'Yubico', product: 'YubiHSM 2', path: '/usr/lib/pkcs11/yubihsm_pkcs11.so', present: true, userGiven: true }]);
  });
});
