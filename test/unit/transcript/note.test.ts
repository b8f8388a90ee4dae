import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  cosignNote, generateNoteKey, keyFileSigner, openNote, parseNote, parseVerifierKey, signNote, verifierKeyFor,
} from '../../../electron/core/transcript/note';
import { generateKeyPairSync, sign } from 'node:crypto';

interface Vectors {
  note_text: string;
  keys: Record<string, { verifier_key: string; signer_key?: string; signature_line: string }>;
  signed_note_by_PeterNeumann: string;
  bad_verifier_keys: string[];
}
const v = JSON.parse(readFileSync('/work/shared/vectors/signed-note.json', 'utf8')) as Vectors;
const peter = v.keys.PeterNeumann as { verifier_key: string; signer_key: string; signature_line: string };
const enoch = v.keys.EnochRoot as { verifier_key: string; signature_line: string };
const both = `${v.note_text}\n${peter.signature_line}\n${enoch.signature_line}\n`;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('C2SP signed-note (shared vectors)', () => {
  it('signing the text with PeterNeumann\'s signer key gives exactly the vector note', async () => {
    expect(await signNote(v.note_text, [keyFileSigner(peter.signer_key)])).toBe(v.signed_note_by_PeterNeumann);
  });

  it('with both signatures and only PeterNeumann known: one verified, EnochRoot unverified', () => {
    const opened = openNote(both, [parseVerifierKey(peter.verifier_key)]);
    expect(opened.text).toBe(v.note_text);
    expect(opened.verified.map((s) => s.name)).toEqual(['PeterNeumann']);
    expect(opened.unverified.map((s) => s.name)).toEqual(['EnochRoot']);
    expect(openNote(both, [parseVerifierKey(enoch.verifier_key)]).verified.map((s) => s.name)).toEqual(['EnochRoot']);
  });

  it('with no known verifier: error', () => {
    expect(codeOf(() => openNote(both, []))).toBe('NOTE_UNVERIFIED');
  });

  it('any change to the text is an error naming the key', () => {
    const known = [parseVerifierKey(peter.verifier_key), parseVerifierKey(enoch.verifier_key)];
    for (let i = 0; i < v.note_text.length - 1; i++) {
      const ch = v.note_text[i] === 'x' ? 'y' : 'x';
      const changed = both.slice(0, i) + ch + both.slice(i + 1);
      let err: { code?: string; message?: string } | undefined;
      try {
        openNote(changed, known);
      } catch (e) {
        err = e as { code?: string; message?: string };
      }
      expect(err?.code).toBe('NOTE_SIGNATURE_INVALID');
      expect(err?.message).toContain('PeterNeumann');
    }
  });

  it('"ABCD" inserted into a known key\'s signature base64: error naming that key', () => {
    const line = peter.signature_line;
    const at = line.lastIndexOf(' ') + 10;
    const bad = `${v.note_text}\n${line.slice(0, at)}ABCD${line.slice(at)}\n`;
    let err: { code?: string; message?: string } | undefined;
    try {
      openNote(bad, [parseVerifierKey(peter.verifier_key)]);
    } catch (e) {
      err = e as { code?: string; message?: string };
    }
    expect(err?.code).toBe('NOTE_SIGNATURE_INVALID');
    expect(err?.message).toContain('PeterNeumann');
  });

  it('refuses the vector\'s bad verifier keys, and every single-byte mangling or truncation of a good one', () => {
    for (const k of v.bad_verifier_keys) expect(codeOf(() => parseVerifierKey(k))).toBe('NOTE_KEY_INVALID');
    const good = peter.verifier_key;
    expect(parseVerifierKey(good).name).toBe('PeterNeumann');
    for (let i = 0; i < good.length; i++) {
      for (const c of ['A', 'z', '+', '0']) {
        if (good[i] === c) continue;
        expect(codeOf(() => parseVerifierKey(good.slice(0, i) + c + good.slice(i + 1)))).toMatch(/^NOTE_KEY_/);
      }
      if (i > 0) expect(codeOf(() => parseVerifierKey(good.slice(0, i)))).toMatch(/^NOTE_KEY_/);
    }
    const unknownAlg = Buffer.from(good.split('+')[2] as string, 'base64');
    unknownAlg[0] = 0x07;
    expect(codeOf(() => parseVerifierKey(`PeterNeumann+c74f20a3+${unknownAlg.toString('base64')}`))).toBe('NOTE_KEY_INVALID');
  });
});

describe('Keyrite signature type keyrite.spki/v1 (RSA and ECDSA)', () => {
  const cases = [
    { type: 'ec' as const, opts: { namedCurve: 'P-256' }, hash: 'sha256' },
    { type: 'ec' as const, opts: { namedCurve: 'P-384' }, hash: 'sha384' },
    { type: 'ec' as const, opts: { namedCurve: 'P-521' }, hash: 'sha512' },
    { type: 'rsa' as const, opts: { modulusLength: 2048 }, hash: 'sha256' },
  ];
  for (const c of cases) {
    it(`${c.type} ${JSON.stringify(c.opts)}: signs, opens, and rejects a changed text`, async () => {
      const { privateKey, publicKey } = generateKeyPairSync(c.type as 'ec', c.opts as { namedCurve: string });
      const spki = publicKey.export({ format: 'der', type: 'spki' });
      const vk = verifierKeyFor('keyrite.root/test', 'keyrite.spki/v1', spki);
      const verifier = parseVerifierKey(vk);
      const signer = { name: verifier.name, keyHash: verifier.keyHash, verifierKey: vk, sign: async (m: Uint8Array) => new Uint8Array(sign(c.hash, m, privateKey)) };
      const note = await signNote('example.org/log\n3\nAAAA\n', [signer]);
      expect(openNote(note, [verifier]).verified).toHaveLength(1);
      expect(codeOf(() => openNote(note.replace('\n3\n', '\n4\n'), [verifier]))).toBe('NOTE_SIGNATURE_INVALID');
    });
  }
});

describe('cosigning', () => {
  it('adds a witness signature without touching existing ones, once', async () => {
    const t = generateNoteKey('keyrite.transcript/c1');
    const w = generateNoteKey('witness.alice');
    const note = await signNote('hello\n', [keyFileSigner(t.signerKey)]);
    const cos = await cosignNote(note, [keyFileSigner(w.signerKey)]);
    expect(cos.startsWith(note)).toBe(true);
    expect(await cosignNote(cos, [keyFileSigner(w.signerKey)])).toBe(cos);
    const opened = openNote(cos, [parseVerifierKey(t.verifierKey), parseVerifierKey(w.verifierKey)]);
    expect(opened.verified.map((s) => s.name)).toEqual(['keyrite.transcript/c1', 'witness.alice']);
    expect(parseNote(cos).signatures).toHaveLength(2);
  });

  it('refuses notes that are not well formed', () => {
    for (const bad of ['no newline', 'text\n', 'text\n\n', 'text\n\nnot a sig\n', 'te\u0001xt\n\n\u2014 a AAAAAAA=\n']) {
      expect(codeOf(() => parseNote(bad))).toBe('NOTE_MALFORMED');
    }
  });
});
