/**
 * What a note's signature bytes can be, and what a signer key file is refused for first. A
 * tlog-cosignature/v1 signature is an 8-byte timestamp and a 64-byte Ed25519 signature: any other
 * length, including one too short to hold the timestamp, is a signature that does not verify
 * (NOTE_SIGNATURE_INVALID naming the signer), never an untyped RangeError from reading the
 * timestamp. A signer key file whose name is not allowed is refused for its name
 * (NOTE_KEY_NAME_INVALID) before its key is looked at.
 */
import { describe, expect, it } from 'vitest';
import { generateNoteKey, keyFileSigner, parseVerifierKey } from '../../../electron/core/transcript/note-keys';
import { openNote, signNote } from '../../../electron/core/transcript/note';

const TEXT = 'example.org/log\n7\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';

/** The note with its one signature's bytes (after the 4-byte key id) replaced. */
function withSignatureBytes(note: string, sig: Buffer): string {
  return note.replace(/^(\u2014 \S+ )(\S+)$/mu, (_m, head: string, b64: string) => head + Buffer.concat([Buffer.from(b64, 'base64').subarray(0, 4), sig]).toString('base64'));
}

describe('a tlog-cosignature/v1 signature of the wrong length', () => {
  it.each([1, 7, 8, 71, 73])('%i bytes: NOTE_SIGNATURE_INVALID naming the witness', async (n) => {
    const w = generateNoteKey('witness/wendy');
    const signer = keyFileSigner(w.signerKey, 'cosignature/v1');
    const note = await signNote(TEXT, [signer]);
    const verifier = parseVerifierKey(signer.verifierKey as string);
    expect(openNote(note, [verifier]).verified).toHaveLength(1);
    const good = Buffer.from(/^\u2014 \S+ (\S+)$/mu.exec(note)![1]!, 'base64').subarray(4);
    expect(good).toHaveLength(72);
    const sig = Buffer.alloc(n);
    good.copy(sig, 0, 0, Math.min(n, 72));
    const err = (() => { try { openNote(withSignatureBytes(note, sig), [verifier]); } catch (e) { return e; } return null; })();
    expect(err).toMatchObject({ code: 'NOTE_SIGNATURE_INVALID', details: { name: 'witness/wendy', keyHash: (signer.verifierKey as string).split('+')[1] } });
  });
});

describe('a signer key file', () => {
  it('whose name is not allowed is refused for the name, even when its key is wrong too', () => {
    const err = (() => { try { keyFileSigner('PRIVATE+KEY+bad\u2014name+00000000+AAAA'); } catch (e) { return e; } return null; })();
    expect(err).toMatchObject({ code: 'NOTE_KEY_NAME_INVALID' });
    const keyOnly = (() => { try { keyFileSigner('PRIVATE+KEY+good/name+00000000+AAAA'); } catch (e) { return e; } return null; })();
    expect(keyOnly).toMatchObject({ code: 'NOTE_KEY_INVALID' });
  });
});
