/**
 * Certificates and CRLs signed on the token. @peculiar/x509 encodes (RFC 5280); the signature
 * comes from TokenApi.sign; every signature is verified with the issuer's public key before the
 * result is returned, so a bad token signature never reaches a file.
 */
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from './lib';
import { KeyriteError } from '../util/errors';
import { signingAlgorithm, tokenCrypto, tokenSigningKey, type HashName, type TokenSigner } from './token-crypto';
import { assertConformant, lintCertificate } from './lint';
import { keyIdOf, profileExtensions } from './profile-extensions';
import type { CertProfileFields, CertProfileKind } from './profile-schema';
import { signAfterLint } from './presign';
import { assertStrongKey } from './weak-keys';
import { crlFacts, crlProblems, REASON_CODES } from './crl-profile';
import { crlExtensions } from './crl-extensions';
import type { CrlProfileKind } from './profile-schema';

export interface SubjectSpec {
  commonName: string;
  organization?: string | undefined;
  organizationalUnit?: string | undefined;
  country?: string | undefined;
}

export interface CaProfile extends CertProfileFields {
  subject: SubjectSpec;
  notBefore: string;
  notAfter: string;
  pathLen?: number | undefined;
  signature: HashName;
  serial?: string | undefined;
}

export interface IssuedCertificate {
  der: Uint8Array;
  pem: string;
  /** SHA-256 of the DER, hex. */
  sha256: string;
  serial: string;
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
}

export interface IssuedCrl {
  der: Uint8Array;
  pem: string;
  sha256: string;
  thisUpdate: string;
  nextUpdate: string;
  /** Decimal: CRL numbers may pass 2^53. */
  crlNumber: string;
  revoked: number;
}

/** Timing of the token's part, for the benchmark's split. */
export interface SignTiming {
  tokenMs: number;
}

export function parseDate(text: string): Date {
  const d = new Date(text.length === 10 ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(d.getTime())) throw new KeyriteError('DATE_INVALID', `"${text}" is not a date.`, { action: 'Use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ.' });
  return d;
}

export function subjectName(s: SubjectSpec): x509.JsonName {
  const name: x509.JsonName = [];
  if (s.country) name.push({ C: [s.country] });
  if (s.organization) name.push({ O: [s.organization] });
  if (s.organizationalUnit) name.push({ OU: [s.organizationalUnit] });
  name.push({ CN: [s.commonName] });
  return name;
}

/**
 * Positive serial of 16 CSPRNG bytes, top bit clear and first byte non-zero so the DER INTEGER is
 * exactly 16 octets (RFC 5280 4.1.2.2: at most 20; BR 7.1.2: at least 64 random bits).
 */
function serialHex(given?: string): string {
  if (given) return given;
  const b = randomBytes(16);
  b[0] = ((b[0] ?? 0) & 0x7f) | 0x01;
  return b.toString('hex');
}

/** A copy as a plain ArrayBuffer: TypeScript 5.9 no longer takes Uint8Array<ArrayBufferLike> as BufferSource. */
export function ab(u: Uint8Array): ArrayBuffer {
  return new Uint8Array(u).buffer as ArrayBuffer;
}

function issued(cert: x509.X509Certificate): IssuedCertificate {
  const der = new Uint8Array(cert.rawData);
  return {
    der, pem: cert.toString('pem') + '\n', sha256: createHash('sha256').update(der).digest('hex'), serial: cert.serialNumber,
    subject: cert.subject, issuer: cert.issuer, notBefore: cert.notBefore.toISOString(), notAfter: cert.notAfter.toISOString(),
  };
}

async function verifyOrThrow(der: Uint8Array, issuerSpki: Uint8Array): Promise<void> {
  const cert = new x509.X509Certificate(ab(der));
  const ok = await cert.verify({ publicKey: new x509.PublicKey(ab(issuerSpki)), signatureOnly: true }, webcrypto as unknown as Crypto);
  if (!ok) {
    throw new KeyriteError('CERT_SIGNATURE_INVALID', `The token's signature on the certificate for "${cert.subject}" does not verify with the issuer's public key.`, {
      action: 'Do not use this certificate. Check that the right key is selected on the token, then sign again.',
    });
  }
}

interface IssueInput {
  signer: TokenSigner;
  kind: CertProfileKind;
  profile: CaProfile;
  subjectSpki: Uint8Array;
  issuerName: x509.JsonName | x509.Name;
  issuerSpki: Uint8Array;
  /** The issuer's SKI; for a self-signed root, the subject's own. */
  issuerKeyId: string;
  timing?: SignTiming | undefined;
}

/** One certificate, linted on a throwaway-key draft, signed on the token, checked again (presign.ts). */
async function issue(i: IssueInput): Promise<IssuedCertificate> {
  const { profile, signer } = i;
  // Chosen once: the draft and the token's certificate carry the same serial and extensions.
  const serialNumber = serialHex(profile.serial);
  const extensions = profileExtensions({ ...profile, kind: i.kind }, { subjectKeyId: keyIdOf(i.subjectSpki), authorityKeyId: i.issuerKeyId });
  const issuer = { spki: i.issuerSpki, keyId: i.kind === 'root' ? undefined : i.issuerKeyId };
  const der = await signAfterLint({
    algorithm: signer.algorithm, hash: profile.signature, what: `certificate for "${profile.subject.commonName}"`,
    async build(key, guard) {
      const crypto = key === 'token' ? tokenCrypto(signer, profile.signature, i.timing, guard) : (webcrypto as unknown as Crypto);
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber, subject: subjectName(profile.subject), issuer: i.issuerName,
        notBefore: parseDate(profile.notBefore), notAfter: parseDate(profile.notAfter), publicKey: ab(i.subjectSpki),
        signingKey: key === 'token' ? tokenSigningKey(signer, profile.signature) : key,
        signingAlgorithm: signingAlgorithm(signer.algorithm, profile.signature), extensions,
      }, crypto);
      return new Uint8Array(cert.rawData);
    },
    lint: (d, stage) => assertConformant(lintCertificate(d, i.kind, issuer), `${i.kind} certificate`, stage),
    verify: (d) => verifyOrThrow(d, i.issuerSpki),
  });
  return issued(new x509.X509Certificate(ab(der)));
}

/** Self-signed root certificate (BR 7.1.2.1 unless the profile says otherwise): SKI = AKI. */
export async function issueRootCertificate(opts: { signer: TokenSigner; spki: Uint8Array; profile: CaProfile; timing?: SignTiming }): Promise<IssuedCertificate> {
  const { spki, profile } = opts;
  return issue({
    signer: opts.signer, kind: profile.profile ?? 'root', profile, subjectSpki: spki, issuerName: subjectName(profile.subject),
    issuerSpki: spki, issuerKeyId: keyIdOf(spki), timing: opts.timing,
  });
}

/** Reads a PKCS#10 CSR (PEM or DER), checks its signature and refuses a weak key. */
export async function readCsr(csr: string | Uint8Array): Promise<x509.Pkcs10CertificateRequest> {
  let req: x509.Pkcs10CertificateRequest;
  try {
    req = new x509.Pkcs10CertificateRequest(typeof csr === 'string' ? csr : ab(csr));
  } catch (e) {
    throw new KeyriteError('CSR_INVALID', `The certificate request cannot be read: ${(e as Error).message}`, { action: 'Give a PKCS#10 request in PEM or DER form.' });
  }
  // Before the signature: an off-curve point must be named as such, not as a bad signature.
  assertStrongKey(new Uint8Array(req.publicKey.rawData));
  if (!(await req.verify(webcrypto as unknown as Crypto))) {
    throw new KeyriteError('CSR_SIGNATURE_INVALID', `The certificate request for "${req.subject}" has a signature that does not verify.`, {
      action: 'Ask the requester for a new CSR; this one may have been altered.',
    });
  }
  return req;
}

/**
 * A subordinate CA (or cross) certificate for a subject key. The subject name comes from the
 * script's profile (never from the CSR, so a request cannot choose its own name).
 */
export async function issueSubordinateCertificate(opts: {
  signer: TokenSigner; issuer: IssuedCertificate | string; subjectSpki: Uint8Array; profile: CaProfile; timing?: SignTiming;
}): Promise<IssuedCertificate> {
  const issuerCert = new x509.X509Certificate(typeof opts.issuer === 'string' ? opts.issuer : ab(opts.issuer.der));
  const issuerSpki = new Uint8Array(issuerCert.publicKey.rawData);
  const issuerSki = issuerCert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ?? keyIdOf(issuerSpki);
  return issue({
    signer: opts.signer, kind: opts.profile.profile ?? 'tls-subordinate', profile: opts.profile, subjectSpki: opts.subjectSpki,
    issuerName: issuerCert.subjectName, issuerSpki, issuerKeyId: issuerSki, timing: opts.timing,
  });
}

/** The CSR's signature is checked first; then a subordinate certificate for the CSR's key. */
export async function issueFromCsr(opts: { signer: TokenSigner; issuer: IssuedCertificate | string; csr: string | Uint8Array; profile: CaProfile; timing?: SignTiming }): Promise<IssuedCertificate> {
  const req = await readCsr(opts.csr);
  return issueSubordinateCertificate({ ...opts, subjectSpki: new Uint8Array(req.publicKey.rawData) });
}

export interface RevokedEntry {
  serial: string;
  date: string;
  reason?: string | undefined;
}

async function verifyCrlOrThrow(der: Uint8Array, issuerSpki: Uint8Array): Promise<void> {
  const crl = new x509.X509Crl(ab(der));
  if (!(await crl.verify({ publicKey: new x509.PublicKey(ab(issuerSpki)) }, webcrypto as unknown as Crypto))) {
    throw new KeyriteError('CRL_SIGNATURE_INVALID', "The token's signature on the CRL does not verify with the issuer's public key.", { action: 'Do not publish this CRL; check the key on the token and sign again.' });
  }
}

/**
 * A CRL or ARL (v2) signed by the CA key on the token: AKI, CRL number (any size up to 20 octets,
 * encoded by @peculiar/asn1-x509), and for an ARL or a published URL an issuingDistributionPoint.
 * Linted on a throwaway-key draft before the token signs (presign.ts). An unspecified reason is
 * left out, as BR 7.2.2.1 asks.
 */
export async function issueCrl(opts: {
  signer: TokenSigner; issuer: IssuedCertificate | string; revoked: RevokedEntry[]; thisUpdate: Date; nextUpdateDays: number;
  crlNumber: bigint | number | string; hash: HashName; kind?: CrlProfileKind; distributionPoint?: string | undefined; timing?: SignTiming;
}): Promise<IssuedCrl> {
  const issuerCert = new x509.X509Certificate(typeof opts.issuer === 'string' ? opts.issuer : ab(opts.issuer.der));
  const issuerSpki = new Uint8Array(issuerCert.publicKey.rawData);
  const issuerKeyId = issuerCert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ?? keyIdOf(issuerSpki);
  const kind = opts.kind ?? 'crl';
  const crlNumber = BigInt(opts.crlNumber);
  const nextUpdate = new Date(opts.thisUpdate.getTime() + opts.nextUpdateDays * 86_400_000);
  const extensions = crlExtensions({ crlNumber, issuerKeyId, kind, distributionPoint: opts.distributionPoint });
  const entries = opts.revoked.map((r) => {
    const code = r.reason === undefined || r.reason === 'unspecified' ? undefined : REASON_CODES[r.reason];
    return { serialNumber: r.serial, revocationDate: parseDate(r.date), ...(code === undefined ? {} : { reason: code as x509.X509CrlReason }) };
  });
  const der = await signAfterLint({
    algorithm: opts.signer.algorithm, hash: opts.hash, what: kind === 'arl' ? 'ARL' : 'CRL',
    async build(key, guard) {
      const crl = await x509.X509CrlGenerator.create({
        issuer: issuerCert.subjectName, thisUpdate: opts.thisUpdate, nextUpdate, extensions, entries,
        signingAlgorithm: signingAlgorithm(opts.signer.algorithm, opts.hash),
        signingKey: key === 'token' ? tokenSigningKey(opts.signer, opts.hash) : key,
      }, key === 'token' ? tokenCrypto(opts.signer, opts.hash, opts.timing, guard) : (webcrypto as unknown as Crypto));
      return new Uint8Array(crl.rawData);
    },
    lint: (d, stage) => assertConformant(crlProblems(crlFacts(d, kind, { spki: issuerSpki, keyId: issuerKeyId })), kind === 'arl' ? 'ARL' : 'CRL', stage),
    verify: (d) => verifyCrlOrThrow(d, issuerSpki),
  });
  return {
    // OpenSSL reads only the RFC 7468 label "X509 CRL"; @peculiar/x509 writes "CRL".
    der, pem: x509.PemConverter.encode(ab(der), 'X509 CRL') + '\n', sha256: createHash('sha256').update(der).digest('hex'),
    thisUpdate: opts.thisUpdate.toISOString(), nextUpdate: nextUpdate.toISOString(), crlNumber: crlNumber.toString(), revoked: opts.revoked.length,
  };
}
