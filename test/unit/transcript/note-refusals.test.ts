/**
 * Signed notes (checkpoints) as an auditor opens them and as Keyrite signs them: each malformed note
 * is refused saying what is wrong; a signature is held to the verifier with the same name AND key
 * id; a signer whose signature does not verify with its own public key stops the signing; a
 * cosigner already on the note is not added again, one with the same name but another key is.
 * Checkpoint bodies are refused line by line.
 */
import { describe, expect, it } from 'vitest';
import { parseCheckpoint } from '../../../electron/core/transcript/checkpoint';
import { cosignNote, generateNoteKey, keyFileSigner, openNote, parseNote, parseVerifierKey, signNote, type NoteSigner } from '../../../electron/core/transcript/note';
import { thrownKeyriteError as thrown } from '../../helpers/keyrite-error';

const alice = generateNoteKey('witness.alice');
const signed = (text = 'hello\n') => signNote(text, [keyFileSigner(alice.signerKey)]);

describe('a malformed note', () => {
  it('is refused saying what is wrong, with what to do', async () => {
    const line = (await signed()).split('\n\n')[1]!;
    const cases: [string | Uint8Array, string][] = [
      ['no newline', 'the text does not end with a newline'],
      ['te\u0001xt\n\n' + line, 'it contains control characters'],
      ['text\n', 'there is no blank line before the signatures'],
      ['text\n\n', 'there are no signatures'],
      ['text\n\nnot a sig\n', '"not a sig" is not a signature line'],
      ['text\n\nx\u2014 a AAAAAAA=\n', '"x\u2014 a AAAAAAA=" is not a signature line'],
      ['text\n\n\u2014 a AAAAAAA= x\n', '"\u2014 a AAAAAAA= x" is not a signature line'],
      ['text\n\n\u2014 a+b AAAAAAA=\n', '"\u2014 a+b AAAAAAA=" is not a signature line'],
      ['text\n\n\u2014 a AAAAAA==\n', 'the signature of a is not valid base64'],
      ['text\n\n\u2014 a AAAAAAA!\n', 'the signature of a is not valid base64'],
      [new Uint8Array([0x68, 0xff, 0x0a, 0x0a]), 'it is not valid UTF-8'],
      [`text\n\n${'\u2014 a AAAAAAA=\n'.repeat(101)}`, 'it has more than 100 signatures'],
    ];
    for (const [note, what] of cases) {
      const err = thrown(() => parseNote(note));
      expect(err.code, what).toBe('NOTE_MALFORMED');
      expect(err.message).toBe(`The signed note is malformed: ${what}.`);
      expect(err.action).toBe('Use the note exactly as Keyrite wrote it; it may have been edited or damaged.');
    }
    expect(parseNote(`text\n\n${'\u2014 a AAAAAAA=\n'.repeat(100)}`).signatures).toHaveLength(100);
    expect(parseNote('text\n\n\u2014 a AAAAAAA=\n').signatures[0]).toMatchObject({ name: 'a', keyHash: 0, sig: new Uint8Array([0]) });
    expect(parseNote(new TextEncoder().encode(await signed())).text).toBe('hello\n');
  });
});

describe('opening a note', () => {
  it('holds a signature to the verifier with the same name and key id, naming a bad one', async () => {
    const note = await signed('caf\u00e9\n');
    const other = generateNoteKey('witness.bob');
    // Same key id, another name; same name, another key: neither is alice's verifier.
    const sameHash = parseVerifierKey(other.verifierKey);
    const renamed = { ...sameHash, name: 'witness.alice', keyHash: sameHash.keyHash };
    const rehashed = { ...parseVerifierKey(alice.verifierKey), name: 'witness.bob' };
    expect(openNote(note, [parseVerifierKey(alice.verifierKey)]).verified.map((v) => v.name)).toEqual(['witness.alice']);
    for (const vs of [[renamed], [rehashed]]) {
      const err = thrown(() => openNote(note, vs));
      expect(err.code).toBe('NOTE_UNVERIFIED');
      expect(err.message).toBe('No signature on the note is from a known key.');
      expect(err.action).toMatch(/--trusted-key/);
      expect(err.details).toEqual({ signers: [`witness.alice+${parseVerifierKey(alice.verifierKey).keyHash.toString(16).padStart(8, '0')}`] });
    }
    const forged = note.replace('caf\u00e9', 'cafe\u0301');
    const bad = thrown(() => openNote(forged, [parseVerifierKey(alice.verifierKey)]));
    expect(bad.code).toBe('NOTE_SIGNATURE_INVALID');
    expect(bad.action).toBe('Treat the note as forged. Compare it with the copy kept by the witnesses.');
    expect(bad.details).toEqual({ name: 'witness.alice', keyHash: parseVerifierKey(alice.verifierKey).keyHash.toString(16).padStart(8, '0') });
  });

  it('lists a signer twice on the note once', async () => {
    const note = await signed();
    const [text, sig] = note.split('\n\n') as [string, string];
    const twice = `${text}\n\n${sig}${sig}`;
    expect(openNote(twice, [parseVerifierKey(alice.verifierKey)]).verified).toHaveLength(1);
  });
});

describe('signing', () => {
  it('refuses no signer, a text without its final newline, and a signer name a note line cannot carry', async () => {
    await expect(signNote('hello\n', [])).rejects.toMatchObject({ code: 'NOTE_MALFORMED', message: 'The signed note is malformed: at least one signer is needed.' });
    await expect(signNote('hello', [keyFileSigner(alice.signerKey)])).rejects.toMatchObject({ code: 'NOTE_MALFORMED', message: 'The signed note is malformed: the text does not end with a newline.' });
    for (const name of ['a b', 'a+b', 'a\u2014b', ' a', 'a ']) {
      const s: NoteSigner = { ...keyFileSigner(alice.signerKey), name };
      await expect(signNote('hello\n', [s]), name).rejects.toMatchObject({ code: 'NOTE_MALFORMED', message: `The signed note is malformed: signer name "${name}" is not allowed.` });
    }
  });

  it('stops when a signature does not verify with the signer\'s own public key, and checks it against that key only', async () => {
    const good = keyFileSigner(alice.signerKey);
    const broken: NoteSigner = { ...good, sign: async (m) => { const sig = await good.sign(m); sig[0] = (sig[0] ?? 0) ^ 1; return sig; } };
    await expect(signNote('hello\n', [broken])).rejects.toMatchObject({
      code: 'NOTE_SIGN_CHECK_FAILED', message: 'The signature just made by witness.alice does not verify with its own public key.',
      action: 'Stop: the signing key or token is not behaving. Check that the right key was selected.',
    });
    // Another signer's public key on the same note is not used to check this one.
    const bob = keyFileSigner(generateNoteKey('witness.bob').signerKey);
    const note = await signNote('caf\u00e9\n', [bob, good]);
    expect(openNote(note, [parseVerifierKey(alice.verifierKey)]).text).toBe('caf\u00e9\n');
    // Two keys under one name: each signature is checked with its own key, not the first of that name.
    const newAlice = keyFileSigner(generateNoteKey('witness.alice').signerKey);
    const both = await signNote('hello\n', [newAlice, good]);
    expect(openNote(both, [parseVerifierKey(alice.verifierKey), parseVerifierKey(newAlice.verifierKey!)]).verified).toHaveLength(2);
    // A signer without a public key is signed for without a check.
    const { verifierKey: _vk, ...bare } = good;
    expect(await signNote('hello\n', [bare as NoteSigner])).toBe(await signed());
  });

  it('cosigns once per key: the same name with another key is added', async () => {
    const note = await signed();
    const again = keyFileSigner(alice.signerKey);
    expect(await cosignNote(note, [again])).toBe(note);
    const newAlice = generateNoteKey('witness.alice');
    const cos = await cosignNote(note, [keyFileSigner(newAlice.signerKey)]);
    expect(parseNote(cos).signatures).toHaveLength(2);
    const stranger = generateNoteKey('witness.carol');
    const sameHash: NoteSigner = { ...keyFileSigner(stranger.signerKey), keyHash: keyFileSigner(alice.signerKey).keyHash };
    expect(parseNote(await cosignNote(note, [sameHash])).signatures.map((s) => s.name)).toEqual(['witness.alice', 'witness.carol']);
  });
});

describe('a checkpoint body', () => {
  it('is refused line by line, saying what is wrong', () => {
    const root = Buffer.alloc(32, 7).toString('base64');
    expect(parseCheckpoint(`o\n12\n${root}\next\n`)).toEqual({ origin: 'o', size: 12, root: new Uint8Array(32).fill(7), extensions: ['ext'] });
    const cases: [string, string][] = [
      [`o\n12\n${root}`, 'expected origin, size and root lines'],
      ['o\n12\n', 'expected origin, size and root lines'],
      [`\n12\n${root}\n`, 'the origin is empty'],
      [`o\n012\n${root}\n`, 'size "012" is not a decimal number'],
      [`o\n12a\n${root}\n`, 'size "12a" is not a decimal number'],
      [`o\nx12\n${root}\n`, 'size "x12" is not a decimal number'],
      [`o\n12\n${Buffer.alloc(31).toString('base64')}\n`, 'the root hash is not 32 bytes of base64'],
      ['o\n12\n!!\n', 'the root hash is not 32 bytes of base64'],
      [`o\n12\n${root}\n\n`, 'empty extension line'],
    ];
    for (const [text, what] of cases) {
      const err = thrown(() => parseCheckpoint(text));
      expect(err.code, what).toBe('CHECKPOINT_MALFORMED');
      expect(err.message).toBe(`The checkpoint is malformed: ${what}.`);
      expect(err.action).toBe('Use the checkpoint exactly as Keyrite wrote it.');
    }
  });
});
