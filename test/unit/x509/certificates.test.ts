/**
 * Encoding tests with a software signer standing in for TokenApi.sign (the SoftHSM2 path is in
 * test/integration/x509). OpenSSL is the judge: the certificates must verify and show the profile.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { issueCrl, issueFromCsr, issueRootCertificate, readCsr, type CaProfile } from '../../../electron/core/x509/certificates';
import { ecdsaDerToRaw, type TokenSigner } from '../../../electron/core/x509/token-crypto';
import type { KeyAlgorithm, TokenApi } from '../../../electron/core/token/types';
import { tempDir } from '../../helpers/softhsm';

const tmp = tempDir('keyrite-x509-');
afterAll(() => tmp.cleanup());

function softSigner(algorithm: KeyAlgorithm, privateKey: KeyObject): TokenSigner {
  const token = {
    async sign(_s: string, _k: unknown, scheme: string, data: Uint8Array) {
      const hash = scheme === 'ed25519' ? null : scheme.replace(/^.*-(sha\d+)$/, '$1');
      return new Uint8Array(nodeSign(hash, data, privateKey));
    },
  } as unknown as TokenApi;
  return { token, session: 's', key: { id: '01', label: 'k' }, algorithm };
}

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const profile: CaProfile = { subject: { commonName: 'Test Root', organization: 'Keyrite Test', country: 'NL' }, notBefore: '2026-01-01', notAfter: '2046-01-01', signature: 'sha384' };
/** BR 7.1.2.6: what a TLS subordinate CA certificate carries besides the basics. */
const TLS_SUB: Partial<CaProfile> = {
  subject: { commonName: 'Test Intermediate', organization: 'Keyrite Test', country: 'NL' }, pathLen: 0, policies: ['2.23.140.1.2.2'],
  crlDistributionPoints: ['http://crl.example.test/root.crl'], authorityInfoAccess: { caIssuers: ['http://pki.example.test/root.crt'], ocsp: ['http://ocsp.example.test/'] },
  extendedKeyUsage: ['serverAuth', 'clientAuth'],
};

describe('x509 on a signer', () => {
  it('converts DER ECDSA signatures to r||s, padding short integers', () => {
    const der = new Uint8Array([0x30, 0x08, 0x02, 0x02, 0x00, 0x81, 0x02, 0x02, 0x01, 0x02]);
    expect([...ecdsaDerToRaw(der, 4)]).toEqual([0, 0, 0, 0x81, 0, 0, 1, 2]);
  });

  // Ed25519 is outside the BRs: a private root (RFC 5280 rules only), with a pathLen a BR root leaves out.
  for (const [algorithm, gen, extra] of [
    ['ec-p384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }), {}],
    ['rsa-3072', () => generateKeyPairSync('rsa', { modulusLength: 3072 }), {}],
    ['ed25519', () => generateKeyPairSync('ed25519'), { profile: 'private', pathLen: 1 }],
  ] as const) {
    it(`makes a self-signed ${algorithm} root that OpenSSL verifies, with the profile's extensions`, async () => {
      const { publicKey, privateKey } = gen();
      const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
      const cert = await issueRootCertificate({ signer: softSigner(algorithm, privateKey), spki, profile: { ...profile, ...extra } });
      const file = path.join(tmp.dir, `root-${algorithm}.pem`);
      writeFileSync(file, cert.pem);
      expect(openssl('verify', '-CAfile', file, '-check_ss_sig', file)).toContain(': OK');
      const text = openssl('x509', '-in', file, '-noout', '-text');
      expect(text).toMatch(algorithm === 'ed25519' ? /X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:1/ : /X509v3 Basic Constraints: critical\s+CA:TRUE\n/);
      expect(text).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/);
      expect(text).toContain('X509v3 Subject Key Identifier');
      expect(text).toMatch(/Not Before: Jan {2}1 00:00:00 2026 GMT/);
      expect(cert.subject).toContain('CN=Test Root');
    });
  }

  it('issues an intermediate from an OpenSSL CSR that verifies in a chain, and a CRL', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const signer = softSigner('ec-p384', privateKey);
    const root = await issueRootCertificate({ signer, spki: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })), profile });
    const key = path.join(tmp.dir, 'int.key');
    const csr = path.join(tmp.dir, 'int.csr');
    openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=Requested Name');
    const { readFileSync } = await import('node:fs');
    const intermediate = await issueFromCsr({ signer, issuer: root, csr: readFileSync(csr, 'utf8'), profile: { ...profile, ...TLS_SUB } });
    writeFileSync(path.join(tmp.dir, 'root.pem'), root.pem);
    writeFileSync(path.join(tmp.dir, 'int.pem'), intermediate.pem);
    expect(openssl('verify', '-CAfile', path.join(tmp.dir, 'root.pem'), path.join(tmp.dir, 'int.pem'))).toContain(': OK');
    expect(openssl('x509', '-in', path.join(tmp.dir, 'int.pem'), '-noout', '-subject')).toContain('CN = Test Intermediate');
    const intText = openssl('x509', '-in', path.join(tmp.dir, 'int.pem'), '-noout', '-text');
    expect(intText).toMatch(/X509v3 Certificate Policies:\s+Policy: 2\.23\.140\.1\.2\.2/);
    expect(intText).toMatch(/X509v3 CRL Distribution Points:\s+Full Name:\s+URI:http:\/\/crl\.example\.test\/root\.crl/);
    expect(intText).toMatch(/Authority Information Access:\s+OCSP - URI:http:\/\/ocsp\.example\.test\/\s+CA Issuers - URI:http:\/\/pki\.example\.test\/root\.crt/);
    expect(intText).toMatch(/X509v3 Extended Key Usage:\s+TLS Web Server Authentication, TLS Web Client Authentication/);

    const crl = await issueCrl({ signer, issuer: root, revoked: [{ serial: '0a1b', date: '2026-02-01', reason: 'superseded' }], thisUpdate: new Date('2026-03-01T00:00:00Z'), nextUpdateDays: 7, crlNumber: 7, hash: 'sha384' });
    writeFileSync(path.join(tmp.dir, 'crl.pem'), crl.pem);
    const crlText = execFileSync('openssl', ['crl', '-in', path.join(tmp.dir, 'crl.pem'), '-CAfile', path.join(tmp.dir, 'root.pem'), '-noout', '-text'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(crlText).toMatch(/X509v3 CRL Number:\s+7/);
    expect(crlText).toMatch(/Serial Number: 0A1B/);
  });

  it('refuses a CSR whose signature does not verify', async () => {
    const csr = path.join(tmp.dir, 'bad.csr');
    openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(tmp.dir, 'bad.key'), '-outform', 'DER', '-out', csr, '-subj', '/CN=x');
    const { readFileSync } = await import('node:fs');
    const der = new Uint8Array(readFileSync(csr));
    der[der.length - 5] = (der[der.length - 5] ?? 0) ^ 0xff;
    await expect(readCsr(der)).rejects.toMatchObject({ code: expect.stringMatching(/CSR_(SIGNATURE_)?INVALID/) });
  });

  it('refuses a certificate whose token signature is wrong', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const other = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
    await expect(issueRootCertificate({ signer: softSigner('ec-p384', other.privateKey), spki, profile })).rejects.toMatchObject({ code: 'CERT_SIGNATURE_INVALID' });
  });
});
