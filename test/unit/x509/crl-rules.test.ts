/**
 * One test per CRL/ARL profile rule (BR 7.2, 4.9.7): a CRL conformant but for one thing is refused
 * naming that field and rule. CRLs are built here with @peculiar/x509 and asn1js, not by Keyrite.
 */
import { webcrypto } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificateList, DistributionPointName, GeneralName, IssuingDistributionPoint } from '@peculiar/asn1-x509';
import { Enumerated, Integer } from 'asn1js';
import { beforeAll, describe, expect, it } from 'vitest';
import * as x509 from '../../../electron/core/x509/lib';
import { crlFacts, crlProblems } from '../../../electron/core/x509/crl-profile';
import type { CrlProfileKind } from '../../../electron/core/x509/profile-schema';

const crypto = webcrypto as unknown as Crypto;
let issuer: CryptoKeyPair;
let spki: Uint8Array;
let ski: string;
const THIS = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400_000;

beforeAll(async () => {
  issuer = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign', 'verify']) as CryptoKeyPair;
  spki = new Uint8Array(await webcrypto.subtle.exportKey('spki', issuer.publicKey));
  ski = (await x509.SubjectKeyIdentifierExtension.create(issuer.publicKey, false, crypto)).keyId;
});

function idp(o: { ca?: boolean; user?: boolean; indirect?: boolean; url?: string }): ArrayBuffer {
  return AsnConvert.serialize(new IssuingDistributionPoint({
    onlyContainsCACerts: o.ca ?? false, onlyContainsUserCerts: o.user ?? false, indirectCRL: o.indirect ?? false,
    distributionPoint: new DistributionPointName({ fullName: [new GeneralName({ uniformResourceIdentifier: o.url ?? 'http://crl.example.test/root.crl' })] }),
  }));
}

interface Build {
  kind: CrlProfileKind;
  days?: number;
  hash?: string;
  number?: bigint | null;
  numberCritical?: boolean;
  aki?: string | null;
  idp?: { value: ArrayBuffer; critical: boolean } | null;
  entries?: x509.X509CrlEntryParams[];
  asn?: (c: CertificateList) => void;
}

async function lint(b: Build) {
  const exts: x509.Extension[] = [];
  if (b.aki !== null) exts.push(new x509.AuthorityKeyIdentifierExtension(b.aki ?? ski));
  if (b.number !== null) exts.push(new x509.Extension('2.5.29.20', b.numberCritical ?? false, Integer.fromBigInt(b.number ?? 1n).toBER()));
  const defaultIdp = b.kind === 'arl' ? { value: idp({ ca: true }), critical: true } : null;
  const i = b.idp === undefined ? defaultIdp : b.idp;
  if (i) exts.push(new x509.Extension('2.5.29.28', i.critical, i.value));
  const crl = await x509.X509CrlGenerator.create({
    issuer: [{ C: ['NL'] }, { O: ['Keyrite Test'] }, { CN: ['Test Root'] }], thisUpdate: THIS, nextUpdate: new Date(THIS.getTime() + (b.days ?? 7) * DAY),
    signingKey: issuer.privateKey, signingAlgorithm: { name: 'ECDSA', hash: b.hash ?? 'SHA-384' }, extensions: exts,
    entries: b.entries ?? [{ serialNumber: '0a1b2c3d', revocationDate: new Date('2026-03-01T00:00:00Z'), reason: x509.X509CrlReason.superseded }],
  }, crypto);
  let der = new Uint8Array(crl.rawData);
  if (b.asn) {
    const c = AsnConvert.parse(der, CertificateList);
    b.asn(c);
    der = new Uint8Array(AsnConvert.serialize(c));
  }
  return crlProblems(crlFacts(der, b.kind, { spki, keyId: ski }));
}

const refused = (p: { field: string; rule: string }[], field: string, rule: string) => expect(p).toContainEqual(expect.objectContaining({ field, rule }));

describe('CRL and ARL profile rules', () => {
  it('a conformant CRL (7 days) and ARL (365 days, IDP onlyContainsCACerts) have no problems', async () => {
    expect(await lint({ kind: 'crl' })).toEqual([]);
    expect(await lint({ kind: 'arl', days: 365 })).toEqual([]);
    expect(await lint({ kind: 'crl', number: (1n << 159n) - 1n })).toEqual([]);
  });

  const cases: [string, Build, string, string][] = [
    ['a v1 CRL', { kind: 'crl', asn: (c) => { c.tbsCertList.version = undefined; } }, 'version', 'RFC 5280 5.1.2.1'],
    ['a CRL valid 11 days', { kind: 'crl', days: 11 }, 'nextUpdate', 'BR 4.9.7'],
    ['a CRL valid 365 days', { kind: 'crl', days: 365 }, 'nextUpdate', 'BR 4.9.7'],
    ['an ARL valid 366 days', { kind: 'arl', days: 366 }, 'nextUpdate', 'BR 4.9.7'],
    ['P-384 signing with SHA-256', { kind: 'crl', hash: 'SHA-256' }, 'signatureAlgorithm', 'BR 7.1.3.2'],
    ['no CRL number', { kind: 'crl', number: null }, 'cRLNumber', 'BR 7.2.2 / RFC 5280 5.2.3'],
    ['a critical CRL number', { kind: 'crl', numberCritical: true }, 'cRLNumber', 'BR 7.2.2 / RFC 5280 5.2.3'],
    ['a CRL number of 2^159', { kind: 'arl', days: 30, number: 1n << 159n }, 'cRLNumber', 'BR 7.2.2 / RFC 5280 5.2.3'],
    ['no authorityKeyIdentifier', { kind: 'crl', aki: null }, 'authorityKeyIdentifier', 'BR 7.2.2'],
    ['an AKI that is not the issuer SKI', { kind: 'crl', aki: 'ab'.repeat(20) }, 'authorityKeyIdentifier', 'BR 7.2.2'],
    ['an ARL without issuingDistributionPoint', { kind: 'arl', idp: null }, 'issuingDistributionPoint', 'BR 7.2.2'],
    ['an ARL whose IDP lacks onlyContainsCACerts', { kind: 'arl', idp: { value: idp({}), critical: true } }, 'issuingDistributionPoint', 'BR 7.2.2'],
    ['an IDP not critical', { kind: 'arl', idp: { value: idp({ ca: true }), critical: false } }, 'issuingDistributionPoint', 'BR 7.2.2'],
    ['an indirect CRL', { kind: 'crl', idp: { value: idp({ indirect: true }), critical: true } }, 'issuingDistributionPoint', 'BR 7.2.2'],
    ['a CRL that says CA certificates only', { kind: 'crl', idp: { value: idp({ ca: true }), critical: true } }, 'issuingDistributionPoint', 'BR 7.2.2'],
    ['an https IDP URL', { kind: 'crl', idp: { value: idp({ user: true, url: 'https://crl.example.test/x.crl' }), critical: true } }, 'issuingDistributionPoint', 'BR 7.2.2'],
    // Written by hand: the encoder leaves a zero reason out.
    ['reason unspecified written out', { kind: 'crl', entries: [{ serialNumber: '0a1b', revocationDate: new Date('2026-03-01T00:00:00Z'), extensions: [new x509.Extension('2.5.29.21', false, new Enumerated({ value: 0 }).toBER())] }] }, 'revokedCertificates.reasonCode', 'BR 7.2.2.1'],
    ['reason certificateHold', { kind: 'crl', entries: [{ serialNumber: '0a1b', revocationDate: new Date('2026-03-01T00:00:00Z'), reason: x509.X509CrlReason.certificateHold }] }, 'revokedCertificates.reasonCode', 'BR 7.2.2.1'],
    ['cACompromise on a CRL', { kind: 'crl', entries: [{ serialNumber: '0a1b', revocationDate: new Date('2026-03-01T00:00:00Z'), reason: x509.X509CrlReason.cACompromise }] }, 'revokedCertificates.reasonCode', 'BR 7.2.2.1'],
    ['a revoked serial of 21 octets', { kind: 'crl', entries: [{ serialNumber: `01${'00'.repeat(20)}`, revocationDate: new Date('2026-03-01T00:00:00Z') }] }, 'revokedCertificates.userCertificate', 'RFC 5280 4.1.2.2'],
    ['a revocation after thisUpdate', { kind: 'crl', entries: [{ serialNumber: '0a1b', revocationDate: new Date('2026-07-01T00:00:00Z') }] }, 'revokedCertificates.revocationDate', 'RFC 5280 5.3.2'],
  ];
  for (const [what, build, field, rule] of cases) {
    it(`refuses ${what} (${field}, ${rule})`, async () => {
      refused(await lint(build), field, rule);
    });
  }

  it('cACompromise is allowed on an ARL', async () => {
    expect(await lint({ kind: 'arl', entries: [{ serialNumber: '0a1b', revocationDate: new Date('2026-03-01T00:00:00Z'), reason: x509.X509CrlReason.cACompromise }] })).toEqual([]);
  });
});
