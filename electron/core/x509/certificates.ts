/**
 * Certificates and CRLs signed on the token. @peculiar/x509 encodes (RFC 5280); the signature
 * comes from TokenApi.sign; every signature is verified with the issuer's public key before the
 * result is returned, so a bad token signature never reaches a file.
 */
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from './lib';
import { KeyriteError } from '../util/errors';
import { signingAlgorithm, tokenCrypto, tokenSigningKey, type HashName, type TokenSigner } from './token-crypto';

export interface SubjectSpec {
  commonName: string;
  organization?: string | undefined;
  organizationalUnit?: string | undefined;
  country?: string | undefined;
}

export interface CaProfile {
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
  crlNumber: number;
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

/** Positive serial: 16 random bytes with the top bit clear (RFC 5280 4.1.2.2, at most 20 octets). */
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

async function verifyOrThrow(cert: x509.X509Certificate, issuerSpki: Uint8Array): Promise<void> {
  const ok = await cert.verify({ publicKey: new x509.PublicKey(ab(issuerSpki)), signatureOnly: true }, webcrypto as unknown as Crypto);
  if (!ok) {
    throw new KeyriteError('CERT_SIGNATURE_INVALID', `The token's signature on the certificate for "${cert.subject}" does not verify with the issuer's public key.`, {
      action: 'Do not use this certificate. Check that the right key is selected on the token, then sign again.',
    });
  }
}

function caExtensions(pathLen: number | undefined): x509.Extension[] {
  return [
    new x509.BasicConstraintsExtension(true, pathLen, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
  ];
}

/** Self-signed root certificate (RFC 5280): CA basicConstraints and keyUsage critical, SKI = AKI. */
export async function issueRootCertificate(opts: { signer: TokenSigner; spki: Uint8Array; profile: CaProfile; timing?: SignTiming }): Promise<IssuedCertificate> {
  const { signer, spki, profile } = opts;
  const crypto = tokenCrypto(signer, profile.signature, opts.timing);
  const ski = await x509.SubjectKeyIdentifierExtension.create(ab(spki), false, crypto);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex(profile.serial),
    subject: subjectName(profile.subject),
    issuer: subjectName(profile.subject),
    notBefore: parseDate(profile.notBefore),
    notAfter: parseDate(profile.notAfter),
    publicKey: ab(spki),
    signingKey: tokenSigningKey(signer, profile.signature),
    signingAlgorithm: signingAlgorithm(signer.algorithm, profile.signature),
    extensions: [...caExtensions(profile.pathLen), ski, new x509.AuthorityKeyIdentifierExtension(ski.keyId)],
  }, crypto);
  await verifyOrThrow(cert, spki);
  return issued(cert);
}

/** Reads a PKCS#10 CSR (PEM or DER) and checks its signature. */
export async function readCsr(csr: string | Uint8Array): Promise<x509.Pkcs10CertificateRequest> {
  let req: x509.Pkcs10CertificateRequest;
  try {
    req = new x509.Pkcs10CertificateRequest(typeof csr === 'string' ? csr : ab(csr));
  } catch (e) {
    throw new KeyriteError('CSR_INVALID', `The certificate request cannot be read: ${(e as Error).message}`, { action: 'Give a PKCS#10 request in PEM or DER form.' });
  }
  if (!(await req.verify(webcrypto as unknown as Crypto))) {
    throw new KeyriteError('CSR_SIGNATURE_INVALID', `The certificate request for "${req.subject}" has a signature that does not verify.`, {
      action: 'Ask the requester for a new CSR; this one may have been altered.',
    });
  }
  return req;
}

/**
 * A subordinate CA certificate for a subject key. The subject name comes from the script's
 * profile (never from the CSR, so a request cannot choose its own name); pathLen from the profile.
 */
export async function issueSubordinateCertificate(opts: {
  signer: TokenSigner; issuer: IssuedCertificate | string; subjectSpki: Uint8Array; profile: CaProfile; timing?: SignTiming;
}): Promise<IssuedCertificate> {
  const { signer, profile } = opts;
  const issuerCert = new x509.X509Certificate(typeof opts.issuer === 'string' ? opts.issuer : ab(opts.issuer.der));
  const crypto = tokenCrypto(signer, profile.signature, opts.timing);
  const issuerSki = issuerCert.getExtension(x509.SubjectKeyIdentifierExtension);
  const aki = issuerSki ? new x509.AuthorityKeyIdentifierExtension(issuerSki.keyId) : await x509.AuthorityKeyIdentifierExtension.create(issuerCert.publicKey.rawData, false, crypto);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex(profile.serial),
    subject: subjectName(profile.subject),
    issuer: issuerCert.subjectName,
    notBefore: parseDate(profile.notBefore),
    notAfter: parseDate(profile.notAfter),
    publicKey: ab(opts.subjectSpki),
    signingKey: tokenSigningKey(signer, profile.signature),
    signingAlgorithm: signingAlgorithm(signer.algorithm, profile.signature),
    extensions: [...caExtensions(profile.pathLen), await x509.SubjectKeyIdentifierExtension.create(ab(opts.subjectSpki), false, crypto), aki],
  }, crypto);
  await verifyOrThrow(cert, new Uint8Array(issuerCert.publicKey.rawData));
  return issued(cert);
}

/** The CSR's signature is checked first; then a subordinate certificate for the CSR's key. */
export async function issueFromCsr(opts: { signer: TokenSigner; issuer: IssuedCertificate | string; csr: string | Uint8Array; profile: CaProfile; timing?: SignTiming }): Promise<IssuedCertificate> {
  const req = await readCsr(opts.csr);
  return issueSubordinateCertificate({ ...opts, subjectSpki: new Uint8Array(req.publicKey.rawData) });
}

function derInteger(n: number): Uint8Array {
  const bytes: number[] = [];
  let v = n;
  do { bytes.unshift(v & 0xff); v = Math.floor(v / 256); } while (v > 0);
  if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
  return new Uint8Array([0x02, bytes.length, ...bytes]);
}

export interface RevokedEntry {
  serial: string;
  date: string;
  reason?: string | undefined;
}

const REASONS: Record<string, x509.X509CrlReason> = {
  unspecified: x509.X509CrlReason.unspecified, keyCompromise: x509.X509CrlReason.keyCompromise, cACompromise: x509.X509CrlReason.cACompromise,
  affiliationChanged: x509.X509CrlReason.affiliationChanged, superseded: x509.X509CrlReason.superseded, cessationOfOperation: x509.X509CrlReason.cessationOfOperation,
};

/** A CRL (v2) signed by the CA key on the token, with AKI and CRL number. */
export async function issueCrl(opts: {
  signer: TokenSigner; issuer: IssuedCertificate | string; revoked: RevokedEntry[]; thisUpdate: Date; nextUpdateDays: number; crlNumber: number; hash: HashName; timing?: SignTiming;
}): Promise<IssuedCrl> {
  const issuerCert = new x509.X509Certificate(typeof opts.issuer === 'string' ? opts.issuer : ab(opts.issuer.der));
  const crypto = tokenCrypto(opts.signer, opts.hash, opts.timing);
  const nextUpdate = new Date(opts.thisUpdate.getTime() + opts.nextUpdateDays * 86_400_000);
  const issuerSki = issuerCert.getExtension(x509.SubjectKeyIdentifierExtension);
  const extensions: x509.Extension[] = [new x509.Extension('2.5.29.20', false, ab(derInteger(opts.crlNumber)))];
  if (issuerSki) extensions.push(new x509.AuthorityKeyIdentifierExtension(issuerSki.keyId));
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuerCert.subjectName,
    thisUpdate: opts.thisUpdate,
    nextUpdate,
    signingAlgorithm: signingAlgorithm(opts.signer.algorithm, opts.hash),
    signingKey: tokenSigningKey(opts.signer, opts.hash),
    extensions,
    entries: opts.revoked.map((r) => ({ serialNumber: r.serial, revocationDate: parseDate(r.date), reason: REASONS[r.reason ?? 'unspecified'] ?? x509.X509CrlReason.unspecified })),
  }, crypto);
  if (!(await crl.verify({ publicKey: issuerCert.publicKey }, webcrypto as unknown as Crypto))) {
    throw new KeyriteError('CRL_SIGNATURE_INVALID', "The token's signature on the CRL does not verify with the issuer's public key.", { action: 'Do not publish this CRL; check the key on the token and sign again.' });
  }
  const der = new Uint8Array(crl.rawData);
  return {
    // OpenSSL reads only the RFC 7468 label "X509 CRL"; @peculiar/x509 writes "CRL".
    der, pem: x509.PemConverter.encode(ab(der), 'X509 CRL') + '\n', sha256: createHash('sha256').update(der).digest('hex'),
    thisUpdate: opts.thisUpdate.toISOString(), nextUpdate: nextUpdate.toISOString(), crlNumber: opts.crlNumber, revoked: opts.revoked.length,
  };
}
