/**
 * Keys on a token sign checkpoint notes with the signature type their verifier key names: the
 * transcript key (Ed25519, 0x01), a root ECDSA key (0x02, ECDSA over SHA-256 whatever the curve, or
 * the old 0xff type with the curve's own hash when the recorded key says so), a root RSA key (0xff,
 * RSASSA-PKCS1-v1_5 SHA-256), a witness's Ed25519 card key cosigning (0x04, timestamped). A key no
 * type accepts is refused before anything is signed. The token here is a software one (node:crypto)
 * that logs the scheme it is asked to sign with; every note is opened with the signer's own verifier key.
 */
import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultNoteType, rootNoteName, tokenCosigner, tokenNoteSigner } from '../../../electron/core/transcript/note-token';
import { openNote, parseVerifierKey, signNote } from '../../../electron/core/transcript/note';
import type { KeyAlgorithm, KeyRef, SessionId, SignatureScheme, TokenApi } from '../../../electron/core/token/types';

const TEXT = 'keyrite.transcript/root-2026\n3\nq83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJ=\n';
const SESSION = 'session-1' as SessionId;
const REF: KeyRef = { id: '0102', label: 'root key' };

/** A token holding one key pair; logs every scheme it signs with, and what key it was asked for. */
function softToken(privateKey: KeyObject) {
  const log: { scheme: SignatureScheme; session: SessionId; key: KeyRef }[] = [];
  const spki = new Uint8Array(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }));
  const token = {
    exportPublicKey: async (session: SessionId, key: KeyRef) => {
      expect(session).toBe(SESSION);
      expect(key).toEqual(REF);
      return spki;
    },
    sign: async (session: SessionId, key: KeyRef, scheme: SignatureScheme, data: Uint8Array) => {
      log.push({ scheme, session, key });
      if (scheme === 'ed25519') return new Uint8Array(sign(null, data, privateKey));
      const [, family, digest] = /^(ecdsa|rsa-pkcs1)-(sha\d+)$/.exec(scheme) ?? [];
      if (!family) throw new Error(`scheme ${scheme} is not one a note signs with`);
      return new Uint8Array(sign(digest as string, data, family === 'ecdsa' ? { key: privateKey, dsaEncoding: 'der' } : privateKey));
    },
  } as unknown as TokenApi;
  return { token, log };
}

const pairs = {
  ed25519: () => generateKeyPairSync('ed25519').privateKey,
  'ec-p256': () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey,
  'ec-p384': () => generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey,
  'ec-p521': () => generateKeyPairSync('ec', { namedCurve: 'secp521r1' }).privateKey,
  'rsa-3072': () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
} satisfies Partial<Record<KeyAlgorithm, () => KeyObject>>;

describe('a token key signing notes', () => {
  const cases: { algorithm: keyof typeof pairs; type?: 'ecdsa' | 'keyrite.spki/v1'; noteType: string; scheme: SignatureScheme }[] = [
    { algorithm: 'ed25519', noteType: 'ed25519', scheme: 'ed25519' },
    { algorithm: 'ec-p256', noteType: 'ecdsa', scheme: 'ecdsa-sha256' },
    { algorithm: 'ec-p384', noteType: 'ecdsa', scheme: 'ecdsa-sha256' },
    { algorithm: 'ec-p521', noteType: 'ecdsa', scheme: 'ecdsa-sha256' },
    { algorithm: 'ec-p256', type: 'keyrite.spki/v1', noteType: 'keyrite.spki/v1', scheme: 'ecdsa-sha256' },
    { algorithm: 'ec-p384', type: 'keyrite.spki/v1', noteType: 'keyrite.spki/v1', scheme: 'ecdsa-sha384' },
    { algorithm: 'ec-p521', type: 'keyrite.spki/v1', noteType: 'keyrite.spki/v1', scheme: 'ecdsa-sha512' },
    { algorithm: 'rsa-3072', noteType: 'keyrite.spki/v1', scheme: 'rsa-pkcs1-sha256' },
    { algorithm: 'rsa-3072', type: 'ecdsa', noteType: 'keyrite.spki/v1', scheme: 'rsa-pkcs1-sha256' },
  ];
  for (const c of cases) {
    it(`${c.algorithm}${c.type ? ` recorded as ${c.type}` : ''}: a ${c.noteType} key signing with ${c.scheme}, and the note opens with its verifier key`, async () => {
      const { token, log } = softToken(pairs[c.algorithm]());
      const signer = await tokenNoteSigner(token, SESSION, REF, c.algorithm, 'keyrite.root/root_key', c.type);
      const verifier = parseVerifierKey(signer.verifierKey);
      expect(verifier.type).toBe(c.noteType);
      expect(signer.name).toBe('keyrite.root/root_key');
      expect(verifier.name).toBe('keyrite.root/root_key');
      expect(signer.keyHash).toBe(verifier.keyHash);
      const note = await signNote(TEXT, [signer]);
      expect(log).toEqual([{ scheme: c.scheme, session: SESSION, key: REF }]);
      const opened = openNote(note, [verifier]);
      expect(opened.text).toBe(TEXT);
      expect(opened.verified.map((v) => v.verifier.key)).toEqual([signer.verifierKey]);
    });
  }

  it('the default type is 0x01 for Ed25519, 0x02 for ECDSA and 0xff for RSA', () => {
    expect(defaultNoteType('ed25519')).toBe('ed25519');
    for (const a of ['ec-p256', 'ec-p384', 'ec-p521'] as const) expect(defaultNoteType(a)).toBe('ecdsa');
    for (const a of ['rsa-3072', 'rsa-4096'] as const) expect(defaultNoteType(a)).toBe('keyrite.spki/v1');
  });

  it('an Ed25519 key recorded as cosignature/v1 cosigns with a timestamp (0x04)', async () => {
    const { token, log } = softToken(pairs.ed25519());
    for (const signer of [
      await tokenNoteSigner(token, SESSION, REF, 'ed25519', 'witness.example/wendy', 'cosignature/v1'),
      await tokenCosigner(token, SESSION, REF, 'witness.example/wendy'),
    ]) {
      const verifier = parseVerifierKey(signer.verifierKey);
      expect(verifier.type).toBe('cosignature/v1');
      expect(signer.keyHash).toBe(verifier.keyHash);
      const note = await signNote(TEXT, [signer]);
      const sig = Buffer.from(note.trimEnd().split(' ').pop() as string, 'base64');
      // key id (4) || u64 timestamp (8) || Ed25519 signature (64)
      expect(sig).toHaveLength(76);
      const ts = Number(sig.readBigUInt64BE(4));
      expect(Math.abs(ts - Date.now() / 1000)).toBeLessThan(600);
      expect(openNote(note, [verifier]).verified).toHaveLength(1);
    }
    expect(log.map((l) => l.scheme)).toEqual(['ed25519', 'ed25519']);
  });

  it('a key no note type accepts is refused before anything is signed, naming the key', async () => {
    const weak = [
      { algorithm: 'rsa-3072' as const, key: generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey, why: /at least 2048 bits/ },
      { algorithm: 'ec-p256' as const, key: generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey, why: /a type 0x02 key is ECDSA on P-256, P-384 or P-521/ },
      { algorithm: 'ec-p256' as const, type: 'keyrite.spki/v1' as const, key: generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey, why: /secp256k1 is not P-256, P-384 or P-521/ },
      { algorithm: 'ed25519' as const, key: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey, why: /not an Ed25519 SubjectPublicKeyInfo/ },
    ];
    for (const w of weak) {
      const { token, log } = softToken(w.key);
      const err = await tokenNoteSigner(token, SESSION, REF, w.algorithm, 'keyrite.root/x', 'type' in w ? w.type : undefined).then(() => undefined, (e: unknown) => e);
      expect(err).toMatchObject({ code: 'NOTE_TOKEN_KEY_UNSUITABLE' });
      expect(String((err as Error).message)).toMatch(w.why);
      expect(log).toEqual([]);
    }
    const { token } = softToken(weak[0]!.key);
    await expect(tokenNoteSigner(token, SESSION, REF, 'rsa-3072', 'keyrite.root/x')).rejects.toMatchObject({
      code: 'NOTE_TOKEN_KEY_UNSUITABLE', message: expect.stringContaining('Key "root key" (rsa-3072) cannot sign transcript checkpoints'),
      action: expect.stringContaining('RSA (2048 bits or more)'),
    });
  });

  it('a root key\'s note name is its label with anything but letters, digits, ". _ -" replaced', () => {
    expect(rootNoteName('Root CA 2026/a+b')).toBe('keyrite.root/Root_CA_2026_a_b');
    expect(rootNoteName('root-2026_v1.2')).toBe('keyrite.root/root-2026_v1.2');
  });
});
