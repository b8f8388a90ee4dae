/**
 * A transcript line that holds the right entry but is not spelt the RFC 8785 way is refused and
 * named: `keyrite verify`'s verifier (verifyTranscript, streaming, and scanTranscript, the whole
 * buffer) reports ENTRY_MALFORMED at that entry's seq and byte, saying it is not in canonical form
 * (or not Unicode text, for an escaped lone surrogate), for lines of ASCII only (decoded in bulk,
 * vouched for by the byte scan) and lines with other characters (decoded one by one).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { scanTranscript } from '../../../electron/core/transcript/verify-entries';
import { tempDir } from '../../helpers/softhsm';
import { okSteps, smallTranscript } from './small-transcript';

const tmp = tempDir('keyrite-non-canonical-');
afterAll(() => tmp.cleanup());

const NOT_CANONICAL = 'not in RFC 8785 canonical form (bytes were changed)';
const NOT_UNICODE = 'not Unicode text: a string holds an escaped lone surrogate';

/** Re-spellings of entry 2's line (same JSON value unless said), each with what the verifier must say. */
const RESPELT: [what: string, edit: (line: string) => string, why: string][] = [
  ['keys out of order in data', (l) => l.replace('"o":{"a":1,"b":2}', '"o":{"b":2,"a":1}'), NOT_CANONICAL],
  ['a key before its own prefix', (l) => l.replace('"o":{"a":1,"b":2}', '"o":{"b":2,"a":1,"ab":3}'), NOT_CANONICAL],
  ['a duplicate key', (l) => l.replace('"o":{"a":1,', '"o":{"a":1,"a":1,'), NOT_CANONICAL],
  ['a space after a colon', (l) => l.replace('"n":15', '"n": 15'), NOT_CANONICAL],
  ['a number with a fraction of zero', (l) => l.replace('"n":15', '"n":15.0'), NOT_CANONICAL],
  ['a number with an exponent', (l) => l.replace('"n":15', '"n":1.5e1'), NOT_CANONICAL],
  ['-0 for 0', (l) => l.replace('"z":0', '"z":-0'), NOT_CANONICAL],
  ['a \\u escape of a printable character', (l) => l.replace('"text":"n', '"text":"\\u006e'), NOT_CANONICAL],
  ['\\u000a for \\n', (l) => l.replace('line\\nbreak', 'line\\u000abreak'), NOT_CANONICAL],
  ['an uppercase \\u escape', (l) => l.replace('\\u001f', '\\u001F'), NOT_CANONICAL],
  ['\\/ for /', (l) => l.replace('a/b', 'a\\/b'), NOT_CANONICAL],
  ['an escaped lone surrogate in a string', (l) => l.replace('"text":"n', '"text":"\\ud800n'), NOT_UNICODE],
  ['an escaped lone surrogate in a key, in its place by code units', (l) => l.replace('"o":{"a":1,"b":2}', '"o":{"a":1,"b":2,"\\udc00":0}'), NOT_UNICODE],
];

describe('a line not in RFC 8785 form is refused and named, at its seq and byte', () => {
  for (const [kind, text] of [['ASCII', 'note ascii'], ['non-ASCII', 'note \u00e9\u20ac\ud83d\ude00']] as const) {
    it.each(RESPELT)(`${kind} line, %s`, async (_what, edit, why) => {
      const data = { text, n: 15, z: 0, o: { a: 1, b: 2 }, s: 'line\nbreak \u001f a/b' };
      const t = await smallTranscript(tmp.dir, [['step.note', '-', { text: 'before' }], ['step.note', '-', data], ['step.note', '-', { text: 'after' }]]);
      const lines = t.lines();
      const changed = edit(lines[2] as string);
      expect(changed, 'the edit applies').not.toBe(lines[2]);
      t.writeLines([...lines.slice(0, 2), changed, ...lines.slice(3)]);
      const expected = { code: 'ENTRY_MALFORMED', seq: 2, offset: t.offsetOf(2), message: `Entry 2 (byte ${t.offsetOf(2)}) is ${why}.` };
      const report = await verifyTranscript(t.dir, { files: false });
      expect(report.valid).toBe(false);
      expect(report.failure).toMatchObject(expected);
      const scanned = scanTranscript(readFileSync(path.join(t.dir, 'transcript.jsonl')), undefined);
      expect(scanned.failure).toMatchObject(expected);
    });
  }

  it('the same transcript, untouched, is VALID (the data above is canonical as the journal wrote it)', async () => {
    const data = { text: 'note \u00e9', n: 15, z: 0, o: { a: 1, b: 2 }, s: 'line\nbreak \u001f a/b' };
    const t = await smallTranscript(tmp.dir, [['step.note', '-', { text: 'before' }], ['step.note', '-', data], ['step.note', '-', { text: 'after' }], ...okSteps]);
    const report = await verifyTranscript(t.dir, { files: false });
    expect(report.failure).toBeUndefined();
    expect(report.valid).toBe(true);
    expect(scanTranscript(readFileSync(path.join(t.dir, 'transcript.jsonl')), undefined).failure).toBeUndefined();
  });
});
