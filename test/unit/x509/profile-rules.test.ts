/**
 * One test per certificate profile rule: a certificate that is conformant but for the one thing the
 * rule forbids must be refused naming that field and rule. The certificates are built here with
 * @peculiar/x509 and a software key (not with Keyrite's issuance), so the rules are judged on
 * certificates Keyrite did not shape.
 */
import { randomBytes, webcrypto } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { beforeAll, describe, expect, it } from 'vitest';
import * as x509 from '../../../electron/core/x509/lib';
import { lintCertificate } from '../../../electron/core/x509/lint';
import type { CertProfileKind } from '../../../electron/core/x509/profile-schema';

const subtle = webcrypto.subtle;
const crypto = webcrypto as unknown as Crypto;
const KU = x509.KeyUsageFlags;
const EC384 = { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' };

interface Keys { issuer: CryptoKeyPair; subject: CryptoKeyPair; issuerSpki: Uint8Array; issuerSki: string; subjectSki: string }
let k: Keys;
let ed: CryptoKeyPair;
let rsa1024: CryptoKeyPair;

async function ecPair(curve: string): Promise<CryptoKeyPair> {
  return await subtle.generateKey({ name: 'ECDSA', namedCurve: curve }, true, ['sign', 'verify']) as CryptoKeyPair;
}
async function skiOf(key: CryptoKey): Promise<string> {
  return (await x509.SubjectKeyIdentifierExtension.create(key, false, crypto)).keyId;
}

beforeAll(async () => {
  const issuer = await ecPair('P-384');
  const subject = await ecPair('P-256');
  k = { issuer, subject, issuerSpki: new Uint8Array(await subtle.exportKey('spki', issuer.publicKey)), issuerSki: await skiOf(issuer.publicKey), subjectSki: await skiOf(subject.publicKey) };
  ed = await subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']) as CryptoKeyPair;
  rsa1024 = await subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']) as CryptoKeyPair;
});

type Ext = x509.Extension;
interface Build {
  kind: CertProfileKind;
  serial?: string;
  subject?: x509.JsonName;
  notBefore?: string;
  notAfter?: string;
  subjectKey?: CryptoKey;
  hash?: string;
  /** Edits the conformant extension list (by OID). */
  ext?: (e: Map<string, Ext | undefined>) => void;
  /** Edits the encoded certificate (for what the encoder will not write). */
  asn?: (c: Certificate) => void;
}

const OID = { bc: '2.5.29.19', ku: '2.5.29.15', ski: '2.5.29.14', aki: '2.5.29.35', cp: '2.5.29.32', crlDp: '2.5.29.31', aia: '1.3.6.1.5.5.7.1.1', eku: '2.5.29.37', nc: '2.5.29.30' };

function conformant(kind: CertProfileKind): Map<string, Ext | undefined> {
  const self = kind === 'root';
  const m = new Map<string, Ext | undefined>([
    [OID.bc, new x509.BasicConstraintsExtension(true, self ? undefined : 0, true)],
    [OID.ku, new x509.KeyUsagesExtension(KU.keyCertSign | KU.cRLSign, true)],
    [OID.ski, new x509.SubjectKeyIdentifierExtension(self ? k.issuerSki : k.subjectSki)],
    [OID.aki, new x509.AuthorityKeyIdentifierExtension(k.issuerSki)],
  ]);
  if (self) return m;
  const policy = { 'tls-subordinate': ['2.23.140.1.2.2'], 'code-signing-subordinate': ['2.23.140.1.4.1'], cross: ['2.5.29.32.0'] }[kind as 'cross'] ?? ['2.5.29.32.0'];
  m.set(OID.cp, new x509.CertificatePolicyExtension(policy));
  m.set(OID.crlDp, new x509.CRLDistributionPointsExtension(['http://crl.example.test/root.crl']));
  m.set(OID.aia, new x509.AuthorityInfoAccessExtension({ caIssuers: new x509.GeneralName('url', 'http://pki.example.test/root.crt') }));
  if (kind === 'tls-subordinate') m.set(OID.eku, new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
  if (kind === 'code-signing-subordinate') m.set(OID.eku, new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.3']));
  return m;
}

async function lint(b: Build) {
  const exts = conformant(b.kind);
  b.ext?.(exts);
  const self = b.kind === 'root';
  const name: x509.JsonName = [{ C: ['NL'] }, { O: ['Keyrite Test'] }, { CN: [self ? 'Test Root' : 'Test Sub'] }];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: b.serial ?? `01${randomBytes(15).toString('hex')}`,
    subject: b.subject ?? name, issuer: self ? (b.subject ?? name) : [{ C: ['NL'] }, { O: ['Keyrite Test'] }, { CN: ['Test Root'] }],
    notBefore: new Date(b.notBefore ?? '2026-01-01T00:00:00Z'), notAfter: new Date(b.notAfter ?? '2041-01-01T00:00:00Z'),
    publicKey: b.subjectKey ?? (self ? k.issuer.publicKey : k.subject.publicKey),
    signingKey: k.issuer.privateKey, signingAlgorithm: { ...EC384, hash: b.hash ?? 'SHA-384' },
    extensions: [...exts.values()].filter((e): e is Ext => e !== undefined),
  }, crypto);
  let der = new Uint8Array(cert.rawData);
  if (b.asn) {
    const c = AsnConvert.parse(der, Certificate);
    b.asn(c);
    der = new Uint8Array(AsnConvert.serialize(c));
  }
  return lintCertificate(der, b.kind, { spki: k.issuerSpki, keyId: self ? undefined : k.issuerSki });
}

function refused(problems: { field: string; rule: string }[], field: string, rule: string) {
  expect(problems).toContainEqual(expect.objectContaining({ field, rule }));
}

describe('certificate profile rules', () => {
  for (const kind of ['root', 'tls-subordinate', 'code-signing-subordinate', 'cross', 'private'] as const) {
    it(`a conformant ${kind} certificate has no problems (so each refusal below is the rule's doing)`, async () => {
      expect(await lint({ kind })).toEqual([]);
    });
  }

  const cases: [string, Build, string, string][] = [
    ['a serial longer than 20 octets', { kind: 'private', serial: `01${'00'.repeat(20)}` }, 'serialNumber', 'RFC 5280 4.1.2.2'],
    ['a serial shorter than 64 bits', { kind: 'tls-subordinate', serial: '0102' }, 'serialNumber', 'BR 7.1.2.1.1/7.1.2.6.1 (64 bits from a CSPRNG)'],
    ['a v1 certificate', { kind: 'private', asn: (c) => { c.tbsCertificate.version = 0; } }, 'version', 'RFC 5280 4.1.2.1'],
    ['notAfter before notBefore', { kind: 'private', notBefore: '2030-01-01T00:00:00Z', notAfter: '2029-01-01T00:00:00Z' }, 'validity', 'RFC 5280 4.1.2.5'],
    ['a root valid 30 years', { kind: 'root', notAfter: '2056-01-01T00:00:00Z' }, 'validity', 'BR 7.1.2.1.1'],
    ['a root valid 5 years', { kind: 'root', notAfter: '2031-01-01T00:00:00Z' }, 'validity', 'BR 7.1.2.1.1'],
    ['a subject without organizationName', { kind: 'tls-subordinate', subject: [{ C: ['NL'] }, { CN: ['Test Sub'] }] }, 'subject', 'BR 7.1.2.10.2'],
    ['a lower-case country', { kind: 'tls-subordinate', subject: [{ C: ['nl'] }, { O: ['Keyrite Test'] }, { CN: ['Test Sub'] }] }, 'subject', 'BR 7.1.2.10.2'],
    ['a commonName as IA5String', { kind: 'tls-subordinate', subject: [{ C: ['NL'] }, { O: ['Keyrite Test'] }, { CN: [{ ia5String: 'Test Sub' }] }] as unknown as x509.JsonName }, 'subject', 'BR 7.1.4.1 (encoding)'],
    ['P-384 signing with SHA-256', { kind: 'tls-subordinate', hash: 'SHA-256' }, 'signatureAlgorithm', 'BR 7.1.3.2'],
    ['an Ed25519 subject key', { kind: 'tls-subordinate', subjectKey: undefined, ext: () => undefined }, 'subjectPublicKeyInfo', 'BR 6.1.5/7.1.3.1'],
    ['an RSA-1024 subject key', { kind: 'cross' }, 'subjectPublicKeyInfo', 'BR 6.1.5/7.1.3.1'],
    ['no basicConstraints', { kind: 'private', ext: (e) => e.set(OID.bc, undefined) }, 'basicConstraints', 'RFC 5280 4.2.1.9'],
    ['basicConstraints not critical', { kind: 'private', ext: (e) => e.set(OID.bc, new x509.BasicConstraintsExtension(true, undefined, false)) }, 'basicConstraints', 'RFC 5280 4.2.1.9'],
    ['cA false', { kind: 'tls-subordinate', ext: (e) => e.set(OID.bc, new x509.BasicConstraintsExtension(false, undefined, true)) }, 'basicConstraints', 'RFC 5280 4.2.1.9'],
    ['a root with pathLen', { kind: 'root', ext: (e) => e.set(OID.bc, new x509.BasicConstraintsExtension(true, 1, true)) }, 'basicConstraints.pathLenConstraint', 'BR 7.1.2.1.4'],
    ['keyUsage without cRLSign', { kind: 'tls-subordinate', ext: (e) => e.set(OID.ku, new x509.KeyUsagesExtension(KU.keyCertSign, true)) }, 'keyUsage', 'BR 7.1.2.10.7'],
    ['keyUsage with keyEncipherment', { kind: 'root', ext: (e) => e.set(OID.ku, new x509.KeyUsagesExtension(KU.keyCertSign | KU.cRLSign | KU.keyEncipherment, true)) }, 'keyUsage', 'BR 7.1.2.10.7'],
    ['keyUsage not critical', { kind: 'cross', ext: (e) => e.set(OID.ku, new x509.KeyUsagesExtension(KU.keyCertSign | KU.cRLSign, false)) }, 'keyUsage', 'BR 7.1.2.10.7'],
    ['no subjectKeyIdentifier', { kind: 'tls-subordinate', ext: (e) => e.set(OID.ski, undefined) }, 'subjectKeyIdentifier', 'BR 7.1.2.11.4'],
    ['a root whose AKI is not its SKI', { kind: 'root', ext: (e) => e.set(OID.aki, new x509.AuthorityKeyIdentifierExtension('00'.repeat(20))) }, 'authorityKeyIdentifier', 'BR 7.1.2.1.3'],
    ['no authorityKeyIdentifier', { kind: 'tls-subordinate', ext: (e) => e.set(OID.aki, undefined) }, 'authorityKeyIdentifier', 'BR 7.1.2.11.1'],
    ['an AKI that is not the issuer SKI', { kind: 'code-signing-subordinate', ext: (e) => e.set(OID.aki, new x509.AuthorityKeyIdentifierExtension('ab'.repeat(20))) }, 'authorityKeyIdentifier', 'BR 7.1.2.11.1'],
    ['a root with extKeyUsage', { kind: 'root', ext: (e) => e.set(OID.eku, new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.1'])) }, 'extensions', 'BR 7.1.2.1.2'],
    ['a root with certificatePolicies', { kind: 'root', ext: (e) => e.set(OID.cp, new x509.CertificatePolicyExtension(['2.5.29.32.0'])) }, 'extensions', 'BR 7.1.2.1.2'],
    ['a TLS sub-CA without certificatePolicies', { kind: 'tls-subordinate', ext: (e) => e.set(OID.cp, undefined) }, 'certificatePolicies', 'BR 7.1.2.10.5'],
    ['a TLS sub-CA with two reserved policies', { kind: 'tls-subordinate', ext: (e) => e.set(OID.cp, new x509.CertificatePolicyExtension(['2.23.140.1.2.1', '2.23.140.1.2.2'])) }, 'certificatePolicies', 'BR 7.1.2.10.5'],
    ['anyPolicy with another policy', { kind: 'tls-subordinate', ext: (e) => e.set(OID.cp, new x509.CertificatePolicyExtension(['2.5.29.32.0', '2.23.140.1.2.2'])) }, 'certificatePolicies', 'BR 7.1.2.10.5'],
    ['a code-signing CA without the code signing policy', { kind: 'code-signing-subordinate', ext: (e) => e.set(OID.cp, new x509.CertificatePolicyExtension(['2.23.140.1.2.2'])) }, 'certificatePolicies', 'CSBR 7.1.2.2'],
    ['a cross-certificate without policies', { kind: 'cross', ext: (e) => e.set(OID.cp, undefined) }, 'certificatePolicies', 'BR 7.1.2.2.3'],
    ['no cRLDistributionPoints', { kind: 'tls-subordinate', ext: (e) => e.set(OID.crlDp, undefined) }, 'cRLDistributionPoints', 'BR 7.1.2.11.2'],
    ['an https CRL URL', { kind: 'cross', ext: (e) => e.set(OID.crlDp, new x509.CRLDistributionPointsExtension(['https://crl.example.test/root.crl'])) }, 'cRLDistributionPoints', 'BR 7.1.2.11.2'],
    ['no authorityInformationAccess', { kind: 'tls-subordinate', ext: (e) => e.set(OID.aia, undefined) }, 'authorityInformationAccess', 'BR 7.1.2.10.3'],
    ['AIA without caIssuers', { kind: 'code-signing-subordinate', ext: (e) => e.set(OID.aia, new x509.AuthorityInfoAccessExtension({ ocsp: new x509.GeneralName('url', 'http://ocsp.example.test/') })) }, 'authorityInformationAccess', 'BR 7.1.2.10.3'],
    ['a TLS sub-CA without extKeyUsage', { kind: 'tls-subordinate', ext: (e) => e.set(OID.eku, undefined) }, 'extKeyUsage', 'BR 7.1.2.10.6'],
    ['a TLS sub-CA with codeSigning', { kind: 'tls-subordinate', ext: (e) => e.set(OID.eku, new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.3'])) }, 'extKeyUsage', 'BR 7.1.2.10.6'],
    ['a critical extKeyUsage', { kind: 'tls-subordinate', ext: (e) => e.set(OID.eku, new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.1'], true)) }, 'extKeyUsage', 'BR 7.1.2.10.6'],
    ['a code-signing CA with serverAuth', { kind: 'code-signing-subordinate', ext: (e) => e.set(OID.eku, new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.3', '1.3.6.1.5.5.7.3.1'])) }, 'extKeyUsage', 'CSBR 7.1.2.2'],
    ['a code-signing CA without codeSigning', { kind: 'code-signing-subordinate', ext: (e) => e.set(OID.eku, new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.8'])) }, 'extKeyUsage', 'CSBR 7.1.2.2'],
    ['a cross-certificate with anyExtendedKeyUsage', { kind: 'cross', ext: (e) => e.set(OID.eku, new x509.ExtendedKeyUsageExtension(['2.5.29.37.0'])) }, 'extKeyUsage', 'BR 7.1.2.2.3'],
  ];
  for (const [what, build, field, rule] of cases) {
    it(`refuses ${what} (${field}, ${rule})`, async () => {
      if (what === 'an Ed25519 subject key') build.subjectKey = ed.publicKey;
      if (what === 'an RSA-1024 subject key') build.subjectKey = rsa1024.publicKey;
      refused(await lint(build), field, rule);
    });
  }

  it('refuses nameConstraints that are not critical (RFC 5280 4.2.1.10)', async () => {
    const { AsnConvert: A } = await import('@peculiar/asn1-schema');
    const { GeneralName, GeneralSubtree, GeneralSubtrees, NameConstraints } = await import('@peculiar/asn1-x509');
    const nc = new NameConstraints({ permittedSubtrees: new GeneralSubtrees([new GeneralSubtree({ base: new GeneralName({ dNSName: 'example.org' }) })]) });
    const value = A.serialize(nc);
    expect(await lint({ kind: 'tls-subordinate', ext: (e) => e.set(OID.nc, new x509.Extension(OID.nc, true, value)) })).toEqual([]);
    refused(await lint({ kind: 'tls-subordinate', ext: (e) => e.set(OID.nc, new x509.Extension(OID.nc, false, value)) }), 'nameConstraints', 'RFC 5280 4.2.1.10');
  });
});
