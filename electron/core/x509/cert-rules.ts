/**
 * The certificate profile rules, one entry per requirement, each naming the CA/B Forum Baseline
 * Requirements section (TLS BRs v2; Code Signing BRs for the code-signing CA) it carries. pkilint
 * and zlint are what CAs run and do not install here, so these rules are Keyrite's own reading of
 * the same text; test/unit/x509/profile-rules.test.ts breaks each one with a certificate.
 */
import { EKU_OIDS, type CertProfileKind } from './profile-schema';
import type { CertFacts } from './cert-facts';
import { describeKey, type KeyFacts } from './key-facts';
import * as x509 from './lib';

export interface ProfileProblem {
  field: string;
  rule: string;
  message: string;
}

interface Rule {
  field: string;
  rule: string;
  /** Profiles the rule applies to; `private` gets only the RFC 5280 rules. */
  kinds: readonly CertProfileKind[];
  check(f: CertFacts): string | undefined;
}

const BR_CA: readonly CertProfileKind[] = ['root', 'tls-subordinate', 'code-signing-subordinate', 'cross'];
const BR: readonly CertProfileKind[] = [...BR_CA, 'ocsp-responder'];
/** The CA profiles (an OCSP responder certificate is not a CA certificate). */
const CA: readonly CertProfileKind[] = [...BR_CA, 'private'];
const ALL: readonly CertProfileKind[] = [...CA, 'ocsp-responder'];
const ISSUED: readonly CertProfileKind[] = ['tls-subordinate', 'code-signing-subordinate', 'cross'];
const OCSP: readonly CertProfileKind[] = ['ocsp-responder'];
const DAY = 86_400_000;
const ANY_POLICY = '2.5.29.32.0';
const TLS_RESERVED = ['2.23.140.1.1', '2.23.140.1.2.1', '2.23.140.1.2.2', '2.23.140.1.2.3'];
const CS_RESERVED = '2.23.140.1.4.1';
const KU = x509.KeyUsageFlags;

/** BR 6.1.5 and 7.1.3.1: RSA of at least 2048 bits, a multiple of 8; ECDSA on P-256, P-384 or P-521. */
function keyProblem(k: KeyFacts | undefined): string | undefined {
  if (!k) return undefined;
  if (k.type === 'rsa') return (k.bits ?? 0) >= 2048 && (k.bits ?? 0) % 8 === 0 ? undefined : `${describeKey(k)}: RSA keys must be at least 2048 bits and a multiple of 8`;
  if (k.type === 'ec') return ['P-256', 'P-384', 'P-521'].includes(k.curve ?? '') ? undefined : `${describeKey(k)}: only P-256, P-384 and P-521 are allowed`;
  return `${describeKey(k)} is not an allowed key type (RSA or ECDSA only)`;
}

const EC_HASH: Record<string, string> = { 'P-256': 'sha256', 'P-384': 'sha384', 'P-521': 'sha512' };

function ekuProblem(f: CertFacts, must: string, allowed: string[]): string | undefined {
  if (!f.eku) return `absent; a ${f.kind} certificate must carry extKeyUsage with ${must}`;
  if (f.eku.critical) return 'marked critical; it must not be';
  const names = Object.fromEntries(Object.entries(EKU_OIDS).map(([n, o]) => [o, n]));
  if (!f.eku.value.includes(EKU_OIDS[must as keyof typeof EKU_OIDS])) return `lacks ${must}`;
  const bad = f.eku.value.filter((o) => !allowed.includes(names[o] ?? o));
  return bad.length ? `carries ${bad.map((o) => names[o] ?? o).join(', ')}; only ${allowed.join(', ')} may appear` : undefined;
}

function present<T>(name: string, e: { critical: boolean; value: T } | undefined, then?: (v: T) => string | undefined): string | undefined {
  if (!e) return `absent; it is required`;
  if (e.critical) return `${name} is marked critical; it must not be`;
  return then?.(e.value);
}

/**
 * Whether a URL written into a certificate or CRL (CRL distribution point, AIA) is a well-formed
 * plain-HTTP URL, as the BRs require of them. Keyrite never fetches it: the relying party does.
 */
export function isHttpUrl(u: string): boolean {
  try {
    return new URL(u).protocol === 'http:';
  } catch {
    return false;
  }
}

const httpOnly = (list: string[]): string | undefined => {
  const bad = list.find((u) => !isHttpUrl(u));
  return bad === undefined ? undefined : `${bad} is not an http:// URL`;
};

const SAN = '2.5.29.17';

/**
 * BR 7.1.2.8, the OCSP responder certificate a CA issues to delegate its OCSP signing. The BRs also
 * ask for a notBefore within 48 hours of signing (7.1.2.8.1); a script's dates are written before
 * the day, so that one is for the ceremony's date, not a rule here.
 */
const OCSP_RULES: readonly Rule[] = [
  { field: 'basicConstraints', rule: 'BR 7.1.2.8.4', kinds: OCSP, check: (f) => {
    if (!f.basicConstraints) return undefined;
    if (f.basicConstraints.value.ca) return 'cA is true; an OCSP responder certificate is not a CA certificate';
    return f.basicConstraints.value.pathLen !== undefined ? 'carries pathLenConstraint; it must not' : undefined;
  } },
  { field: 'keyUsage', rule: 'BR 7.1.2.8.7', kinds: OCSP, check: (f) => {
    if (!f.keyUsage) return 'absent; an OCSP responder certificate carries keyUsage digitalSignature';
    if (!f.keyUsage.critical) return 'not marked critical';
    return f.keyUsage.value === KU.digitalSignature ? undefined : 'is not digitalSignature alone (no other bit may be set)';
  } },
  { field: 'extKeyUsage', rule: 'BR 7.1.2.8.5', kinds: OCSP, check: (f) => ekuProblem(f, 'ocspSigning', ['ocspSigning']) },
  { field: 'id-pkix-ocsp-nocheck', rule: 'BR 7.1.2.8.6', kinds: OCSP, check: (f) => present('id-pkix-ocsp-nocheck', f.ocspNoCheck, (v) => v.isNull ? undefined : 'extnValue is not NULL') },
  { field: 'extensions', rule: 'BR 7.1.2.8.2', kinds: OCSP, check: (f) => {
    const forbidden = [f.nameConstraints && 'nameConstraints', f.built?.extensionOids.includes(SAN) && 'subjectAltName'].filter(Boolean);
    if (forbidden.length) return `${forbidden.join(', ')} on an OCSP responder certificate (MUST NOT appear)`;
    const discouraged = [f.policies && 'certificatePolicies', f.crlDp && 'cRLDistributionPoints', f.aia && 'authorityInformationAccess'].filter(Boolean);
    return discouraged.length ? `${discouraged.join(', ')} on an OCSP responder certificate (NOT RECOMMENDED; leave them out)` : undefined;
  } },
];

export const CERT_RULES: readonly Rule[] = [
  { field: 'serialNumber', rule: 'RFC 5280 4.1.2.2', kinds: ALL, check: (f) => {
    if (!f.built) return undefined;
    const hex = f.built.serialHex.replace(/^(00)+(?=[0-9a-f]{2})/i, '');
    if (/^0*$/.test(hex) || parseInt(hex.slice(0, 2), 16) >= 0x80) return `${f.built.serialHex} is not a positive integer`;
    return hex.length > 40 ? `${f.built.serialHex} is longer than 20 octets` : undefined;
  } },
  { field: 'serialNumber', rule: 'BR 7.1.2.1.1/7.1.2.6.1 (64 bits from a CSPRNG)', kinds: BR, check: (f) => {
    if (f.serialFromScript) return 'set in the script; a BR serial must carry at least 64 bits of CSPRNG output (leave serial out: Keyrite draws 16 random bytes)';
    if (f.built && f.built.serialHex.replace(/^(00)+/, '').length < 16) return `${f.built.serialHex} is shorter than 64 bits`;
    return undefined;
  } },
  { field: 'version', rule: 'RFC 5280 4.1.2.1', kinds: ALL, check: (f) => f.built && f.built.version !== 3 ? `v${f.built.version}; certificates with extensions are v3` : undefined },
  { field: 'validity', rule: 'RFC 5280 4.1.2.5', kinds: ALL, check: (f) => f.notAfter.getTime() <= f.notBefore.getTime() ? 'notAfter is not after notBefore' : undefined },
  { field: 'validity', rule: 'BR 7.1.2.1.1', kinds: ['root'], check: (f) => {
    const days = (f.notAfter.getTime() - f.notBefore.getTime() + 1000) / DAY;
    return days < 2922 || days > 9132 ? `${Math.round(days)} days; a root CA certificate is valid between 2922 and 9132 days` : undefined;
  } },
  { field: 'subject', rule: 'BR 7.1.2.10.2', kinds: BR, check: (f) => {
    const missing = ['C', 'O', 'CN'].filter((k) => !f.subject[k]?.length);
    if (missing.length) return `lacks ${missing.join(', ')}; a CA certificate's subject has countryName, organizationName and commonName`;
    return f.subject.C?.every((c) => /^[A-Z]{2}$/.test(c)) ? undefined : `countryName ${f.subject.C?.join(',')} is not a two-letter ISO 3166-1 code in capitals`;
  } },
  { field: 'subject', rule: 'BR 7.1.4.1 (encoding)', kinds: BR, check: (f) => {
    const bad = f.built?.subjectEncodings.filter((e) => (e.startsWith('C:') ? e !== 'C:printableString' : !/:(printableString|utf8String)$/.test(e)));
    return bad?.length ? `${bad.join(', ')}: countryName is a PrintableString, other attributes PrintableString or UTF8String` : undefined;
  } },
  { field: 'signatureAlgorithm', rule: 'BR 7.1.3.2', kinds: BR, check: (f) => {
    const p = keyProblem(f.issuerKey);
    if (p) return `issuer key ${p}`;
    if (f.issuerKey.type === 'ec' && EC_HASH[f.issuerKey.curve ?? ''] !== f.hash) return `${describeKey(f.issuerKey)} signs with ${EC_HASH[f.issuerKey.curve ?? '']}, not ${f.hash ?? 'no hash'}`;
    return undefined;
  } },
  { field: 'subjectPublicKeyInfo', rule: 'BR 6.1.5/7.1.3.1', kinds: BR, check: (f) => keyProblem(f.subjectKey) },
  { field: 'basicConstraints', rule: 'RFC 5280 4.2.1.9', kinds: CA, check: (f) => {
    if (!f.basicConstraints) return 'absent; a CA certificate carries basicConstraints';
    if (!f.basicConstraints.critical) return 'not marked critical';
    return f.basicConstraints.value.ca ? undefined : 'cA is false';
  } },
  { field: 'basicConstraints.pathLenConstraint', rule: 'BR 7.1.2.1.4', kinds: ['root'], check: (f) => f.basicConstraints?.value.pathLen !== undefined ? 'set on a root; BR does not recommend it (leave pathLen out)' : undefined },
  { field: 'keyUsage', rule: 'BR 7.1.2.10.7', kinds: CA, check: (f) => {
    if (!f.keyUsage) return 'absent; a CA certificate carries keyUsage';
    if (!f.keyUsage.critical) return 'not marked critical';
    if ((f.keyUsage.value & (KU.keyCertSign | KU.cRLSign)) !== (KU.keyCertSign | KU.cRLSign)) return 'lacks keyCertSign or cRLSign';
    return f.keyUsage.value & ~(KU.keyCertSign | KU.cRLSign | KU.digitalSignature) ? 'has bits other than keyCertSign, cRLSign and digitalSignature' : undefined;
  } },
  { field: 'subjectKeyIdentifier', rule: 'BR 7.1.2.11.4', kinds: BR, check: (f) => present('subjectKeyIdentifier', f.ski) },
  { field: 'authorityKeyIdentifier', rule: 'BR 7.1.2.1.3', kinds: ['root'], check: (f) => {
    if (!f.aki) return undefined;
    if (f.aki.critical) return 'marked critical';
    return f.aki.value.keyId !== f.ski?.value ? 'keyIdentifier differs from the subjectKeyIdentifier of a self-signed root' : undefined;
  } },
  { field: 'authorityKeyIdentifier', rule: 'BR 7.1.2.11.1', kinds: [...ISSUED, 'ocsp-responder'], check: (f) => present('authorityKeyIdentifier', f.aki, (a) => {
    if (!a.keyId) return 'has no keyIdentifier';
    if (a.hasIssuerSerial) return 'carries authorityCertIssuer/serialNumber; only keyIdentifier is allowed';
    return f.built?.issuerKeyId && a.keyId !== f.built.issuerKeyId ? `keyIdentifier ${a.keyId} is not the issuer's subjectKeyIdentifier ${f.built.issuerKeyId}` : undefined;
  }) },
  { field: 'extensions', rule: 'BR 7.1.2.1.2', kinds: ['root'], check: (f) => {
    const extra = [f.eku && 'extKeyUsage', f.policies && 'certificatePolicies', f.crlDp && 'cRLDistributionPoints', f.aia && 'authorityInformationAccess', f.nameConstraints && 'nameConstraints'].filter(Boolean);
    return extra.length ? `${extra.join(', ')} on a root CA certificate (extKeyUsage MUST NOT appear; the others are NOT RECOMMENDED)` : undefined;
  } },
  { field: 'certificatePolicies', rule: 'BR 7.1.2.10.5', kinds: ['tls-subordinate'], check: (f) => present('certificatePolicies', f.policies, (p) => {
    if (p.includes(ANY_POLICY)) return p.length === 1 ? undefined : 'anyPolicy appears with other policies';
    const reserved = p.filter((o) => TLS_RESERVED.includes(o));
    return reserved.length === 1 ? undefined : `${reserved.length} CA/B Forum reserved TLS policy identifiers (${TLS_RESERVED.join(', ')}); exactly one is required`;
  }) },
  { field: 'certificatePolicies', rule: 'CSBR 7.1.2.2', kinds: ['code-signing-subordinate'], check: (f) => present('certificatePolicies', f.policies, (p) => p.includes(CS_RESERVED) || p.includes(ANY_POLICY) ? undefined : `lacks the code signing policy ${CS_RESERVED} (or anyPolicy)`) },
  { field: 'certificatePolicies', rule: 'BR 7.1.2.2.3', kinds: ['cross'], check: (f) => present('certificatePolicies', f.policies) },
  { field: 'cRLDistributionPoints', rule: 'BR 7.1.2.11.2', kinds: ISSUED, check: (f) => present('cRLDistributionPoints', f.crlDp, (d) => {
    if (d.uris.length === 0) return 'has no URI';
    return d.otherForms ? 'carries reasons, cRLIssuer or a name that is not a URI' : httpOnly(d.uris);
  }) },
  { field: 'authorityInformationAccess', rule: 'BR 7.1.2.10.3', kinds: ISSUED, check: (f) => present('authorityInformationAccess', f.aia, (a) => a.caIssuers.length === 0 ? 'has no caIssuers URL (the issuer certificate should be reachable)' : httpOnly([...a.caIssuers, ...a.ocsp])) },
  { field: 'extKeyUsage', rule: 'BR 7.1.2.10.6', kinds: ['tls-subordinate'], check: (f) => ekuProblem(f, 'serverAuth', ['serverAuth', 'clientAuth']) },
  { field: 'extKeyUsage', rule: 'CSBR 7.1.2.2', kinds: ['code-signing-subordinate'], check: (f) => ekuProblem(f, 'codeSigning', ['codeSigning', 'emailProtection', 'timeStamping']) },
  { field: 'extKeyUsage', rule: 'BR 7.1.2.2.3', kinds: ['cross'], check: (f) => f.eku?.value.includes(EKU_OIDS.anyExtendedKeyUsage) ? 'carries anyExtendedKeyUsage' : f.eku?.critical ? 'marked critical' : undefined },
  ...OCSP_RULES,
  { field: 'nameConstraints', rule: 'RFC 5280 4.2.1.10', kinds: ALL, check: (f) => {
    if (!f.nameConstraints) return undefined;
    if (!f.nameConstraints.critical) return 'not marked critical';
    return f.nameConstraints.value.permitted + f.nameConstraints.value.excluded === 0 ? 'has neither permitted nor excluded subtrees' : undefined;
  } },
];

export function certificateProblems(f: CertFacts): ProfileProblem[] {
  return CERT_RULES.filter((r) => r.kinds.includes(f.kind)).flatMap((r) => {
    const message = r.check(f);
    return message ? [{ field: r.field, rule: r.rule, message }] : [];
  });
}
