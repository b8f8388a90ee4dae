/**
 * certPemOf turns a certificate's DER (a file ykman wrote, a token's CKA_VALUE) into PEM that
 * parses. A DER whose base64 fills its last 64-character line once came out with an empty line
 * before END, which the X.509 parser refused: the device certificate of YubiKey 14833186 is one.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certPemOf, certSha256 } from '../../../electron/core/attestation/verify-piv';

const V = '/work/shared/vectors/attestation/yubikey-piv';
const der = (f: string) => execFileSync('openssl', ['x509', '-in', f, '-outform', 'DER']);

describe('certPemOf', () => {
  const files = ['14833186/device_cert.pem', '14833186/key_cert.pem', '13078782/device_cert.pem', 'yubico-piv-root-ca.pem'].map((f) => `${V}/${f}`);

  it('gives PEM that parses and is the same certificate, also when the base64 fills its last line', () => {
    expect(der(files[0]!).toString('base64').length % 64).toBe(0);
    for (const f of files) {
      const bytes = der(f);
      const pem = certPemOf(new Uint8Array(bytes));
      expect(pem).not.toMatch(/\n\n/);
      expect(certSha256(pem)).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(execFileSync('openssl', ['x509', '-outform', 'DER'], { input: pem }).equals(bytes)).toBe(true);
    }
  });
});
