/**
 * Signed-note keys (c2sp.org/signed-note), in Go's golang.org/x/mod/sumdb/note text forms:
 *   verifier key: <name>+<8 hex key id>+base64(<type> || <public key>)
 *   signer key:   PRIVATE+KEY+<name>+<8 hex key id>+base64(<type> || <private key>)
 * Signature types (docs/TRANSCRIPT.md, "Signature types"):
 *   0x01 Ed25519 (the spec's own type; RFC 8032 over the note text).
 *        Key id = SHA-256(name || 0x0A || 0x01 || 32-byte key)[:4].
 *   0x02 ECDSA as the spec assigns it (github.com/transparency-dev/witness): public key = SPKI DER
 *        of a P-256/P-384/P-521 key; signature = ASN.1 DER ECDSA-Sig-Value over SHA-256 of the
 *        note text, whatever the curve; key id = SHA-256(SPKI DER)[:4] (no name, no type byte).
 *        Root ECDSA keys sign checkpoints with it (proof of possession).
 *   0x04 tlog-cosignature/v1 (c2sp.org/tlog-cosignature): Ed25519 over "cosignature/v1\ntime
 *        <t>\n" || note text; signature = u64 big-endian timestamp || 64-byte signature.
 *        Key id = SHA-256(name || 0x0A || 0x04 || 32-byte key)[:4]. Witnesses cosign with it.
 *   0xff "keyrite.spki/v1": Keyrite's own type, for RSA root keys (no type is assigned to RSA),
 *        and ECDSA in transcripts made before 0x02 (still verified). Public key = SPKI DER.
 *        Signature over the note text: RSASSA-PKCS1-v1_5 with SHA-256; ECDSA DER with SHA-256 /
 *        384 / 512 for P-256 / 384 / 521. Key id as for 0x01 with the 16-byte type.
 * The parts every type shares (type bytes, names, key ids, base64): note-key-text.ts.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { badKey, checkKeyName, chop, COSIGNATURE_TYPE, ECDSA_TYPE, ED25519_TYPE, hashHex, keyHash, SPKI_TYPE, strictBase64, type NoteKeyType, type NoteSigner, type NoteVerifier } from './note-key-text';

export { checkKeyName, COSIGNATURE_TYPE, ECDSA_TYPE, ED25519_TYPE, hashHex, keyHash, SPKI_TYPE, strictBase64, type NoteKeyType, type NoteSigner, type NoteVerifier } from './note-key-text';

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

const COSIGNATURE_HEADER = 'cosignature/v1\n';
/** tlog-cosignature: the timestamp MUST NOT exceed 2^63 - 1. */
const MAX_TIMESTAMP = (1n << 63n) - 1n;

function ecHashFor(key: KeyObject): 'sha256' | 'sha384' | 'sha512' | undefined {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve === 'prime256v1') return 'sha256';
  if (curve === 'secp384r1') return 'sha384';
  if (curve === 'secp521r1') return 'sha512';
  return undefined;
}

/** The digest the keyrite.spki/v1 type uses for this public key; throws for unsupported keys. */
export function spkiDigest(key: KeyObject): 'sha256' | 'sha384' | 'sha512' {
  if (key.asymmetricKeyType === 'ec') {
    const h = ecHashFor(key);
    if (h) return h;
    throw badKey(`EC curve ${key.asymmetricKeyDetails?.namedCurve ?? '?'} is not P-256, P-384 or P-521`);
  }
  if (key.asymmetricKeyType === 'rsa') {
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw badKey('RSA keys must be at least 2048 bits');
    return 'sha256';
  }
  throw badKey(`key type ${key.asymmetricKeyType ?? '?'} is not RSA or ECDSA`);
}

export function parseVerifierKey(text: string): NoteVerifier {
  if (typeof text !== 'string') throw badKey(`a verifier key is text, not ${kindOf(text)}`);
  const parts = chop(text, 2);
  if (!parts) throw badKey('expected name+keyid+key');
  const [name, hashText, b64] = parts as [string, string, string];
  checkKeyName(name);
  if (!/^[0-9a-f]{8}$/.test(hashText)) throw badKey('key id is not 8 lowercase hex digits');
  const raw = strictBase64(b64);
  if (!raw || raw.length === 0) throw badKey('key is not valid base64');
  const h = parseInt(hashText, 16);
  const expected = raw[0] === ECDSA_TYPE ? ecdsaKeyHash(raw.subarray(1)) : keyHash(name, raw);
  if (expected !== h) throw badKey('key id does not match the name and key');
  if (raw[0] === ECDSA_TYPE) return ecdsaVerifier(name, h, text, raw.subarray(1));
  if (raw[0] === COSIGNATURE_TYPE) {
    if (raw.length !== 33) throw badKey('a cosignature/v1 key is a 32-byte Ed25519 key');
    const pub = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw.subarray(1)]), format: 'der', type: 'spki' });
    return { name, keyHash: h, type: 'cosignature/v1', key: text, verify: (m, s) => verifyCosignature(pub, m, s) };
  }
  if (raw[0] === 0x01) {
    if (raw.length !== 33) throw badKey('an Ed25519 key is 32 bytes');
    const pub = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw.subarray(1)]), format: 'der', type: 'spki' });
    return { name, keyHash: h, type: 'ed25519', key: text, verify: (m, s) => s.length === 64 && cryptoVerify(null, m, pub, s) };
  }
  if (raw.length > SPKI_TYPE.length && raw.subarray(0, SPKI_TYPE.length).equals(SPKI_TYPE)) {
    let pub: KeyObject;
    try {
      pub = createPublicKey({ key: raw.subarray(SPKI_TYPE.length), format: 'der', type: 'spki' });
    } catch {
      throw badKey('the SubjectPublicKeyInfo does not parse');
    }
    const digest = spkiDigest(pub);
    return {
      name, keyHash: h, type: 'keyrite.spki/v1', key: text,
      verify: (m, s) => {
        try {
          return cryptoVerify(digest, m, pub, s);
        } catch {
          return false;
        }
      },
    };
  }
  throw badKey(`unknown signature type 0x${(raw[0] ?? 0).toString(16).padStart(2, '0')}`);
}

/** What a value that should have been text is, for an error message (a decoded file may hold anything). */
function kindOf(v: unknown): string {
  return v === null || v === undefined ? String(v) : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** 0x02: the key id is the SPKI DER's SHA-256, truncated (signed-note, "Signature types"). */
export function ecdsaKeyHash(spki: Uint8Array): number {
  return createHash('sha256').update(spki).digest().readUInt32BE(0);
}

function ecdsaVerifier(name: string, h: number, text: string, spki: Uint8Array): NoteVerifier {
  let pub: KeyObject;
  try {
    pub = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    throw badKey('the SubjectPublicKeyInfo does not parse');
  }
  if (pub.asymmetricKeyType !== 'ec' || !ecHashFor(pub)) throw badKey('a type 0x02 key is ECDSA on P-256, P-384 or P-521');
  return {
    name, keyHash: h, type: 'ecdsa', key: text,
    verify: (m, s) => {
      try {
        return cryptoVerify('sha256', m, { key: pub, dsaEncoding: 'der' }, s);
      } catch {
        return false;
      }
    },
  };
}

/** The message a tlog-cosignature/v1 signature covers. */
export function cosignedMessage(timestamp: bigint, text: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${COSIGNATURE_HEADER}time ${timestamp.toString()}\n`, 'utf8'), text]);
}

function verifyCosignature(pub: KeyObject, text: Uint8Array, sig: Uint8Array): boolean {
  if (sig.length !== 72) return false;
  const ts = Buffer.from(sig).readBigUInt64BE(0);
  if (ts > MAX_TIMESTAMP) return false;
  return cryptoVerify(null, cosignedMessage(ts, text), pub, sig.subarray(8));
}

/** Verifier key text: a 32-byte Ed25519 key (0x01, 0x04) or an SPKI DER (0x02 ECDSA, 0xff RSA/legacy). */
export function verifierKeyFor(name: string, type: NoteKeyType, publicKey: Uint8Array): string {
  checkKeyName(name);
  if (type === 'ecdsa') {
    const body = Buffer.concat([Buffer.of(ECDSA_TYPE), publicKey]);
    return `${name}+${hashHex(ecdsaKeyHash(publicKey))}+${body.toString('base64')}`;
  }
  const head = type === 'ed25519' ? ED25519_TYPE : type === 'cosignature/v1' ? Uint8Array.of(COSIGNATURE_TYPE) : SPKI_TYPE;
  const body = Buffer.concat([head, publicKey]);
  return `${name}+${hashHex(keyHash(name, body))}+${body.toString('base64')}`;
}

/**
 * A tlog-cosignature/v1 signer from an Ed25519 signer over raw messages: each signature carries
 * the time it was made. `now` is injectable for tests.
 */
export function cosignatureSigner(name: string, publicKey: Uint8Array, signRaw: (m: Uint8Array) => Promise<Uint8Array>, now: () => Date = () => new Date()): NoteSigner {
  const verifierKey = verifierKeyFor(name, 'cosignature/v1', publicKey);
  return {
    name, keyHash: parseVerifierKey(verifierKey).keyHash, verifierKey,
    async sign(text) {
      const ts = BigInt(Math.floor(now().getTime() / 1000));
      const head = Buffer.alloc(8);
      head.writeBigUInt64BE(ts);
      return new Uint8Array(Buffer.concat([head, await signRaw(cosignedMessage(ts, text))]));
    },
  };
}

/** Raw 32-byte Ed25519 public key from its SPKI DER. */
export function ed25519FromSpki(spki: Uint8Array): Uint8Array {
  const b = Buffer.from(spki);
  if (b.length !== 44 || !b.subarray(0, 12).equals(ED25519_SPKI_PREFIX)) throw badKey('not an Ed25519 SubjectPublicKeyInfo');
  return new Uint8Array(b.subarray(12));
}

/**
 * Note-signer for a signer key text (PRIVATE+KEY+name+id+base64(0x01||seed)), e.g. a witness's key
 * file. `cosignature/v1`: the same key cosigns as tlog-cosignature/v1 (0x04, its own key id).
 */
export function keyFileSigner(signerKey: string, type: 'ed25519' | 'cosignature/v1' = 'ed25519'): NoteSigner {
  if (typeof signerKey !== 'string') throw badKey(`a signer key is text, not ${kindOf(signerKey)}`);
  const parts = chop(signerKey.trim(), 4);
  if (!parts || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY') throw badKey('a signer key is PRIVATE+KEY+name+keyid+key');
  const [, , name, hashText, b64] = parts as [string, string, string, string, string];
  checkKeyName(name);
  const raw = strictBase64(b64);
  if (!raw || raw.length !== 33 || raw[0] !== 0x01) throw badKey('only Ed25519 signer keys (type 0x01, 32-byte seed) are supported');
  const priv = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, raw.subarray(1)]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(priv).export({ format: 'der', type: 'spki' });
  const verifierKey = verifierKeyFor(name, 'ed25519', ed25519FromSpki(spki));
  const h = parseVerifierKey(verifierKey).keyHash;
  if (hashHex(h) !== hashText) throw badKey('key id does not match the name and key');
  const signRaw = async (m: Uint8Array) => new Uint8Array(cryptoSign(null, m, priv));
  if (type === 'cosignature/v1') return cosignatureSigner(name, ed25519FromSpki(spki), signRaw);
  return { name, keyHash: h, verifierKey, sign: signRaw };
}

/** A witness key file: Go's Ed25519 signer key, and the tlog-cosignature/v1 (0x04) verifier key its cosignatures check with. */
export function generateWitnessKey(name: string): { signerKey: string; verifierKey: string } {
  const { signerKey } = generateNoteKey(name);
  return { signerKey, verifierKey: keyFileSigner(signerKey, 'cosignature/v1').verifierKey as string };
}

/** A fresh Ed25519 note key (witness key file, or a per-ceremony transcript key off the token). */
export function generateNoteKey(name: string): { signerKey: string; verifierKey: string } {
  checkKeyName(name);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(ED25519_PKCS8_PREFIX.length);
  const verifierKey = verifierKeyFor(name, 'ed25519', ed25519FromSpki(publicKey.export({ format: 'der', type: 'spki' })));
  const hash = verifierKey.split('+')[1] as string;
  return { signerKey: `PRIVATE+KEY+${name}+${hash}+${Buffer.concat([ED25519_TYPE, seed]).toString('base64')}`, verifierKey };
}
