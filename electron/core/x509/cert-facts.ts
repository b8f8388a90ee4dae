/**
 * A certificate reduced to what the profile rules look at. The same facts come from a certificate
 * (its DER) and from a script's profile (the extensions issuance would write), so one rule set
 * checks the script at `ceremony check`, the throwaway-key draft before signing and the signed result.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { AttributeTypeAndValue, Certificate, CRLDistributionPoints, Name, NameConstraints } from '@peculiar/asn1-x509';
import * as x509 from './lib';
import type { CertProfileKind } from './profile-schema';
import type { KeyFacts } from './key-facts';
import { keyFactsOfSpki } from './key-facts';
import type { HashName } from './token-crypto';

export interface ExtFacts<T> { critical: boolean; value: T }

export interface CertFacts {
  kind: CertProfileKind;
  /** Present only for a built certificate (a draft or the signed one), not for a script's profile. */
  built?: {
    version: number;
    serialHex: string;
    /** ASN.1 string tag of each subject attribute: 'C:printableString', 'CN:utf8String'... */
    subjectEncodings: string[];
    /** The issuer's SKI, to compare with the AKI (absent for a self-signed root). */
    issuerKeyId?: string | undefined;
    extensionOids: string[];
  } | undefined;
  /** The script asked for this serial (not CSPRNG output). */
  serialFromScript: boolean;
  issuerKey: KeyFacts;
  subjectKey?: KeyFacts | undefined;
  /** Signature hash; undefined for Ed25519. */
  hash: HashName | undefined;
  notBefore: Date;
  notAfter: Date;
  subject: Record<string, string[]>;
  basicConstraints?: ExtFacts<{ ca: boolean; pathLen?: number | undefined }> | undefined;
  keyUsage?: ExtFacts<number> | undefined;
  eku?: ExtFacts<string[]> | undefined;
  policies?: ExtFacts<string[]> | undefined;
  crlDp?: ExtFacts<{ uris: string[]; otherForms: boolean }> | undefined;
  aia?: ExtFacts<{ caIssuers: string[]; ocsp: string[] }> | undefined;
  nameConstraints?: ExtFacts<{ permitted: number; excluded: number }> | undefined;
  ski?: ExtFacts<string> | undefined;
  aki?: ExtFacts<{ keyId?: string | undefined; hasIssuerSerial: boolean }> | undefined;
  /** id-pkix-ocsp-nocheck (RFC 6960 4.2.2.2.1); the value is whether extnValue is the DER NULL. */
  ocspNoCheck?: ExtFacts<{ isNull: boolean }> | undefined;
}

const OID = {
  bc: '2.5.29.19', ku: '2.5.29.15', eku: '2.5.29.37', cp: '2.5.29.32', crlDp: '2.5.29.31', aia: '1.3.6.1.5.5.7.1.1',
  nc: '2.5.29.30', ski: '2.5.29.14', aki: '2.5.29.35', ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
} as const;

function uris(names: readonly x509.GeneralName[]): string[] {
  return names.filter((n) => n.type === 'url').map((n) => n.value);
}

/** The extension facts, from extension objects (of a certificate, or those a profile would write). */
export function extensionFacts(exts: readonly x509.Extension[]): Pick<CertFacts, 'basicConstraints' | 'keyUsage' | 'eku' | 'policies' | 'crlDp' | 'aia' | 'nameConstraints' | 'ski' | 'aki' | 'ocspNoCheck'> {
  const out: ReturnType<typeof extensionFacts> = {};
  for (const e of exts) {
    const raw = e.rawData;
    const critical = e.critical;
    if (e.type === OID.bc) { const b = new x509.BasicConstraintsExtension(raw); out.basicConstraints = { critical, value: { ca: b.ca, pathLen: b.pathLength } }; }
    if (e.type === OID.ku) out.keyUsage = { critical, value: new x509.KeyUsagesExtension(raw).usages };
    if (e.type === OID.eku) out.eku = { critical, value: new x509.ExtendedKeyUsageExtension(raw).usages.map(String) };
    if (e.type === OID.cp) out.policies = { critical, value: [...new x509.CertificatePolicyExtension(raw).policies] };
    if (e.type === OID.crlDp) {
      const dps = AsnConvert.parse(e.value, CRLDistributionPoints);
      const found: string[] = [];
      let otherForms = false;
      for (const dp of dps) {
        if (dp.reasons || dp.cRLIssuer || !dp.distributionPoint?.fullName) otherForms = true;
        for (const gn of dp.distributionPoint?.fullName ?? []) {
          if (gn.uniformResourceIdentifier) found.push(gn.uniformResourceIdentifier); else otherForms = true;
        }
      }
      out.crlDp = { critical, value: { uris: found, otherForms } };
    }
    if (e.type === OID.aia) { const a = new x509.AuthorityInfoAccessExtension(raw); out.aia = { critical, value: { caIssuers: uris(a.caIssuers), ocsp: uris(a.ocsp) } }; }
    if (e.type === OID.nc) { const n = AsnConvert.parse(e.value, NameConstraints); out.nameConstraints = { critical, value: { permitted: n.permittedSubtrees?.length ?? 0, excluded: n.excludedSubtrees?.length ?? 0 } }; }
    if (e.type === OID.ski) out.ski = { critical, value: new x509.SubjectKeyIdentifierExtension(raw).keyId };
    if (e.type === OID.ocspNoCheck) { const v = new Uint8Array(e.value); out.ocspNoCheck = { critical, value: { isNull: v.length === 2 && v[0] === 0x05 && v[1] === 0 } }; }
    if (e.type === OID.aki) { const a = new x509.AuthorityKeyIdentifierExtension(raw); out.aki = { critical, value: { keyId: a.keyId, hasIssuerSerial: a.certId !== undefined } }; }
  }
  return out;
}

const STRING_KINDS = ['printableString', 'utf8String', 'teletexString', 'universalString', 'bmpString', 'ia5String'] as const;
const SHORT: Record<string, string> = { '2.5.4.6': 'C', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.3': 'CN', '2.5.4.8': 'ST', '2.5.4.7': 'L' };

function encodings(nameDer: ArrayBuffer): string[] {
  const name = AsnConvert.parse(nameDer, Name);
  return name.flatMap((rdn) => rdn.map((atv: AttributeTypeAndValue) => {
    const v = atv.value as unknown as Record<string, unknown>;
    const tag = STRING_KINDS.find((k) => v[k] !== undefined) ?? 'other';
    return `${SHORT[atv.type] ?? atv.type}:${tag}`;
  }));
}

function hashOf(algorithm: Algorithm & { hash?: { name: string } | string }): HashName | undefined {
  const h = typeof algorithm.hash === 'string' ? algorithm.hash : algorithm.hash?.name;
  return h ? (h.toLowerCase().replace('-', '') as HashName) : undefined;
}

/** Facts of a built certificate. `issuerSpki` is the issuer's key (the subject's own for a self-signed root). */
export function certificateFacts(der: Uint8Array, kind: CertProfileKind, issuer: { spki: Uint8Array; keyId?: string | undefined }): CertFacts {
  const cert = new x509.X509Certificate(new Uint8Array(der).buffer as ArrayBuffer);
  const subject: Record<string, string[]> = {};
  for (const rdn of cert.subjectName.toJSON()) for (const [k, v] of Object.entries(rdn)) subject[k] = [...(subject[k] ?? []), ...v];
  const tbs = AsnConvert.parse(cert.rawData, Certificate).tbsCertificate;
  return {
    kind,
    built: {
      version: tbs.version + 1, serialHex: cert.serialNumber, subjectEncodings: encodings(cert.subjectName.toArrayBuffer()),
      issuerKeyId: issuer.keyId, extensionOids: cert.extensions.map((e) => e.type),
    },
    serialFromScript: false,
    issuerKey: keyFactsOfSpki(issuer.spki),
    subjectKey: keyFactsOfSpki(new Uint8Array(cert.publicKey.rawData)),
    hash: hashOf(cert.signatureAlgorithm as Algorithm & { hash?: { name: string } }),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    subject,
    ...extensionFacts(cert.extensions),
  };
}
