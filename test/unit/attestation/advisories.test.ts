import { describe, expect, it } from 'vitest';
import { advisoriesFor } from '../../../electron/core/attestation/advisories';
import { decodePivExtensions, YUBICO_PIV_OID } from '../../../electron/core/attestation/yubico-piv-extensions';

const ids = (firmware: string | undefined, keyType: string) => advisoriesFor({ vendor: 'yubico-piv', ...(firmware ? { firmware } : {}), keyType }).map((a) => a.id);

describe('firmware advisories', () => {
  it('YSA-2024-03 covers ECDSA keys on YubiKey 5 firmware below 5.7.0, and nothing at 5.7.0 or for RSA', () => {
    expect(ids('5.6.9', 'ec')).toEqual(['YSA-2024-03']);
    expect(ids('5.0.0', 'ec')).toEqual(['YSA-2024-03']);
    expect(ids('5.7.0', 'ec')).toEqual([]);
    expect(ids('5.4.3', 'rsa')).toEqual([]);
  });
  it('YSA-2017-01 (ROCA) covers RSA keys on YubiKey 4 firmware 4.2.6 to 4.3.4', () => {
    expect(ids('4.2.6', 'rsa')).toEqual(['YSA-2017-01']);
    expect(ids('4.3.4', 'rsa')).toEqual(['YSA-2017-01']);
    expect(ids('4.3.5', 'rsa')).toEqual([]);
    expect(ids('4.2.5', 'rsa')).toEqual([]);
    expect(ids('4.3.1', 'ec')).toEqual([]);
  });
  it('says so when the firmware cannot be read', () => {
    expect(ids(undefined, 'ec')).toEqual(['FIRMWARE-UNKNOWN']);
  });
});

describe('Yubico PIV attestation extensions', () => {
  const ext = (m: Record<string, number[]>) => (oid: string) => (m[oid] ? new Uint8Array(m[oid]) : undefined);
  it('decodes firmware, serial, policies and form factor with its certified-series bit', () => {
    expect(decodePivExtensions(ext({
      [YUBICO_PIV_OID.firmware]: [5, 7, 1], [YUBICO_PIV_OID.serial]: [0x02, 0x04, 0x01, 0x02, 0x03, 0x04],
      [YUBICO_PIV_OID.policy]: [2, 3], [YUBICO_PIV_OID.formFactor]: [0x84],
    }))).toEqual({ firmware: '5.7.1', serial: 0x01020304, pinPolicy: 'once per session', touchPolicy: 'cached (15 s)', formFactor: 'USB-C nano', certifiedSeries: 'FIPS' });
  });
  it('ignores malformed values instead of guessing', () => {
    expect(decodePivExtensions(ext({ [YUBICO_PIV_OID.firmware]: [5, 7], [YUBICO_PIV_OID.serial]: [0x04, 0x01, 0x05] }))).toEqual({});
  });
});
