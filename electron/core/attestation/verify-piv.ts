/**
 * YubiKey PIV attestation: the slot's attestation certificate (issued on the device for the key in
 * that slot) <- the device's attestation certificate (slot f9) <- Yubico's PIV root CA. Each link
 * is checked by name and signature; the attested public key must be the key the ceremony made.
 * A failure names the link that broke, so the people in the room know which file is wrong.
 */
import { createHash } from 'node:crypto';
import { KeyriteError } from '../util/errors';
import { toPgpWords } from '../util/pgp-words';
import { X509Certificate } from '../x509/lib';
import { advisoriesFor, type Advisory } from './advisories';
import { shippedRoots } from './roots';
import { decodePivExtensions, YUBICO_PIV_OID, type PivDeviceFacts } from './yubico-piv-extensions';

export type AttestationLink = 'key-cert <- device-cert' | 'device-cert <- vendor-root' | 'public-key = key-cert';

export interface CertSummary {
  subject: string;
  issuer: string;
  /** SHA-256 of the certificate DER, hex. */
  sha256: string;
}

export interface AttestationResult extends PivDeviceFacts {
  vendor: 'yubico-piv';
  verified: true;
  /** The PIV slot the key lives in, from the key certificate's subject (e.g. 9c). */
  slot?: string;
  keyCert: CertSummary;
  deviceCert: CertSummary;
  root: CertSummary;
  /** The attested public key (SPKI DER). */
  publicKey: { sha256: string; words: string[]; type: string };
  /** True when a public key was given and is the attested one. */
  publicKeyMatched: boolean;
  advisories: Advisory[];
}

export interface AttestationInput {
  keyCertPem: string;
  deviceCertPem: string;
  /** The ceremony's key: SPKI DER, or PEM. Optional on the command line; always given in a ceremony. */
  publicKey?: Uint8Array | string;
  /** Extra trust anchors (PEM) the caller chose, besides the shipped vendor root. */
  extraRoots?: string[];
}

function parse(pem: string, what: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (e) {
    throw new KeyriteError('INPUT_ATTESTATION_CERT', `The ${what} is not an X.509 certificate: ${(e as Error).message}`, {
      action: `Give the ${what} as PEM or DER, as yubico-piv-tool or ykman writes it.`,
    });
  }
}

function sha256(b: ArrayBuffer | Uint8Array): string {
  return createHash('sha256').update(new Uint8Array(b)).digest('hex');
}

function summary(c: X509Certificate): CertSummary {
  return { subject: c.subject, issuer: c.issuer, sha256: sha256(c.rawData) };
}

function refused(code: string, link: AttestationLink, message: string, action: string, details: Record<string, unknown> = {}): KeyriteError {
  return new KeyriteError(code, `Link ${link} failed. ${message}`, { action, details: { link, ...details } });
}

/** Does `issuer` name and sign `cert`? */
async function issuedBy(cert: X509Certificate, issuer: X509Certificate): Promise<boolean> {
  if (cert.issuer !== issuer.subject) return false;
  try {
    return await cert.verify({ publicKey: issuer.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}

export function spkiOf(key: Uint8Array | string): Uint8Array {
  if (typeof key !== 'string') return key;
  const m = /-----BEGIN PUBLIC KEY-----([\s\S]*?)-----END PUBLIC KEY-----/.exec(key);
  if (!m) throw new KeyriteError('INPUT_PUBLIC_KEY', 'The public key is not a PEM "PUBLIC KEY" (SubjectPublicKeyInfo).', { action: 'Give the key as openssl pkey -pubout writes it (public-key.pem of the ceremony).' });
  return new Uint8Array(Buffer.from((m[1] as string).replace(/\s+/g, ''), 'base64'));
}

function keyType(spki: X509Certificate['publicKey']): string {
  const name = spki.algorithm.name;
  if (name === 'ECDSA') return 'ec';
  if (name.startsWith('RSA')) return 'rsa';
  return name.toLowerCase();
}

export async function verifyPivAttestation(input: AttestationInput): Promise<AttestationResult> {
  const keyCert = parse(input.keyCertPem, 'key attestation certificate');
  const deviceCert = parse(input.deviceCertPem, 'device attestation certificate');
  const given = input.publicKey === undefined ? undefined : spkiOf(input.publicKey);
  const roots = [...shippedRoots('yubico-piv'), ...(input.extraRoots ?? [])].map((p) => parse(p, 'attestation root'));

  if (!(await issuedBy(keyCert, deviceCert))) {
    throw refused('ATTESTATION_KEY_NOT_FROM_DEVICE', 'key-cert <- device-cert',
      `The key attestation certificate (${keyCert.subject}, issuer ${keyCert.issuer}) is not signed by the given device certificate (${deviceCert.subject}): they come from different devices, or one was altered.`,
      'Read both certificates again from the same YubiKey: the slot\'s attestation (yubico-piv-tool -a attest) and the f9 certificate (-a read-certificate -s f9).',
      { keyCertSha256: sha256(keyCert.rawData), deviceCertSha256: sha256(deviceCert.rawData) });
  }
  let root: X509Certificate | undefined;
  for (const r of roots) if (await issuedBy(deviceCert, r)) { root = r; break; }
  if (!root) {
    throw refused('ATTESTATION_DEVICE_NOT_FROM_ROOT', 'device-cert <- vendor-root',
      `The device attestation certificate (${deviceCert.subject}, issuer ${deviceCert.issuer}) is not signed by Yubico's PIV root CA: the device is not a genuine YubiKey, or the certificate was altered.`,
      'Do not use this key as vendor-attested. Check the device with the vendor, or record a deviation.',
      { deviceCertSha256: sha256(deviceCert.rawData) });
  }
  const attested = new Uint8Array(keyCert.publicKey.rawData);
  if (given && Buffer.compare(Buffer.from(attested), Buffer.from(given)) !== 0) {
    throw refused('ATTESTATION_PUBLIC_KEY_MISMATCH', 'public-key = key-cert',
      `The attested public key (SHA-256 ${sha256(attested)}) is not the ceremony's key (SHA-256 ${sha256(given)}): the attestation is for another key.`,
      'Attest the slot that holds the ceremony\'s key, on the device that generated it.',
      { attested: sha256(attested), expected: sha256(given) });
  }
  const facts = decodePivExtensions((oid) => {
    const ext = keyCert.getExtension(oid);
    return ext ? new Uint8Array(ext.value) : undefined;
  });
  if (facts.serial === undefined && facts.firmware === undefined) {
    throw refused('ATTESTATION_NOT_PIV', 'key-cert <- device-cert',
      `The key attestation certificate carries none of Yubico's PIV attestation extensions (${YUBICO_PIV_OID.firmware}, ${YUBICO_PIV_OID.serial}).`,
      'Give the slot attestation certificate that the YubiKey made (yubico-piv-tool -a attest).');
  }
  const slot = /Attestation ([0-9a-f]{2})$/i.exec(keyCert.subject)?.[1]?.toLowerCase();
  const digest = createHash('sha256').update(attested).digest();
  const type = keyType(keyCert.publicKey);
  return {
    vendor: 'yubico-piv', verified: true, ...(slot ? { slot } : {}), ...facts,
    keyCert: summary(keyCert), deviceCert: summary(deviceCert), root: summary(root),
    publicKey: { sha256: digest.toString('hex'), words: toPgpWords(digest), type },
    publicKeyMatched: given !== undefined,
    advisories: advisoriesFor({ vendor: 'yubico-piv', ...(facts.firmware ? { firmware: facts.firmware } : {}), keyType: type }),
  };
}

/** A certificate file's bytes as PEM text (yubico-piv-tool writes PEM; ykman can write DER). */
export function certPemOf(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('latin1');
  if (text.includes('-----BEGIN CERTIFICATE-----')) return text;
  // 64 characters a line; no empty line when the base64 fills the last one (PEM parsers refuse it).
  const b64 = (Buffer.from(bytes).toString('base64').match(/.{1,64}/g) ?? []).join('\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/** SHA-256 of a certificate's DER, hex. */
export function certSha256(pem: string): string {
  return sha256(parse(pem, 'certificate').rawData);
}
