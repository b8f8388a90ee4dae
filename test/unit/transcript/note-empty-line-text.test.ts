/**
 * A signed note whose text is a single empty line ("\n", then the blank line and the signatures)
 * opens, as it does in Go's golang.org/x/mod/sumdb/note (Open refuses only a note with no "\n\n" at
 * all: `if split < 0`); its text is "\n" and its signature is checked over that text. A note with no
 * blank line before the signatures is refused, as in Go.
 */
import { describe, expect, it } from 'vitest';
import { generateNoteKey, keyFileSigner, parseVerifierKey } from '../../../electron/core/transcript/note-keys';
import { openNote, parseNote, signNote } from '../../../electron/core/transcript/note';

describe('a note whose text is one empty line', () => {
  it('opens with text "\\n", its signature checked over that text; without the blank line it is malformed', async () => {
    const k = generateNoteKey('example.org/empty');
    const signer = keyFileSigner(k.signerKey);
    const note = await signNote('\n', [signer]);
    expect(note.startsWith('\n\n\u2014 example.org/empty ')).toBe(true);
    const opened = openNote(note, [parseVerifierKey(k.verifierKey)]);
    expect(opened.text).toBe('\n');
    expect(opened.verified.map((v) => v.name)).toEqual(['example.org/empty']);
    expect(() => openNote(note.slice(1), [parseVerifierKey(k.verifierKey)])).toThrow(expect.objectContaining({ code: 'NOTE_MALFORMED' }));
    expect(() => parseNote(note.slice(1))).toThrow(/no blank line before the signatures/);
  });
});
