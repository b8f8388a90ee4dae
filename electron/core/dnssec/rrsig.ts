/**
 * What a DNSSEC key signs and how its signature is written: the RRSIG signing input of RFC 4034
 * 3.1.8.1 over a canonical DNSKEY RRset (RFC 4034 6.3, RFC 6840 5.1), the DNSKEY public key of a
 * token's SPKI (RFC 3110, RFC 6605, RFC 8080), and the token's signature in DNSSEC's form.
 */
import { createPublicKey } from 'node:crypto';
import { KeyriteError } from '../util/errors';
import { ecdsaDerToRaw } from '../token/verify';
import type { KeyAlgorithm, SignatureScheme } from '../token/types';
import { CLASS_IN, TYPE_DNSKEY, dnskeyRdata, labelCount, nameWire, type DnskeyRecord, type DnssecAlgorithm } from './records';

export interface ValidityWindow { inception: Date; expiration: Date }

export interface RrsigFields {
  algorithm: DnssecAlgorithm;
  labels: number;
  originalTtl: number;
  expiration: number;
  inception: number;
  keyTag: number;
  signer: string;
}

/** The DNSSEC algorithm and token scheme for a Keyrite key; undefined when DNSSEC has none (P-521, RSA/SHA-512 unused). */
export function dnssecAlgorithmOf(key: KeyAlgorithm): { algorithm: DnssecAlgorithm; scheme: SignatureScheme } | undefined {
  if (key === 'ec-p256') return { algorithm: 13, scheme: 'ecdsa-sha256' };
  if (key === 'ec-p384') return { algorithm: 14, scheme: 'ecdsa-sha384' };
  if (key === 'ed25519') return { algorithm: 15, scheme: 'ed25519' };
  if (key.startsWith('rsa-')) return { algorithm: 8, scheme: 'rsa-pkcs1-sha256' };
  return undefined;
}

/** The DNSSEC algorithm for a public key (SPKI DER): 8 for RSA, 13/14 for EC P-256/P-384, 15 for Ed25519. */
export function dnssecAlgorithmOfSpki(spki: Uint8Array): DnssecAlgorithm {
  let key;
  try {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch (e) {
    throw new KeyriteError('PUBLIC_KEY_INVALID', `The public key cannot be read: ${(e as Error).message}`, { action: 'Give the PEM public key the ceremony exported (public-key.pem).' });
  }
  const crv = key.asymmetricKeyType === 'ec' ? key.export({ format: 'jwk' }).crv : undefined;
  if (key.asymmetricKeyType === 'rsa') return 8;
  if (key.asymmetricKeyType === 'ed25519') return 15;
  if (crv === 'P-256' || crv === 'P-384') return crv === 'P-256' ? 13 : 14;
  throw new KeyriteError('DNSSEC_ALGORITHM_UNSUPPORTED', `The key is ${key.asymmetricKeyType}${crv ? ` ${crv}` : ''}, which has no DNSSEC algorithm Keyrite signs with (8, 13, 14, 15).`, { action: 'Use an RSA, EC P-256, EC P-384 or Ed25519 key for a KSK.' });
}

const b64u = (s: string | undefined): Buffer => Buffer.from(s ?? '', 'base64url');

function pad(b: Buffer, len: number): Buffer {
  return b.length >= len ? b.subarray(b.length - len) : Buffer.concat([Buffer.alloc(len - b.length), b]);
}

/** The DNSKEY Public Key field for an SPKI under `algorithm`; throws when the key is of another kind. */
export function dnskeyPublicKey(spki: Uint8Array, algorithm: DnssecAlgorithm): Uint8Array {
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  const jwk = key.export({ format: 'jwk' });
  const want = algorithm === 8 ? 'rsa' : algorithm === 15 ? 'ed25519' : 'ec';
  const curve = algorithm === 13 ? 'P-256' : algorithm === 14 ? 'P-384' : undefined;
  if (key.asymmetricKeyType !== want || (curve && jwk.crv !== curve)) {
    throw new KeyriteError('DNSKEY_KEY_MISMATCH', `The key is ${key.asymmetricKeyType}${jwk.crv ? ` ${jwk.crv}` : ''}, not a key for DNSSEC algorithm ${algorithm}.`, { action: 'Use the ceremony key with the algorithm its DNSKEY record names.' });
  }
  if (algorithm === 15) return new Uint8Array(b64u(jwk.x));
  if (algorithm !== 8) {
    const len = algorithm === 13 ? 32 : 48;
    return new Uint8Array(Buffer.concat([pad(b64u(jwk.x), len), pad(b64u(jwk.y), len)]));
  }
  // RFC 3110 2: exponent length in one octet, or zero then two octets when it exceeds 255.
  const e = b64u(jwk.e);
  const n = b64u(jwk.n);
  const elen = e.length <= 255 ? Buffer.from([e.length]) : Buffer.from([0, e.length >> 8, e.length & 0xff]);
  return new Uint8Array(Buffer.concat([elen, e, n]));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** RFC 4034 3.1.5: seconds since 1970 modulo 2^32. */
export const sigTime = (d: Date): number => Math.floor(d.getTime() / 1000) >>> 0;

/** YYYYMMDDHHmmSS, the zone-file form of an RRSIG time (RFC 4034 3.2). */
export function sigTimeText(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** The RRset in canonical form and order (RFC 4034 6.2, 6.3): owner lowercased, each RR with `ttl`, sorted by RDATA. */
export function canonicalRrsetWire(rrset: DnskeyRecord[], ttl: number): Uint8Array {
  const owner = nameWire(rrset[0]!.owner);
  const parts: Uint8Array[] = [];
  for (const rd of rrset.map(dnskeyRdata).sort(compareBytes)) {
    const fixed = Buffer.alloc(10);
    fixed.writeUInt16BE(TYPE_DNSKEY, 0);
    fixed.writeUInt16BE(CLASS_IN, 2);
    fixed.writeUInt32BE(ttl, 4);
    fixed.writeUInt16BE(rd.length, 8);
    parts.push(owner, fixed, rd);
  }
  return new Uint8Array(Buffer.concat(parts));
}

/** RFC 4034 3.1.8.1: RRSIG RDATA without the signature, then the canonical RRset with the original TTL. */
export function rrsigSigningInput(rrset: DnskeyRecord[], f: RrsigFields): Uint8Array {
  const head = Buffer.alloc(18);
  head.writeUInt16BE(TYPE_DNSKEY, 0);
  head[2] = f.algorithm;
  head[3] = f.labels;
  head.writeUInt32BE(f.originalTtl, 4);
  head.writeUInt32BE(f.expiration, 8);
  head.writeUInt32BE(f.inception, 12);
  head.writeUInt16BE(f.keyTag, 16);
  return new Uint8Array(Buffer.concat([head, nameWire(f.signer), canonicalRrsetWire(rrset, f.originalTtl)]));
}

/** The fields of an RRSIG by `ksk` over its own RRset for one window. */
export function rrsigFields(rrset: DnskeyRecord[], ksk: DnskeyRecord, tag: number, w: ValidityWindow): RrsigFields {
  return {
    algorithm: ksk.algorithm as DnssecAlgorithm, labels: labelCount(ksk.owner), originalTtl: rrset[0]!.ttl,
    expiration: sigTime(w.expiration), inception: sigTime(w.inception), keyTag: tag, signer: ksk.owner,
  };
}

/** The token API's signature in DNSSEC's wire form: ECDSA DER to r||s (RFC 6605 4), RSA and Ed25519 as they are. */
export function dnssecSignature(algorithm: DnssecAlgorithm, tokenSig: Uint8Array): Uint8Array {
  if (algorithm === 13 || algorithm === 14) {
    const len = algorithm === 13 ? 32 : 48;
    // The token API returns ECDSA as DER (as X.509 and OpenSSL want; adapter/sign.ts converts PKCS#11's r||s).
    return ecdsaDerToRaw(tokenSig, len);
  }
  return tokenSig;
}

export function rrsigText(owner: string, f: RrsigFields, signature: Uint8Array): string {
  const exp = new Date(f.expiration * 1000);
  const inc = new Date(f.inception * 1000);
  return `${owner} ${f.originalTtl} IN RRSIG DNSKEY ${f.algorithm} ${f.labels} ${f.originalTtl} ${sigTimeText(exp)} ${sigTimeText(inc)} ${f.keyTag} ${f.signer} ${Buffer.from(signature).toString('base64')}`;
}
