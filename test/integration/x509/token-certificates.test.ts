/** Certificates signed by keys on a SoftHSM2 token, for every algorithm the token layer offers; OpenSSL judges. */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import type { KeyAlgorithm } from '../../../electron/core/token/types';
import { issueCrl, issueRootCertificate, issueSubordinateCertificate } from '../../../electron/core/x509/certificates';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';
import { openssl } from '../ceremony/helpers';

const tmp = tempDir('keyrite-x509-token-');
let client: TokenClient;
let session: string;

beforeAll(async () => {
  const token = await makeToken(tmp.dir, 'x509');
  client = createTokenClient({ modulePath: token.modulePath, env: token.env });
  session = await client.openSession({ label: 'x509' }, { pin: USER_PIN });
});
afterAll(async () => {
  await client.closeSession(session).catch(() => undefined);
  await client.close();
  tmp.cleanup();
});

// Every algorithm the token offers, so the private profile (RFC 5280 rules): Ed25519 and P-256 with SHA-384 are outside the BRs.
const profile = { subject: { commonName: 'Token Root' }, notBefore: '2026-01-01', notAfter: '2036-01-01', signature: 'sha384' as const, profile: 'private' as const };

describe('X.509 signed on the token', () => {
  for (const algorithm of ['ec-p256', 'ec-p384', 'ec-p521', 'rsa-3072', 'ed25519'] as KeyAlgorithm[]) {
    it(`${algorithm}: self-signed root, subordinate and CRL verify with OpenSSL`, async () => {
      const pair = await client.generateKeyPair(session, { algorithm, label: `root-${algorithm}`, id: randomBytes(8).toString('hex'), extractableForBackup: false });
      const signer = { token: client, session, key: { id: pair.id, label: pair.label }, algorithm };
      const root = await issueRootCertificate({ signer, spki: pair.spki, profile: { ...profile, pathLen: 1 } });
      const rootFile = path.join(tmp.dir, `${algorithm}-root.pem`);
      writeFileSync(rootFile, root.pem);
      expect(openssl('verify', '-CAfile', rootFile, '-check_ss_sig', rootFile)).toContain(': OK');
      const sub = await client.generateKeyPair(session, { algorithm: 'ec-p256', label: `sub-${algorithm}`, id: randomBytes(8).toString('hex'), extractableForBackup: false });
      const cert = await issueSubordinateCertificate({ signer, issuer: root, subjectSpki: sub.spki, profile: { ...profile, subject: { commonName: 'Token Sub' }, pathLen: 0 } });
      const subFile = path.join(tmp.dir, `${algorithm}-sub.pem`);
      writeFileSync(subFile, cert.pem);
      expect(openssl('verify', '-CAfile', rootFile, subFile)).toContain(': OK');
      const crl = await issueCrl({ signer, issuer: root, revoked: [{ serial: cert.serial, date: '2026-05-01' }], thisUpdate: new Date('2026-06-01T00:00:00Z'), nextUpdateDays: 7, crlNumber: 2, hash: 'sha384', kind: 'private' });
      const crlFile = path.join(tmp.dir, `${algorithm}.crl.pem`);
      writeFileSync(crlFile, crl.pem);
      expect(openssl('crl', '-in', crlFile, '-CAfile', rootFile, '-noout')).toBe('');
    });
  }
});
