/**
 * BR 7.1.2.8, the OCSP responder profile: one test per rule, each with a certificate that is
 * conformant but for the one thing the rule forbids, built here with @peculiar/x509 and a software
 * key (not with Keyrite's issuance). `ceremony check` refuses the same faults in the template.
 */
import { randomBytes, webcrypto } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '../../../electron/cli/commands/ceremony';
import * as x509 from '../../../electron/core/x509/lib';
import { lintCertificate } from '../../../electron/core/x509/lint';
import { tempDir } from '../../helpers/softhsm';

const crypto = webcrypto as unknown as Crypto;
const KU = x509.KeyUsageFlags;
const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';
const OID = { bc: '2.5.29.19', ku: '2.5.29.15', ski: '2.5.29.14', aki: '2.5.29.35', eku: '2.5.29.37', nocheck: '1.3.6.1.5.5.7.48.1.5', cp: '2.5.29.32', crlDp: '2.5.29.31', aia: '1.3.6.1.5.5.7.1.1', san: '2.5.29.17', nc: '2.5.29.30' };
const NULL = new Uint8Array([0x05, 0x00]);

let issuer: CryptoKeyPair;
let subject: CryptoKeyPair;
let issuerSpki: Uint8Array;
let issuerSki: string;
let subjectSki: string;

beforeAll(async () => {
  const pair = async (curve: string) => await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: curve }, true, ['sign', 'verify']) as CryptoKeyPair;
  issuer = await pair('P-384');
  subject = await pair('P-256');
  issuerSpki = new Uint8Array(await webcrypto.subtle.exportKey('spki', issuer.publicKey));
  issuerSki = (await x509.SubjectKeyIdentifierExtension.create(issuer.publicKey, false, crypto)).keyId;
  subjectSki = (await x509.SubjectKeyIdentifierExtension.create(subject.publicKey, false, crypto)).keyId;
});

type Exts = Map<string, x509.Extension | undefined>;

/** What a CA writes for a delegated responder under BR 7.1.2.8 (no basicConstraints: it MAY be absent). */
function conformant(): Exts {
  return new Map<string, x509.Extension | undefined>([
    [OID.ku, new x509.KeyUsagesExtension(KU.digitalSignature, true)],
    [OID.eku, new x509.ExtendedKeyUsageExtension([OCSP_SIGNING])],
    [OID.nocheck, new x509.Extension(OID.nocheck, false, NULL)],
    [OID.ski, new x509.SubjectKeyIdentifierExtension(subjectSki)],
    [OID.aki, new x509.AuthorityKeyIdentifierExtension(issuerSki)],
  ]);
}

async function lint(edit?: (e: Exts) => void) {
  const exts = conformant();
  edit?.(exts);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: `01${randomBytes(15).toString('hex')}`,
    subject: [{ C: ['NL'] }, { O: ['Keyrite Test'] }, { CN: ['Test OCSP Responder'] }], issuer: [{ C: ['NL'] }, { O: ['Keyrite Test'] }, { CN: ['Test Root'] }],
    notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2026-04-01T00:00:00Z'), publicKey: subject.publicKey,
    signingKey: issuer.privateKey, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-384' },
    extensions: [...exts.values()].filter((e): e is x509.Extension => e !== undefined),
  }, crypto);
  return lintCertificate(new Uint8Array(cert.rawData), 'ocsp-responder', { spki: issuerSpki, keyId: issuerSki });
}

function refused(problems: { field: string; rule: string }[], field: string, rule: string) {
  expect(problems).toContainEqual(expect.objectContaining({ field, rule }));
}

describe('OCSP responder profile rules (BR 7.1.2.8)', () => {
  it('a conformant OCSP responder certificate has no problems (so each refusal below is the rule\'s doing)', async () => {
    expect(await lint()).toEqual([]);
    // basicConstraints with cA FALSE is allowed too (BR 7.1.2.8.4).
    expect(await lint((e) => e.set(OID.bc, new x509.BasicConstraintsExtension(false, undefined, true)))).toEqual([]);
  });

  const cases: [string, (e: Exts) => void, string, string][] = [
    ['basicConstraints cA TRUE', (e) => e.set(OID.bc, new x509.BasicConstraintsExtension(true, undefined, true)), 'basicConstraints', 'BR 7.1.2.8.4'],
    ['basicConstraints with pathLen', (e) => e.set(OID.bc, new x509.BasicConstraintsExtension(false, 0, true)), 'basicConstraints', 'BR 7.1.2.8.4'],
    ['no keyUsage', (e) => e.set(OID.ku, undefined), 'keyUsage', 'BR 7.1.2.8.7'],
    ['keyUsage not critical', (e) => e.set(OID.ku, new x509.KeyUsagesExtension(KU.digitalSignature, false)), 'keyUsage', 'BR 7.1.2.8.7'],
    ['keyUsage with keyCertSign', (e) => e.set(OID.ku, new x509.KeyUsagesExtension(KU.digitalSignature | KU.keyCertSign, true)), 'keyUsage', 'BR 7.1.2.8.7'],
    ['keyUsage with nonRepudiation only', (e) => e.set(OID.ku, new x509.KeyUsagesExtension(KU.nonRepudiation, true)), 'keyUsage', 'BR 7.1.2.8.7'],
    ['no extKeyUsage', (e) => e.set(OID.eku, undefined), 'extKeyUsage', 'BR 7.1.2.8.5'],
    ['extKeyUsage without OCSPSigning', (e) => e.set(OID.eku, new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.1'])), 'extKeyUsage', 'BR 7.1.2.8.5'],
    ['extKeyUsage with serverAuth beside OCSPSigning', (e) => e.set(OID.eku, new x509.ExtendedKeyUsageExtension([OCSP_SIGNING, '1.3.6.1.5.5.7.3.1'])), 'extKeyUsage', 'BR 7.1.2.8.5'],
    ['extKeyUsage marked critical', (e) => e.set(OID.eku, new x509.ExtendedKeyUsageExtension([OCSP_SIGNING], true)), 'extKeyUsage', 'BR 7.1.2.8.5'],
    ['no id-pkix-ocsp-nocheck', (e) => e.set(OID.nocheck, undefined), 'id-pkix-ocsp-nocheck', 'BR 7.1.2.8.6'],
    ['id-pkix-ocsp-nocheck whose value is not NULL', (e) => e.set(OID.nocheck, new x509.Extension(OID.nocheck, false, new Uint8Array([0x01, 0x01, 0xff]))), 'id-pkix-ocsp-nocheck', 'BR 7.1.2.8.6'],
    ['id-pkix-ocsp-nocheck marked critical', (e) => e.set(OID.nocheck, new x509.Extension(OID.nocheck, true, NULL)), 'id-pkix-ocsp-nocheck', 'BR 7.1.2.8.6'],
    ['no authorityKeyIdentifier', (e) => e.set(OID.aki, undefined), 'authorityKeyIdentifier', 'BR 7.1.2.11.1'],
    ['an AKI that is not the issuer SKI', (e) => e.set(OID.aki, new x509.AuthorityKeyIdentifierExtension('ab'.repeat(20))), 'authorityKeyIdentifier', 'BR 7.1.2.11.1'],
    ['no subjectKeyIdentifier', (e) => e.set(OID.ski, undefined), 'subjectKeyIdentifier', 'BR 7.1.2.11.4'],
    ['a subjectAltName', (e) => e.set(OID.san, new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'ocsp.example.test' }])), 'extensions', 'BR 7.1.2.8.2'],
    ['nameConstraints', (e) => e.set(OID.nc, new x509.Extension(OID.nc, true, new Uint8Array([0x30, 0x09, 0xa0, 0x07, 0x30, 0x05, 0x82, 0x03, 0x61, 0x2e, 0x62]))), 'extensions', 'BR 7.1.2.8.2'],
    ['certificatePolicies', (e) => e.set(OID.cp, new x509.CertificatePolicyExtension(['2.23.140.1.2.2'])), 'extensions', 'BR 7.1.2.8.2'],
    ['cRLDistributionPoints', (e) => e.set(OID.crlDp, new x509.CRLDistributionPointsExtension(['http://crl.example.test/root.crl'])), 'extensions', 'BR 7.1.2.8.2'],
    ['authorityInformationAccess', (e) => e.set(OID.aia, new x509.AuthorityInfoAccessExtension({ caIssuers: new x509.GeneralName('url', 'http://pki.example.test/root.crt') })), 'extensions', 'BR 7.1.2.8.2'],
  ];
  for (const [what, edit, field, rule] of cases) {
    it(`refuses ${what} (${field}, ${rule})`, async () => {
      refused(await lint(edit), field, rule);
    });
  }
});

const ROOT = path.resolve(__dirname, '../../..');
const tmp = tempDir('keyrite-ocsp-check-');
afterAll(() => tmp.cleanup());

async function check(edit: (text: string) => string) {
  const text = readFileSync(path.join(ROOT, 'resources/ceremonies/sign-ocsp-responder.yaml'), 'utf8');
  const edited = edit(text);
  expect(edited).not.toBe(text);
  const file = path.join(tmp.dir, `ocsp-${randomBytes(4).toString('hex')}.yaml`);
  writeFileSync(file, edited);
  let out = '';
  const w = new Writable({ write(c, _e, cb) { out += String(c); cb(); } });
  return { code: await command.run(['check', file], { stdout: w, stderr: w, stdin: Readable.from([]) }), out };
}

describe('ceremony check on the OCSP responder template', () => {
  it('passes sign-ocsp-responder.yaml as it is', async () => {
    let out = '';
    const w = new Writable({ write(c, _e, cb) { out += String(c); cb(); } });
    expect(await command.run(['check', path.join(ROOT, 'resources/ceremonies/sign-ocsp-responder.yaml')], { stdout: w, stderr: w, stdin: Readable.from([]) }), out).toBe(0);
  });

  it('refuses serverAuth in place of OCSPSigning, and a pathLen (a CA field), naming the rules', async () => {
    await expect(check((t) => t.replace('extendedKeyUsage: [ocspSigning]', 'extendedKeyUsage: [serverAuth]'))).rejects.toMatchObject({
      code: 'SCRIPT_POLICY_VIOLATION', message: expect.stringMatching(/certificate\.extendedKeyUsage: OCSP responder certificate: extKeyUsage lacks ocspSigning \(BR 7\.1\.2\.8\.5\)/),
    });
    await expect(check((t) => t.replace('  signature: sha384\n', '  signature: sha384\n  pathLen: 0\n'))).rejects.toMatchObject({ message: expect.stringContaining('basicConstraints carries pathLenConstraint; it must not (BR 7.1.2.8.4)') });
  });

  it('refuses an OCSP responder that lists certificatePolicies (NOT RECOMMENDED, BR 7.1.2.8.2)', async () => {
    await expect(check((t) => t.replace('  signature: sha384\n', '  signature: sha384\n  policies: [2.23.140.1.2.2]\n'))).rejects.toMatchObject({ message: expect.stringContaining('certificatePolicies on an OCSP responder certificate (NOT RECOMMENDED; leave them out) (BR 7.1.2.8.2)') });
  });
});
