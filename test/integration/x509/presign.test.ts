/**
 * Lint before and after signing, on a SoftHSM2 token: nothing reaches the token unless its exact
 * TBS bytes passed the profile on a throwaway-key draft; a result whose TBS differs, or whose
 * signature is over other bytes, is refused. A module that signs other bytes than it was given is
 * what no real module does, so that one is a fault injector around the real client.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import type { TokenApi } from '../../../electron/core/token/types';
import * as x509 from '../../../electron/core/x509/lib';
import { issueCrl, issueRootCertificate, issueSubordinateCertificate, type CaProfile, type IssuedCertificate } from '../../../electron/core/x509/certificates';
import { signAfterLint } from '../../../electron/core/x509/presign';
import { signingAlgorithm, tokenCrypto, tokenSigningKey, type TokenSigner } from '../../../electron/core/x509/token-crypto';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';

const tmp = tempDir('keyrite-presign-');
let client: TokenClient;
let session: string;
let signer: TokenSigner;
let spki: Uint8Array;
let root: IssuedCertificate;
const profile: CaProfile = { subject: { commonName: 'Presign Root', organization: 'Keyrite Test', country: 'NL' }, notBefore: '2026-01-01', notAfter: '2046-01-01', signature: 'sha384' };

beforeAll(async () => {
  const token = await makeToken(tmp.dir, 'presign');
  client = createTokenClient({ modulePath: token.modulePath, env: token.env });
  session = await client.openSession({ label: 'presign' }, { pin: USER_PIN });
  const pair = await client.generateKeyPair(session, { algorithm: 'ec-p384', label: 'root', id: randomBytes(8).toString('hex'), extractableForBackup: false });
  spki = pair.spki;
  signer = { token: client, session, key: { id: pair.id, label: pair.label }, algorithm: 'ec-p384' };
  root = await issueRootCertificate({ signer, spki, profile });
});
afterAll(async () => {
  await client.closeSession(session).catch(() => undefined);
  await client.close();
  tmp.cleanup();
});

/** The real token, counting signatures; `tamper` changes the bytes the token actually signs. */
function injected(tamper?: (data: Uint8Array) => Uint8Array): { signer: TokenSigner; calls: () => number } {
  let calls = 0;
  const token = new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'sign') return Reflect.get(target, prop, receiver) as unknown;
      return async (...[s, k, scheme, data]: Parameters<TokenApi['sign']>) => {
        calls++;
        return client.sign(s, k, scheme, tamper ? tamper(data) : data);
      };
    },
  }) as TokenApi;
  return { signer: { ...signer, token }, calls: () => calls };
}

describe('lint before and after signing', () => {
  it('refuses a certificate the token signed over different bytes (post-sign signature check)', async () => {
    const t = injected((d) => { const c = new Uint8Array(d); c[c.length - 1] = (c[c.length - 1] ?? 0) ^ 1; return c; });
    await expect(issueRootCertificate({ signer: t.signer, spki, profile })).rejects.toMatchObject({ code: 'CERT_SIGNATURE_INVALID' });
    expect(t.calls()).toBe(1);
  });

  it('refuses a CRL the token signed over different bytes', async () => {
    const t = injected((d) => new Uint8Array([...d, 0]));
    await expect(issueCrl({ signer: t.signer, issuer: root, revoked: [], thisUpdate: new Date('2026-06-01T00:00:00Z'), nextUpdateDays: 7, crlNumber: 3, hash: 'sha384' }))
      .rejects.toMatchObject({ code: 'CRL_SIGNATURE_INVALID' });
  });

  it('does not touch the token when the draft breaks the profile (a TLS subordinate without policies)', async () => {
    const t = injected();
    const sub = await client.generateKeyPair(session, { algorithm: 'ec-p256', label: 'sub', id: randomBytes(8).toString('hex'), extractableForBackup: false });
    await expect(issueSubordinateCertificate({ signer: t.signer, issuer: root, subjectSpki: sub.spki, profile: { ...profile, subject: { commonName: 'Sub', organization: 'Keyrite Test', country: 'NL' } } }))
      .rejects.toMatchObject({ code: 'PROFILE_VIOLATION', message: expect.stringContaining('certificatePolicies: absent; it is required (BR 7.1.2.10.5)') });
    expect(t.calls()).toBe(0);
  });

  it('does not send the token bytes other than the linted TBS (an encoder that drew a new serial)', async () => {
    const t = injected();
    const build = async (key: CryptoKey | 'token', guard: (d: Uint8Array) => void) => {
      const crypto = key === 'token' ? tokenCrypto(t.signer, 'sha384', undefined, guard) : (globalThis.crypto as Crypto);
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: `01${randomBytes(15).toString('hex')}`, subject: 'CN=x', issuer: 'CN=x', notBefore: new Date('2026-01-01'), notAfter: new Date('2036-01-01'),
        publicKey: new Uint8Array(spki).buffer as ArrayBuffer, signingKey: key === 'token' ? tokenSigningKey(t.signer, 'sha384') : key, signingAlgorithm: signingAlgorithm('ec-p384', 'sha384'),
      }, crypto);
      return new Uint8Array(cert.rawData);
    };
    await expect(signAfterLint({ algorithm: 'ec-p384', hash: 'sha384', what: 'certificate', build, lint: () => undefined, verify: async () => undefined }))
      .rejects.toMatchObject({ code: 'TBS_MISMATCH', message: expect.stringContaining('sent to the token') });
    expect(t.calls()).toBe(0);
  });

  it('refuses a result whose TBS is not the linted one, even when signed', async () => {
    let n = 0;
    const build = async (key: CryptoKey | 'token') => {
      n++;
      const other = n > 1 ? 'CN=changed' : 'CN=x';
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: '0102030405060708090a', subject: other, issuer: other, notBefore: new Date('2026-01-01'), notAfter: new Date('2036-01-01'),
        publicKey: new Uint8Array(spki).buffer as ArrayBuffer, signingKey: key === 'token' ? tokenSigningKey(signer, 'sha384') : key, signingAlgorithm: signingAlgorithm('ec-p384', 'sha384'),
      }, key === 'token' ? tokenCrypto(signer, 'sha384') : (globalThis.crypto as Crypto));
      return new Uint8Array(cert.rawData);
    };
    await expect(signAfterLint({ algorithm: 'ec-p384', hash: 'sha384', what: 'certificate', build, lint: () => undefined, verify: async () => undefined }))
      .rejects.toMatchObject({ code: 'TBS_MISMATCH', message: expect.stringContaining('returned after signing') });
  });
});
