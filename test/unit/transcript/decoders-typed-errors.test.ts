/**
 * Every decoder of the journal and of signed-note keys ends malformed input in a typed answer, never
 * a stack trace: a journal line is refused with the reason (and the journal that reads it stops with
 * JOURNAL_CORRUPT naming the entry), a key text with NOTE_KEY_INVALID or NOTE_KEY_NAME_INVALID. The
 * cases are the ones a hostile file can hold: an escaped lone surrogate, values of the wrong type,
 * non-UTF-8 bytes. And the journal never writes a line it could not read back.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeEntry, parseEntryLine, parseEntryText, ZERO_HASH } from '../../../electron/core/transcript/entry-codec';
import { Journal } from '../../../electron/core/transcript/journal';
import { checkKeyName, generateNoteKey, keyFileSigner, parseVerifierKey, verifierKeyFor } from '../../../electron/core/transcript/note-keys';
import { KeyriteError } from '../../../electron/core/util/errors';
import { tempDir } from '../../helpers/softhsm';

const actor = { role: 'administrator', name: 'Ada' };
const entry = (over: Record<string, unknown> = {}) => ({
  v: 1, seq: 0, time: '2026-12-07T10:00:00.000Z', ceremony: 'c-1', kind: 'step.start', step: 's1', actor, data: { title: 'One' }, prev: ZERO_HASH, ...over,
});
const line = (over: Record<string, unknown> = {}) => encodeEntry(entry(over) as never);

/** The error f throws; fails the test if it throws something other than a KeyriteError. */
function typedError(f: () => unknown): KeyriteError {
  try {
    f();
  } catch (e) {
    if (e instanceof KeyriteError) return e;
    throw new Error(`untyped ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`, { cause: e });
  }
  throw new Error('no error');
}

let tmp: { dir: string; cleanup: () => void };
beforeEach(() => { tmp = tempDir('keyrite-decoders-'); });
afterEach(() => tmp.cleanup());

describe('a journal line', () => {
  it('with an escaped lone surrogate, in data or in a key, is refused as not Unicode text', () => {
    const good = line({ data: { title: 'x' } });
    for (const bad of [good.replace('"title":"x"', '"title":"\\ud800"'), good.replace('"title":"x"', '"title":"\\udc00x"'), good.replace('"title":"x"', '"\\ud83d":"x"')]) {
      expect(bad).not.toBe(good);
      expect(parseEntryText(bad, bad.length)).toEqual({ ok: false, why: 'not Unicode text: a string holds an escaped lone surrogate' });
      expect(parseEntryLine(Buffer.from(bad))).toEqual({ ok: false, why: 'not Unicode text: a string holds an escaped lone surrogate' });
    }
    // A surrogate pair (an emoji) is Unicode text, escaped or not; only the canonical spelling passes.
    const emoji = line({ data: { title: '\ud83d\ude00' } });
    expect(parseEntryText(emoji, emoji.length)).toMatchObject({ ok: true, entry: { data: { title: '\ud83d\ude00' } } });
    const escaped = emoji.replace('\ud83d\ude00', '\\ud83d\\ude00');
    expect(parseEntryText(escaped, escaped.length)).toEqual({ ok: false, why: 'not in RFC 8785 canonical form (bytes were changed)' });
  });

  it('that is not bytes, not UTF-8, not JSON or not an object is refused with the reason', () => {
    expect(parseEntryLine('{"v":1}' as never)).toEqual({ ok: false, why: 'not a line of bytes' });
    expect(parseEntryLine(undefined as never)).toEqual({ ok: false, why: 'not a line of bytes' });
    expect(parseEntryLine(Buffer.from([0x7b, 0xff, 0x7d]))).toEqual({ ok: false, why: 'not valid UTF-8' });
    expect(parseEntryLine(Buffer.from('{"v":'))).toMatchObject({ ok: false, why: expect.stringMatching(/^not valid JSON \(.+\)$/) });
    for (const text of ['[]', 'null', '7', '"x"']) expect(parseEntryText(text, text.length)).toEqual({ ok: false, why: 'not a JSON object' });
    expect(parseEntryText(undefined as never, 0)).toMatchObject({ ok: false, why: expect.stringMatching(/^not valid JSON/) });
  });

  it('in a transcript file stops the journal with JOURNAL_CORRUPT naming the entry, not a crash', async () => {
    const file = path.join(tmp.dir, 'c', 'transcript.jsonl');
    const j = await Journal.create(file, { ceremonyId: 'c-1' });
    await j.append({ kind: 'step.start', step: 's1', actor, data: { title: 'x' } });
    await j.append({ kind: 'step.result', step: 's1', actor, data: { outcome: 'ok' } });
    await j.close();
    const lines = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, [lines[0]!.replace('"title":"x"', '"title":"\\ud800"'), lines[1], ''].join('\n'));
    await expect(Journal.open(file)).rejects.toMatchObject({
      code: 'JOURNAL_CORRUPT', details: { seq: 0, offset: 0 }, message: expect.stringContaining('lone surrogate'),
    });
  });
});

describe('writing an entry', () => {
  it('with a lone surrogate is refused before anything is written, and the journal goes on', async () => {
    expect(typedError(() => encodeEntry(entry({ data: { title: '\ud800' } }) as never)).code).toBe('ENTRY_NOT_JSON');
    const file = path.join(tmp.dir, 'c', 'transcript.jsonl');
    const j = await Journal.create(file, { ceremonyId: 'c-1' });
    await expect(j.append({ kind: 'step.start', step: 's1', actor: { role: 'custodian', name: 'Bob\udc00' }, data: {} })).rejects.toMatchObject({ code: 'ENTRY_NOT_JSON' });
    expect(readFileSync(file, 'utf8')).toBe('');
    expect((await j.append({ kind: 'step.start', step: 's1', actor, data: {} })).seq).toBe(0);
    await j.close();
    const again = await Journal.open(file);
    expect(again.journal.size).toBe(1);
    await again.journal.close();
  });
});

describe('a signed-note key text', () => {
  const { verifierKey, signerKey } = generateNoteKey('keyrite.transcript/c-1');

  it('of the wrong type is NOTE_KEY_INVALID saying what it was', () => {
    for (const [v, what] of [[123, 'a number'], [undefined, 'undefined'], [null, 'null'], [['a+b+c'], 'an array'], [{ key: verifierKey }, 'an object'], [true, 'a boolean']] as const) {
      const e = typedError(() => parseVerifierKey(v as never));
      expect(e.code).toBe('NOTE_KEY_INVALID');
      expect(e.message).toBe(`Signed-note key refused: a verifier key is text, not ${what}.`);
      const s = typedError(() => keyFileSigner(v as never));
      expect(s.code).toBe('NOTE_KEY_INVALID');
      expect(s.message).toBe(`Signed-note key refused: a signer key is text, not ${what}.`);
    }
    expect(parseVerifierKey(verifierKey).key).toBe(verifierKey);
    expect(keyFileSigner(signerKey).verifierKey).toBe(verifierKey);
  });

  it('with a lone surrogate in its name is NOTE_KEY_NAME_INVALID; a name with a surrogate pair is Unicode text and is kept', () => {
    for (const name of ['keyrite\ud800', '\udc00', 'a\ud83d']) {
      expect(typedError(() => checkKeyName(name)).code).toBe('NOTE_KEY_NAME_INVALID');
      expect(typedError(() => generateNoteKey(name)).code).toBe('NOTE_KEY_NAME_INVALID');
      const [, id, b64] = verifierKey.split('+');
      expect(typedError(() => parseVerifierKey(`${name}+${id}+${b64}`)).code).toBe('NOTE_KEY_NAME_INVALID');
    }
    const k = generateNoteKey('witness/\ud83d\ude00');
    expect(parseVerifierKey(k.verifierKey).name).toBe('witness/\ud83d\ude00');
  });

  it('names: empty, with a space, a tab, a "+" or an em dash, or not text, are NOTE_KEY_NAME_INVALID saying what a name must be', () => {
    for (const name of ['', 'a b', 'a\tb', 'a\nb', 'a+b', 'a\u2014b', '\u2014', 42, undefined]) {
      const e = typedError(() => checkKeyName(name as never));
      expect(e.code).toBe('NOTE_KEY_NAME_INVALID');
      expect(e.message).toContain('it must be non-empty Unicode text, with no spaces, no "+" and no "\u2014"');
      expect(e.action).toBe('Choose a name like keyrite.transcript/<ceremony id>.');
      expect(typedError(() => verifierKeyFor(name as never, 'ed25519', new Uint8Array(32))).code).toBe('NOTE_KEY_NAME_INVALID');
    }
    expect(() => checkKeyName('keyrite.transcript/root-2026_v1.2')).not.toThrow();
    expect(() => checkKeyName('é')).not.toThrow();
  });
});
