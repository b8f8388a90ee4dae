/**
 * The signature types checked against the C2SP texts (signed-note, tlog-cosignature), with the
 * checks written here from the specs, not from Keyrite's code: the spec's own Ed25519 example and
 * Go's vectors open; a 0x02 ECDSA note and a 0x04 cosignature made by Keyrite pass the spec's
 * rules; ones made here by the spec's rules open in Keyrite; transcripts of the old 0xff type still do.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cosignatureSigner, ed25519FromSpki, generateWitnessKey, keyFileSigner, openNote, parseVerifierKey, signNote, verifierKeyFor } from '../../../electron/core/transcript/note';

const vectors = JSON.parse(readFileSync('/work/shared/vectors/signed-note.json', 'utf8')) as {
  note_text: string; signed_note_by_PeterNeumann: string; keys: Record<string, { verifier_key: string; signer_key?: string; signature_line: string }>;
};
const TEXT = 'example.com/log\n42\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';

/** signed-note: "— <name> base64(key id || signature)" lines after a blank line. */
function sigLines(note: string): { name: string; id: string; sig: Buffer }[] {
  return note.slice(note.lastIndexOf('\n\n') + 2).split('\n').filter(Boolean).map((l) => {
    const [, name, b64] = /^\u2014 (\S+) (\S+)$/u.exec(l)!;
    const raw = Buffer.from(b64!, 'base64');
    return { name: name!, id: raw.subarray(0, 4).toString('hex'), sig: raw.subarray(4) };
  });
}
const sha256 = (...parts: (string | Buffer | Uint8Array)[]) => { const h = createHash('sha256'); for (const p of parts) h.update(p); return h.digest(); };
const vkeyParts = (vkey: string) => { const [name, id, ...rest] = vkey.split('+'); return { name: name!, id: id!, body: Buffer.from(rest.join('+'), 'base64') }; };
const ed25519Spki = (raw: Buffer) => createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]), format: 'der', type: 'spki' });

describe('C2SP signed-note examples', () => {
  it('the spec example (example.com/foo) and Go\'s vectors open; Keyrite signs Go\'s note byte for byte', async () => {
    const vkey = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
    const note = 'This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';
    expect(openNote(note, [parseVerifierKey(vkey)]).verified.map((v) => v.name)).toEqual(['example.com/foo']);
    const peter = vectors.keys.PeterNeumann!;
    expect(await signNote(vectors.note_text, [keyFileSigner(peter.signer_key!)])).toBe(vectors.signed_note_by_PeterNeumann);
    const both = `${vectors.signed_note_by_PeterNeumann}${vectors.keys.EnochRoot!.signature_line}\n`;
    const opened = openNote(both, [parseVerifierKey(peter.verifier_key)]);
    expect(opened.unverified.map((u) => u.name)).toEqual(['EnochRoot']);
  });
});

describe('type 0x02: ECDSA (key id = SHA-256(SPKI)[:4], DER signature over SHA-256 of the text)', () => {
  for (const curve of ['P-256', 'P-384', 'P-521']) {
    it(`a note Keyrite signs with a ${curve} key passes the spec's rules, and one made by those rules opens in Keyrite`, async () => {
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: curve });
      const spki = publicKey.export({ type: 'spki', format: 'der' });
      const vkey = verifierKeyFor('keyrite.root/example', 'ecdsa', new Uint8Array(spki));
      // The verifier key, by the spec: name+hex(SHA-256(SPKI)[:4])+base64(0x02 || SPKI).
      const k = vkeyParts(vkey);
      expect(k.body[0]).toBe(0x02);
      expect(k.body.subarray(1).equals(spki)).toBe(true);
      expect(k.id).toBe(sha256(spki).subarray(0, 4).toString('hex'));
      // Keyrite's signer (the token path signs with ecdsa-sha256; a software key stands in here).
      const note = await signNote(TEXT, [{ name: k.name, keyHash: parseInt(k.id, 16), verifierKey: vkey, sign: async (m) => new Uint8Array(sign('sha256', m, privateKey)) }]);
      const [line] = sigLines(note);
      expect(line!.id).toBe(k.id);
      expect(verify('sha256', Buffer.from(TEXT), createPublicKey({ key: k.body.subarray(1), format: 'der', type: 'spki' }), line!.sig)).toBe(true);
      // Made by the spec's rules here, opened by Keyrite; a changed text is refused.
      const mine = `${TEXT}\n\u2014 ${k.name} ${Buffer.concat([sha256(spki).subarray(0, 4), sign('sha256', Buffer.from(TEXT), privateKey)]).toString('base64')}\n`;
      expect(openNote(mine, [parseVerifierKey(vkey)]).verified).toHaveLength(1);
      expect(() => openNote(mine.replace('42', '43'), [parseVerifierKey(vkey)])).toThrow(expect.objectContaining({ code: 'NOTE_SIGNATURE_INVALID' }));
    });
  }

  it('refuses a 0x02 key whose id is computed the 0x01 way, and a 0x02 key that is not ECDSA', () => {
    const spki = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' });
    const body = Buffer.concat([Buffer.of(2), spki]);
    const wrongId = sha256('n', '\n', body).subarray(0, 4).toString('hex');
    expect(() => parseVerifierKey(`n+${wrongId}+${body.toString('base64')}`)).toThrow(/key id/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' });
    const rb = Buffer.concat([Buffer.of(2), rsa]);
    expect(() => parseVerifierKey(`n+${sha256(rsa).subarray(0, 4).toString('hex')}+${rb.toString('base64')}`)).toThrow(/ECDSA/);
  });
});

describe('type 0x04: tlog-cosignature/v1', () => {
  function spec(priv: KeyObject, pub32: Buffer, name: string, ts: bigint, text: string) {
    const id = sha256(name, '\n', Buffer.of(4), pub32).subarray(0, 4);
    const t = Buffer.alloc(8);
    t.writeBigUInt64BE(ts);
    const sig = sign(null, Buffer.from(`cosignature/v1\ntime ${ts}\n${text}`), priv);
    return { vkey: `${name}+${id.toString('hex')}+${Buffer.concat([Buffer.of(4), pub32]).toString('base64')}`, line: `\u2014 ${name} ${Buffer.concat([id, t, sig]).toString('base64')}\n` };
  }

  it('a cosignature made here by the spec opens in Keyrite; a changed timestamp or text is refused', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const pub32 = Buffer.from(ed25519FromSpki(publicKey.export({ type: 'spki', format: 'der' })));
    const { vkey, line } = spec(privateKey, pub32, 'witness.example.com/w1', 1679315147n, TEXT);
    const v = parseVerifierKey(vkey);
    expect(v.type).toBe('cosignature/v1');
    expect(openNote(`${TEXT}\n${line}`, [v]).verified).toHaveLength(1);
    const raw = Buffer.from(line.split(' ')[2]!.trim(), 'base64');
    raw[11] = (raw[11] ?? 0) ^ 1;
    expect(() => openNote(`${TEXT}\n\u2014 witness.example.com/w1 ${raw.toString('base64')}\n`, [v])).toThrow(expect.objectContaining({ code: 'NOTE_SIGNATURE_INVALID' }));
    expect(() => openNote(`${TEXT.replace('42', '43')}\n${line}`, [v])).toThrow(expect.objectContaining({ code: 'NOTE_SIGNATURE_INVALID' }));
  });

  it('Keyrite\'s witness cosignature passes the spec\'s rules: key id with 0x04, u64 timestamp, Ed25519 over the cosigned message', async () => {
    const { signerKey, verifierKey } = generateWitnessKey('witness/Wendy-Witness');
    const k = vkeyParts(verifierKey);
    expect(k.body[0]).toBe(0x04);
    expect(k.id).toBe(sha256(k.name, '\n', k.body).subarray(0, 4).toString('hex'));
    const at = new Date('2026-12-07T05:00:00Z');
    const seed = Buffer.from(signerKey.split('+').slice(4).join('+'), 'base64').subarray(1);
    const signer = cosignatureSigner(k.name, k.body.subarray(1), async (m) => new Uint8Array(sign(null, m, createPrivateFromSeed(seed))), () => at);
    const note = await signNote(TEXT, [signer]);
    const [line] = sigLines(note);
    expect(line!.id).toBe(k.id);
    expect(line!.sig.length).toBe(72);
    const ts = line!.sig.readBigUInt64BE(0);
    expect(ts).toBe(BigInt(at.getTime() / 1000));
    expect(verify(null, Buffer.from(`cosignature/v1\ntime ${ts}\n${TEXT}`), ed25519Spki(k.body.subarray(1)), line!.sig.subarray(8))).toBe(true);
    // The key file signs the same way when the script records the 0x04 key.
    const fromFile = await signNote(TEXT, [keyFileSigner(signerKey, 'cosignature/v1')]);
    expect(openNote(fromFile, [parseVerifierKey(verifierKey)]).verified).toHaveLength(1);
  });

  it('refuses a timestamp above 2^63 - 1', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const pub32 = Buffer.from(ed25519FromSpki(publicKey.export({ type: 'spki', format: 'der' })));
    const { vkey, line } = spec(privateKey, pub32, 'w', 1n << 63n, TEXT);
    expect(() => openNote(`${TEXT}\n${line}`, [parseVerifierKey(vkey)])).toThrow(expect.objectContaining({ code: 'NOTE_SIGNATURE_INVALID' }));
  });
});

describe('old transcripts: type 0xff keyrite.spki/v1 still verifies', () => {
  it('an ECDSA P-384 note of the old type (SHA-384, name-based key id) opens', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    const head = Buffer.concat([Buffer.of(0xff), Buffer.from('keyrite.spki/v1')]);
    const name = 'keyrite.key/root-2026/example-root-2026';
    const id = sha256(name, '\n', head, spki).subarray(0, 4);
    const vkey = `${name}+${id.toString('hex')}+${Buffer.concat([head, spki]).toString('base64')}`;
    const note = `${TEXT}\n\u2014 ${name} ${Buffer.concat([id, sign('sha384', Buffer.from(TEXT), privateKey)]).toString('base64')}\n`;
    expect(openNote(note, [parseVerifierKey(vkey)]).verified.map((v) => v.name)).toEqual([name]);
  });
});

function createPrivateFromSeed(seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
}
