/**
 * Every note Keyrite signs, it opens, and parses as Go's golang.org/x/mod/sumdb/note does: the text
 * runs up to the last blank line, so a note whose text is a single empty line is a note (text "\n")
 * and opens with its signer's key; the signature lines after it are read as written.
 */
import { describe, expect, it } from 'vitest';
import { generateNoteKey, keyFileSigner, openNote, parseNote, parseVerifierKey, signNote } from '../../../electron/core/transcript/note';

const key = generateNoteKey('witness.empty');

describe('a note whose text is one empty line', () => {
  it('is signed and opened, with its text "\\n" and its one signature', async () => {
    const note = await signNote('\n', [keyFileSigner(key.signerKey)]);
    expect(note.startsWith('\n\n\u2014 witness.empty ')).toBe(true);
    const parsed = parseNote(note);
    expect(parsed.text).toBe('\n');
    expect(parsed.signatures.map((s) => s.name)).toEqual(['witness.empty']);
    const opened = openNote(note, [parseVerifierKey(key.verifierKey)]);
    expect(opened).toMatchObject({ text: '\n', unverified: [] });
    expect(opened.verified.map((v) => v.name)).toEqual(['witness.empty']);
  });

  it('splits at the last blank line: blank lines inside the text stay in the text', async () => {
    const text = 'a\n\nb\n';
    const note = await signNote(text, [keyFileSigner(key.signerKey)]);
    expect(openNote(note, [parseVerifierKey(key.verifierKey)]).text).toBe(text);
  });
});
